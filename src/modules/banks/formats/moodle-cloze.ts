// Moodle's cloze ("embedded answers") questions as gap questions (pure): each embedded answer
// in the text becomes a blank filled by choice (MULTICHOICE) or by text (SHORTANSWER).
import type { Gap, QuestionBody } from "../model";
import { choiceOption } from "./scan";

type Reader = { fail: (message: string) => undefined; warn: (message: string) => void };

/**
 * An embedded answer of a cloze text: `{marks:TYPE:answers}`, answers split by "~", each "="
 * (100%) or "%n%" before it and "#feedback" after. As in Moodle (qtype_multianswer), a
 * backslash keeps the character after it from ending or splitting anything, and only "\\}"
 * and "\\#" lose their backslash.
 */
export const CLOZE = /\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}/g;
const CLOZE_TEXT = new Map([
  ["SHORTANSWER", false],
  ["SA", false],
  ["MW", false],
  ["SHORTANSWER_C", true],
  ["SAC", true],
  ["MWC", true],
]);
const CLOZE_CHOICE = /^(MULTICHOICE|MC)(_?(V|H|S|VS|HS))?$/;
const unescapeCloze = (text: string) => text.replace(/\\([}#])/g, "$1").trim();

/** One embedded answer as a blank, or why it cannot be one. */
function clozeGap(type: string, written: string): Gap | string {
  const answers = written
    .split(/(?<!\\)~/)
    .map((part) => {
      const [, mark, percent = "0", rest = ""] = /^(=|%(-?\d+(?:\.\d+)?)%)?([\s\S]*)$/.exec(part) ?? [];
      const [text = "", feedback = ""] = rest.split(/(?<!\\)#/);
      const fraction = mark === "=" ? 100 : Number(percent);
      return { text: unescapeCloze(text), fraction, feedback: unescapeCloze(feedback) };
    })
    .filter((a) => a.text !== "");
  const caseSensitive = CLOZE_TEXT.get(type);
  if (caseSensitive !== undefined) {
    const accept = answers.filter((a) => a.fraction >= 100).map((a) => a.text);
    if (accept.length === 0) return `its blank {...:${type}:...} has no answer marked "=" or %100%`;
    return { kind: "text", accept, caseSensitive };
  }
  if (!CLOZE_CHOICE.test(type))
    return `its blank of type ${type} is not supported; Stackprep reads MULTICHOICE and SHORTANSWER blanks`;
  const right = answers.filter((a) => a.fraction >= 100).length;
  if (right !== 1 || answers.length < 2)
    return `its MULTICHOICE blank needs exactly one answer marked "=" and at least one other (found ${right} of ${answers.length})`;
  return { kind: "choice", options: answers.map((a) => choiceOption(a.text, a.fraction >= 100, a.feedback)) };
}

/** A cloze ("embedded answers") question: each embedded answer in its text becomes blank [[n]]. */
export function readCloze(
  text: string,
  { fail, warn }: Pick<Reader, "fail" | "warn">,
): { body: QuestionBody; stem: string } | undefined {
  const gaps: Gap[] = [];
  let problem: string | undefined;
  let partial = false;
  const stem = text.replace(CLOZE, (_, marks: string, type: string, written: string) => {
    if ((marks || "1") !== "1") partial = true;
    const gap = clozeGap(type, written);
    if (typeof gap === "string") problem ??= gap;
    else gaps.push(gap);
    return `[[${gaps.length}]]`;
  });
  if (problem) return fail(problem);
  if (gaps.length === 0) return fail("its text has no embedded answer such as {1:SHORTANSWER:=answer}");
  if (gaps.length > 10) return fail(`it has ${gaps.length} blanks; Stackprep takes at most 10`);
  if (partial) warn("blanks of different marks are scored alike by Stackprep: one share each");
  return { body: { type: "gap", gaps }, stem };
}
