// Moodle's short answers (GIFT and Moodle XML alike): "*" in an accepted answer matches any run
// of characters, "\*" is a literal star. Stackprep keeps answers without a star as accepted
// texts and turns the others into one answer pattern (patterns.ts, run by RE2), so that
// "Hyper*Text Markup Language" accepts "Hyper Text Markup Language" as Moodle does, instead
// of only the text with a star in it.
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
