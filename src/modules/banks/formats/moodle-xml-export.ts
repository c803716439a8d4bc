// A bank as Moodle XML (pure): a category question per topic, then multichoice, truefalse,
// shortanswer, numerical, matching and cloze questions whose text, answers and feedback keep
// their Markdown (format="markdown", which Moodle renders), so parseMoodleXml reads back the
// same questions. A gap question is a cloze (Moodle's "embedded answers"): each blank an
// embedded MULTICHOICE (a choice, with per-option feedback) or SHORTANSWER (SHORTANSWER_C when
// case-sensitive) in the text; one whose answers hold "~" (which Moodle's cloze cannot escape)
// is left out. An essay is Moodle's `essay`: its model answer the information for graders
// (`<graderinfo>`, which parseMoodleXml reads back as the model answer), with the response
// settings Moodle writes for a new essay. Moodle's core has no ordering or SQL question: a
// comment names each question left out.
import {
  GAP_MARKER,
  numericWeight,
  type ShortAnswer,
  type ChoiceOption,
  type Gap,
  type ParsedBank,
  type ParsedQuestion,
} from "../model";
import { escapeXml } from "./qti-xml";

/** Text in CDATA, split where the text itself holds "]]>". */
const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const markdown = (tag: string, text: string, extra = "") =>
  `<${tag} format="markdown"${extra}><text>${cdata(text)}</text></${tag}>`;
const fraction = (x: number) => String(Number(x.toFixed(5)));

function answer(text: string, percent: number, feedback?: string, inner = ""): string {
  const note = feedback ? markdown("feedback", feedback) : "";
  return `    <answer fraction="${fraction(percent)}" format="markdown"><text>${cdata(text)}</text>${inner}${note}</answer>`;
}

/**
 * Text inside a cloze answer: "}" and "#" escaped with "\\", the only escapes Moodle undoes
 * (qtype_multianswer); other backslashes stay as written.
 */
export const clozeEscape = (text: string) => text.replace(/[}#]/g, (c) => `\\${c}`);

/**
 * Whether Moodle reads the text back as written inside a cloze answer: "~" always splits
 * answers there (Moodle has no escape for it), and a backslash before "~", "}", "#" or at the
 * end would escape what follows.
 */
const clozeSafe = (text: string) => !/~|\\([}#]|$)/.test(text);
const gapClozeSafe = (gap: Gap) =>
  gap.kind === "text"
    ? gap.accept.every(clozeSafe)
    : gap.options.every((o) => clozeSafe(o.text) && clozeSafe(o.feedback ?? ""));

/** A blank as a cloze subquestion of one mark: the right answers "=" (100%), the others "%0%", each with its "#feedback". */
export function clozeOf(gap: Gap): string {
  if (gap.kind === "text")
    return `{1:${gap.caseSensitive ? "SHORTANSWER_C" : "SHORTANSWER"}:${gap.accept.map((text) => `=${clozeEscape(text)}`).join("~")}}`;
  const answers = gap.options.map(
    (o) => `${o.correct ? "=" : "%0%"}${clozeEscape(o.text)}${o.feedback ? `#${clozeEscape(o.feedback)}` : ""}`,
  );
  return `{1:MULTICHOICE:${answers.join("~")}}`;
}

/** `<subquestion>`s: a prompt with its answer; a distractor is an answer with empty text (Moodle's rule). */
function matchingLines(question: ParsedQuestion & { type: "matching" }): string[] {
  const sub = (prompt: string, match: string) =>
    `    <subquestion format="markdown"><text>${prompt ? cdata(prompt) : ""}</text><answer><text>${cdata(match)}</text></answer></subquestion>`;
  return [
    `    <shuffleanswers>true</shuffleanswers>`,
    ...question.pairs.map((p) => sub(p.prompt, p.match)),
    ...question.distractors.map((d) => sub("", d)),
  ];
}

function body(question: ParsedQuestion): { type: string; lines: string[]; stem?: string } | undefined {
  switch (question.type) {
    case "single":
    case "multiple": {
      const right = question.options.filter((option) => option.correct).length;
      const percent = (option: ChoiceOption) =>
        question.type === "single"
          ? option.correct
            ? 100
            : (option.weight ?? 0)
          : (option.weight ?? (option.correct ? 100 / right : -100));
      return {
        type: "multichoice",
        lines: [
          `    <single>${question.type === "single"}</single>`,
          `    <shuffleanswers>1</shuffleanswers>`,
          ...question.options.map((option) => answer(option.text, percent(option), option.feedback)),
        ],
      };
    }
    case "truefalse":
      return {
        type: "truefalse",
        lines: [answer("true", question.answer ? 100 : 0), answer("false", question.answer ? 0 : 100)],
      };
    case "short":
      if (question.accept.length === 0) return undefined;
      return {
        type: "shortanswer",
        lines: [
          `    <usecase>${question.caseSensitive ? 1 : 0}</usecase>`,
          // A literal star is "\\*": Moodle reads "*" as a wildcard.
          ...(question.weighted ?? question.accept.map((text): ShortAnswer => ({ text, weight: 100 }))).map((a) =>
            answer(a.text.replace(/\*/g, "\\*"), a.weight, a.feedback),
          ),
          ...(question.otherFeedback ? [answer("*", 0, question.otherFeedback)] : []),
        ],
      };
    case "numeric":
      return {
        type: "numerical",
        lines: [
          ...question.answers.map((a) =>
            answer(String(a.value), numericWeight(a), a.feedback, `<tolerance>${a.tolerance}</tolerance>`),
          ),
          ...(question.otherFeedback ? [answer("*", 0, question.otherFeedback)] : []),
          ...(question.unit
            ? [
                `    <units><unit><multiplier>1</multiplier><unit_name>${escapeXml(question.unit)}</unit_name></unit></units>`,
              ]
            : []),
        ],
      };
    case "matching":
      return { type: "matching", lines: matchingLines(question) };
    case "essay":
      // Moodle's defaults for a new essay: a rich-text response of 15 lines, required, no attachments.
      return {
        type: "essay",
        lines: [
          `    <responseformat>editor</responseformat>`,
          `    <responserequired>1</responserequired>`,
          `    <responsefieldlines>15</responsefieldlines>`,
          `    <attachments>0</attachments>`,
          `    <attachmentsrequired>0</attachmentsrequired>`,
          `    ${markdown("graderinfo", question.modelAnswer)}`,
          `    <responsetemplate format="html"><text></text></responsetemplate>`,
        ],
      };
    case "gap": {
      const gaps = question.gaps;
      if (!gaps.every(gapClozeSafe)) return undefined;
      return {
        type: "cloze",
        lines: [],
        stem: question.stem.replace(GAP_MARKER, (whole, n: string) => {
          const gap = gaps[Number(n) - 1];
          return gap ? clozeOf(gap) : whole;
        }),
      };
    }
    default:
      return undefined;
  }
}

/** Moodle XML for a bank, such that parseMoodleXml(exportMoodleXml(bank)) gives back the same questions. */
export function exportMoodleXml(bank: ParsedBank, leftOut?: (question: ParsedQuestion) => void): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- ${escapeXml(bank.title).replace(/--/g, "- -")} (${bank.slug}), exported by Stackprep -->`,
    `<quiz>`,
  ];
  let topic: string | undefined;
  for (const question of bank.questions) {
    const written = body(question);
    if (!written) {
      lines.push(`  <!-- ${question.type} question ${question.externalId} cannot be expressed in Moodle XML -->`);
      leftOut?.(question);
      continue;
    }
    if (question.topic !== topic)
      lines.push(
        `  <question type="category"><category><text>$course$/top/${escapeXml(question.topic)}</text></category></question>`,
      );
    topic = question.topic;
    const name = question.title ?? question.stem.replace(/\s+/g, " ").trim().slice(0, 80);
    lines.push(
      `  <question type="${written.type}">`,
      `    <name><text>${escapeXml(name)}</text></name>`,
      `    ${markdown("questiontext", written.stem ?? question.stem)}`,
      ...(question.explanation.trim() ? [`    ${markdown("generalfeedback", question.explanation)}`] : []),
      `    <idnumber>${escapeXml(question.externalId)}</idnumber>`,
      ...written.lines,
      `  </question>`,
    );
  }
  lines.push(`</quiz>`, "");
  return lines.join("\n");
}
