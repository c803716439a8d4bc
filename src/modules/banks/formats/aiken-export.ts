// A bank as Aiken (pure): Aiken holds single-choice questions only, as lines, with no ids,
// topics, feedback, explanations or comments. What fits is written; parseAiken reads it back to
// the same stems and keys. A question Aiken cannot hold (another type, a blank line in its
// stem, an option over several lines) is left out, as the format has no way to name it.
import type { ParsedBank, ParsedQuestion } from "../model";

const OPTION_START = /^[A-Z][.)]\s/;

/** Whether Aiken can hold the question: single choice, a stem without blank lines or option-like lines, one-line options. */
export function aikenExpresses(question: ParsedQuestion): boolean {
  if (question.type !== "single" || question.options.length > 26) return false;
  const stem = question.stem.trim().split("\n");
  if (stem.some((line) => line.trim() === "" || OPTION_START.test(line.trim()) || /^ANSWER:/.test(line.trim())))
    return false;
  return question.options.every((option) => option.text.trim() !== "" && !option.text.includes("\n"));
}

export function exportAiken(bank: ParsedBank): string {
  const blocks = bank.questions.filter(aikenExpresses).map((question) => {
    if (question.type !== "single") return "";
    const letter = (index: number) => String.fromCharCode(65 + index);
    const options = question.options.map((option, index) => `${letter(index)}) ${option.text.trim()}`);
    const right = letter(question.options.findIndex((option) => option.correct));
    return [question.stem.trim(), ...options, `ANSWER: ${right}`].join("\n");
  });
  return blocks.length === 0 ? "" : `${blocks.join("\n\n")}\n`;
}
