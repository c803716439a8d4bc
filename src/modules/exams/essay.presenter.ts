// What the pages show of a practice essay: the learner's answer beside the model answer once
// they asked for it, and their self-assessment (pure). Nothing here is ever built before the
// item is checked: until then the page has only the prompt and the text area.
import type { StoredBody } from "../banks";
import { ESSAY_MAX, SELF_ASSESSMENT_LABELS, SELF_ASSESSMENTS, type SelfAssessment } from "./essay";
import type { LearnerAnswer } from "./grading";

export type EssayCheckedView = {
  /** The learner's text as written (the template escapes it); "" when left blank. */
  answerText: string;
  modelAnswerHtml: string;
  /** The learner's self-assessment, once given, with its label. */
  assessment: { value: SelfAssessment; label: string } | null;
  choices: { value: SelfAssessment; label: string }[];
};

const essayText = (response: LearnerAnswer | null) => (response?.type === "essay" ? response.text : "");

export function selfAssessmentOf(value: string | null | undefined): { value: SelfAssessment; label: string } | null {
  const known = SELF_ASSESSMENTS.find((v) => v === value);
  return known ? { value: known, label: SELF_ASSESSMENT_LABELS[known] } : null;
}

/** A checked essay: answer, model answer (sanitised at import), self-assessment. */
export function essayChecked(
  item: { response: LearnerAnswer | null; selfAssessment?: string | null },
  body: StoredBody,
): EssayCheckedView {
  return {
    answerText: essayText(item.response),
    modelAnswerHtml: "modelAnswer" in body ? body.modelAnswer.html : "",
    assessment: selfAssessmentOf(item.selfAssessment),
    choices: SELF_ASSESSMENTS.map((value) => ({ value, label: SELF_ASSESSMENT_LABELS[value] })),
  };
}

/** The text area of an essay not yet checked: what was saved so far, and the limit. */
export const essayInput = (response: LearnerAnswer | null) => ({ text: essayText(response), maxLength: ESSAY_MAX });
