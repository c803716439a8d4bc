// Aiken: single-choice questions as plain lines (rules in formats.md). One tolerance beyond
// Moodle's: the question text may run over several lines before the first option, because
// pasted code needs it. Everything else is text as written, "<html> &" included.
import type { ParseOptions, ParseResult, ParsedQuestion } from "../model";
import { deriveExternalId } from "./ids";
import {
  buildQuestion,
  choiceOptionProblems,
  createIssues,
  finishBank,
  firstColumn,
  isFull,
  labelOf,
  normaliseText,
} from "./scan";

const OPTION = /^([A-Z])[.)]\s+(\S.*)$/;
const CRAMPED = /^([A-Z])([.)])\S/;
const ANSWER = /^ANSWER:\s*/;

type Option = { letter: string; text: string; line: number };
type Draft = { stem: string[]; line: number; column: number; options: Option[]; valid: boolean; mark: number };

export function parseAiken(text: string, options: ParseOptions): ParseResult {
  const issues = createIssues(options.file);
  const questions: ParsedQuestion[] = [];
  let draft: Draft | undefined;
  // After an option with no question, the rest of that block is skipped: one error is enough.
  let skipping = false;

  const fail = (line: number, column: number, message: string) => {
    issues.error(line, column, message);
    if (draft) draft.valid = false;
  };
  /** Settles a draft's errors: true when it was refused. */
  const settle = (current: Draft) => {
    const stem = current.stem.join("\n").trim();
    const position = { file: options.file, line: current.line, column: current.column };
    const externalId = deriveExternalId(options.slug, options.defaultTopic, stem);
    return issues.settle(current.mark, { position, label: labelOf(stem), externalId });
  };
  /** An error outside any question (an answer or option with no question): refuses what it stands for. */
  const stray = (line: number, column: number, message: string, text: string) => {
    const mark = issues.mark();
    issues.error(line, column, message);
    issues.settle(mark, { position: { file: options.file, line, column }, label: labelOf(text) });
  };
  const unfinished = (why: string) => {
    if (!draft) return;
    const message = `the question on line ${draft.line} is never finished: ${why}; add "ANSWER: X" after its options`;
    issues.error(draft.line, draft.column, message);
    settle(draft);
    draft = undefined;
  };

  function addOption(current: Draft, letter: string, optionText: string, line: number, column: number) {
    const expected = String.fromCharCode(65 + current.options.length);
    const twice = current.options.find((option) => option.letter === letter);
    // A bad option is still counted, so one mistake does not cascade into "only one option".
    if (twice) {
      const message = `option letter "${letter}" on line ${line} is already used on line ${twice.line}; letter the options A, B, C... once each`;
      fail(line, column, message);
    } else if (letter !== expected) {
      fail(
        line,
        column,
        `option "${letter})" on line ${line} comes where "${expected})" is expected; letter the options A, B, C... in order`,
      );
    }
    current.options.push({ letter, text: optionText, line });
  }

  function finish(source: string, line: number) {
    const prefix = ANSWER.exec(source.trim())?.[0] ?? "";
    const column = firstColumn(source) + prefix.length;
    const raw = source.trim().slice(prefix.length).trim();
    const current = draft;
    draft = undefined;
    if (!current)
      return stray(
        line,
        column,
        `"ANSWER:" on line ${line} has no question before it; write the question and its options first`,
        source,
      );
    const { options: choices } = current;
    if (choices.length === 0) {
      const message = `"ANSWER:" on line ${line} comes before any option; write options such as "A) text" between the question and its answer`;
      issues.error(line, column, message);
      return void settle(current);
    }
    if (choices.length < 2)
      fail(
        current.line,
        current.column,
        `the question on line ${current.line} has only one option; write at least two (A and B)`,
      );
    const letter = raw.toUpperCase();
    const last = choices[choices.length - 1]?.letter ?? "A";
    if (letter === "") fail(line, column, `"ANSWER:" on line ${line} names no letter; write one, such as "ANSWER: B"`);
    else if (!/^[A-Z]$/.test(letter))
      fail(line, column, `"ANSWER: ${raw}" on line ${line} must name one option letter, such as "ANSWER: B"`);
    else if (!choices.some((option) => option.letter === letter))
      fail(line, column, `"ANSWER: ${letter}" on line ${line} names no option; this question has options A to ${last}`);
    for (const { index, message } of choiceOptionProblems(choices.map((option) => option.text))) {
      const option = choices[index]!;
      fail(option.line, 1, `${message} (line ${option.line})`);
    }
    if (settle(current) || !current.valid) return;
    const body = {
      type: "single" as const,
      options: choices.map((option) => ({ text: option.text, correct: option.letter === letter })),
    };
    const stem = current.stem.join("\n").trim();
    questions.push(
      buildQuestion(options, { body, stem, topic: options.defaultTopic, line: current.line, column: current.column }),
    );
  }

  function readLine(source: string, index: number) {
    const line = index + 1;
    const column = firstColumn(source);
    const trimmed = source.trim();
    if (trimmed === "") {
      unfinished(`the blank line ${line} comes before its "ANSWER:" line`);
      skipping = false;
      return;
    }
    const isAnswer = ANSWER.test(trimmed);
    if (skipping) {
      skipping = !isAnswer;
      return;
    }
    if (isAnswer) return finish(source, line);
    const option = OPTION.exec(trimmed);
    if (!draft) {
      if (!option)
        return void (draft = { stem: [trimmed], line, column, options: [], valid: true, mark: issues.mark() });
      skipping = true;
      const message = `option "${trimmed.slice(0, 2)}" on line ${line} comes before any question; write the question on the line before the options`;
      return stray(line, column, message, trimmed);
    }
    const cramped = CRAMPED.exec(trimmed);
    if (!option && cramped) {
      const message = `option "${trimmed.slice(0, 2)}" on line ${line} needs a space after "${cramped[2]}": write "${cramped[1]}${cramped[2]} text"`;
      fail(line, column + 2, message);
      return addOption(draft, cramped[1] ?? "", trimmed.slice(2), line, column);
    }
    if (!option && /^[A-Z][.)]$/.test(trimmed)) {
      fail(line, column, `option "${trimmed}" on line ${line} has no text; write it after "${trimmed} "`);
      return addOption(draft, trimmed.charAt(0), "", line, column);
    }
    if (option) return addOption(draft, option[1] ?? "", option[2] ?? "", line, column);
    if (draft.options.length === 0) return void draft.stem.push(source.trimEnd());
    const message = `line ${line} is neither an option ("${String.fromCharCode(65 + draft.options.length)}) text") nor the answer ("ANSWER: A"); finish the question before starting another`;
    fail(line, column, message);
  }

  try {
    // Trailing blank lines are the end of the file, not a blank line before a missing ANSWER.
    const lines = normaliseText(text).trimEnd().split("\n");
    for (let index = 0; index < lines.length && !isFull(questions); index += 1) readLine(lines[index]!, index);
    if (!isFull(questions)) unfinished(`the file ends before its "ANSWER:" line`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    issues.error(draft?.line ?? 1, 1, `could not read the file (${why}); check the question starting here`);
  }
  return finishBank(options, questions, issues);
}
