// Moodle's short answers (GIFT and Moodle XML alike): "*" in an accepted answer matches any run
// of characters, "\*" is a literal star. Stackprep keeps answers without a star as accepted
// texts and turns the others into one answer pattern (patterns.ts, run by RE2), so that
// "Hyper*Text Markup Language" accepts "Hyper Text Markup Language" as Moodle does, instead
// of only the text with a star in it.
import { shortAnswersOf, type ShortAnswer } from "../model";
import { patternProblem } from "../patterns";

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;
/** A star not preceded by a backslash. */
const WILDCARD = /(?<!\\)\*/;

/** The answer as a pattern: each star any run of characters, everything else literal (white space folded, as answers are). */
function wildcardPattern(answer: string): string {
  return answer
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<!\\)\*/)
    .map((piece) => piece.replace(/\\\*/g, "*").replace(REGEX_SPECIAL, "\\$&"))
    .join(".*");
}

export type ShortAnswerKey = { accept: string[]; pattern?: string } | { problem: string };

/** Accepted answers as Moodle reads them: literal texts, and one pattern for those with wildcards. */
export function shortAnswerKey(answers: string[]): ShortAnswerKey {
  const literal = answers.filter((answer) => !WILDCARD.test(answer)).map((answer) => answer.replace(/\\\*/g, "*"));
  const wild = answers.filter((answer) => WILDCARD.test(answer));
  if (wild.length === 0) return { accept: literal };
  const pattern = wild.map(wildcardPattern).join("|");
  const problem = patternProblem(pattern);
  if (problem)
    return {
      problem: `its answers with the wildcard * (${wild.map((w) => `"${w}"`).join(", ")}) cannot be matched: ${problem}`,
    };
  return { accept: literal, pattern };
}

/** A short-answer key with weights and feedback, and what of the answers it could not keep. */
export type WeightedShortKey =
  | {
      accept: string[];
      pattern?: string;
      weighted?: ShortAnswer[];
      otherFeedback?: string;
      /** Wildcard answers worth part of the mark: a pattern gives full marks or none. */
      droppedPartial: ShortAnswer[];
      /** Wildcard answers with feedback: a pattern carries none. */
      droppedFeedback: ShortAnswer[];
    }
  | { problem: string };

/**
 * Every answer of a short-answer question with its weight (percent, 0..100) and feedback, as
 * Moodle keeps them: a lone "*" below full marks is the feedback for any other answer;
 * full-credit answers with a wildcard become the pattern; the rest stay literal with their weights.
 */
export function weightedShortKey(answers: readonly ShortAnswer[]): WeightedShortKey {
  const other = answers.find((a) => a.text.trim() === "*" && a.weight < 100);
  const rest = answers.filter((a) => a !== other);
  const wild = (a: ShortAnswer) => WILDCARD.test(a.text);
  const key = shortAnswerKey(rest.filter((a) => a.weight >= 100).map((a) => a.text));
  if ("problem" in key) return key;
  const literal = rest.filter((a) => !wild(a)).map((a) => ({ ...a, text: a.text.replace(/\\\*/g, "*") }));
  const { accept, weighted } = shortAnswersOf(literal);
  return {
    accept,
    ...(key.pattern ? { pattern: key.pattern } : {}),
    ...(weighted ? { weighted } : {}),
    ...(other?.feedback ? { otherFeedback: other.feedback } : {}),
    droppedPartial: rest.filter((a) => wild(a) && a.weight < 100),
    droppedFeedback: rest.filter((a) => wild(a) && a.weight >= 100 && a.feedback),
  };
}
