// Shared by the foreign-format parsers: issues with positions, line handling, Markdown code
// detection, the escape-aware scanner of plain-text formats (GIFT), and assembling the bank
// (defaults, topics, duplicate ids, size guard).
import type {
  ChoiceOption,
  ParseIssue,
  ParseOptions,
  ParseResult,
  ParsedQuestion,
  QuestionBody,
  RejectedQuestion,
  SourcePosition,
} from "../model";
import { deriveExternalId, humanise, normaliseStem } from "./ids";

/** A guard against runaway files; the importer applies the configured, smaller limits. */
export const MAX_QUESTIONS = 20_000;

/**
 * Whether a parser has read one question more than a file may hold: parsers stop there, so
 * a file of a million questions is refused for the cost of 20,001.
 */
export const isFull = (questions: readonly unknown[]) => questions.length > MAX_QUESTIONS;

export type Issues = {
  errors: ParseIssue[];
  warnings: ParseIssue[];
  /** Questions refused by their own errors; the errors stay in `errors` too. */
  rejected: RejectedQuestion[];
  error(line: number, column: number, message: string): void;
  warn(line: number, column: number, message: string): void;
  /** Where the errors of the next question start (see `settle`). */
  mark(): number;
  /**
   * Whether the question read since `mark` had errors: if so, they are that question's, and
   * it is recorded as rejected (the rest of the file may still import).
   */
  settle(mark: number, question: Omit<RejectedQuestion, "errors">): boolean;
};

export function createIssues(file: string): Issues {
  const errors: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const rejected: RejectedQuestion[] = [];
  return {
    errors,
    warnings,
    rejected,
    error: (line, column, message) => void errors.push({ file, line, column, message }),
    warn: (line, column, message) => void warnings.push({ file, line, column, message }),
    mark: () => errors.length,
    settle(mark, question) {
      if (errors.length <= mark) return false;
      rejected.push({ ...question, errors: errors.slice(mark) });
      return true;
    },
  };
}

/** A question's first words, for lists that must say which question they mean. */
export function labelOf(text: string, title?: string): string {
  if (title && title.trim() !== "") return title.trim().slice(0, 80);
  const words = text.replace(/\s+/g, " ").trim();
  return words.length > 80 ? `${words.slice(0, 77)}...` : words;
}

export const positionIn = (file: string, line: number, column: number): SourcePosition => ({ file, line, column });

/** Text without a byte-order mark and with "\n" line ends: files come from Windows too. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Maps character offsets of `text` to 1-based line and column (binary search over line starts). */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}

/** Column of the first non-blank character (1 for a blank line). */
export function firstColumn(line: string): number {
  const match = /\S/.exec(line);
  return match ? match.index + 1 : 1;
}

/** Length of the backtick run opening a code fence (CommonMark: up to 3 spaces, 3+ backticks), or 0. */
export function fenceOpening(line: string): number {
  const match = /^ {0,3}(`{3,})[^`]*$/.exec(line);
  return match?.[1]?.length ?? 0;
}

/**
 * End of the closing fence on this line (index after its backticks and blanks), or -1.
 * GIFT written by Stackprep may continue the line after a closing fence with "\n" (an
 * escaped newline), because a real blank line there would end the question.
 */
export function fenceClosing(line: string, openLength: number): number {
  const match = /^ {0,3}(`{3,})[ \t]*(?=$|\\n)/.exec(line);
  return match?.[1] && match[1].length >= openLength ? match[0].length : -1;
}

/** Given a backtick run at `start`, the index after the matching run on the same line, or -1 (not code). */
export function codeSpanEnd(line: string, start: number): number {
  let runEnd = start;
  while (line[runEnd] === "`") runEnd++;
  const length = runEnd - start;
  for (let i = runEnd; i < line.length;) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let j = i;
    while (line[j] === "`") j++;
    if (j - i === length) return j;
    i = j;
  }
  return -1;
}

/**
 * Per line: whether it belongs to a fenced code block, and how many of its leading characters
 * do (a closing fence may be followed by text); `unclosed` is the line of a fence that never closes, or -1.
 */
export function codeExtents(lines: string[]): { fenced: boolean[]; codeEnd: number[]; unclosed: number } {
  const fenced = lines.map(() => false);
  const codeEnd = lines.map(() => 0);
  let open = -1;
  let length = 0;
  lines.forEach((line, k) => {
    const end = open < 0 ? -1 : fenceClosing(line, length);
    if (open < 0) length = fenceOpening(line);
    if (open < 0 && length > 0) open = k;
    if (open < 0) return;
    [fenced[k], codeEnd[k]] = [true, end >= 0 ? end : line.length];
    if (end >= 0) open = -1;
  });
  return { fenced, codeEnd, unclosed: open };
}

/** Lines of fenced code blocks that close; a fence that never closes is text. */
export function fencedLines(lines: string[]): boolean[] {
  const { fenced, unclosed } = codeExtents(lines);
  return fenced.map((code, k) => code && (unclosed < 0 || k < unclosed));
}

/** One decoded character; `special` when unescaped outside code, so it may be syntax. */
export type Unit = { ch: string; special: boolean; line: number; column: number };
/** A source line; the characters before `codeEnd` belong to a fenced code block. */
export type SourceLine = { text: string; line: number; codeEnd: number };

const isOneOf = (ch: string | undefined, set: string) => ch !== undefined && ch !== "" && set.includes(ch);

/**
 * Decodes a plain-text format whose syntax characters are escaped with "\" (GIFT): "\" before a
 * special or a backslash gives that character, "\n" a newline. In code nothing is syntax and only
 * escaped specials decode (in inline code also "\\"), so pasted code keeps its backslashes.
 */
export function scanUnits(lines: SourceLine[], issues: Issues, specials: string): Unit[] {
  const units: Unit[] = [];
  const escapes = `${specials}\\`;
  const known = [...escapes].map((ch) => `\\${ch}`).join(" ");
  for (const [index, { text, line, codeEnd }] of lines.entries()) {
    const push = (ch: string, special: boolean, at: number) => void units.push({ ch, special, line, column: at + 1 });
    if (index > 0) push("\n", false, 0);
    for (let i = 0; i < text.length;) {
      const ch = text[i] ?? "";
      const spanEnd = i >= codeEnd && ch === "`" ? codeSpanEnd(text, i) : -1;
      if (i < codeEnd || spanEnd >= 0) {
        const [end, escapable] = i < codeEnd ? [codeEnd, specials] : [spanEnd, escapes];
        for (; i < end; i++) {
          const at = i;
          if (text[i] === "\\" && isOneOf(text[i + 1], escapable)) i++;
          push(text[i] ?? "", false, at);
        }
        continue;
      }
      if (ch === "`") while (text[i] === "`") push("`", false, i++);
      else if (ch !== "\\") push(ch, true, i++);
      else {
        const next = text[i + 1];
        const decoded = next === "n" ? "\n" : isOneOf(next, escapes) ? next : undefined;
        const what = next === undefined ? `a "\\" at the end of a line` : `unknown escape "\\${next}"`;
        if (decoded === undefined)
          issues.warn(line, i + 1, `${what} is kept as written; the escapes are ${known} and \\n`);
        push(decoded ?? "\\", false, i);
        i += decoded === undefined ? 1 : 2;
      }
    }
  }
  return units;
}

/** A question's decoded characters, with the look-ups and issue reporting the parser needs. */
export class Units {
  constructor(
    readonly list: Unit[],
    private readonly issues: Issues,
  ) {}
  get length() {
    return this.list.length;
  }
  is(i: number, ch: string) {
    const unit = this.list[i];
    return unit?.special === true && unit.ch === ch;
  }
  /** Index of the first special `pattern` (a sequence of characters) in [from, to), or -1. */
  find(pattern: string, from: number, to = this.length): number {
    for (let i = from; i + pattern.length <= to; i++) if ([...pattern].every((ch, k) => this.is(i + k, ch))) return i;
    return -1;
  }
  all(ch: string, from: number, to: number): number[] {
    const found: number[] = [];
    for (let i = from; i < to; i++) if (this.is(i, ch)) found.push(i);
    return found;
  }
  /** The decoded text of [from, to), trimmed. */
  text(from: number, to = this.length): string {
    return this.list
      .slice(from, Math.max(from, to))
      .map((unit) => unit.ch)
      .join("")
      .trim();
  }
  skip(from: number, to = this.length): number {
    let i = from;
    while (i < to && /\s/.test(this.list[i]?.ch ?? "")) i++;
    return i;
  }
  line(i: number): number {
    return this.list[Math.min(i, this.length - 1)]?.line ?? 1;
  }
  error(i: number, message: string): undefined {
    const unit = this.list[Math.min(i, this.length - 1)];
    if (unit) this.issues.error(unit.line, unit.column, message);
    return undefined;
  }
  warn(i: number, message: string): void {
    const unit = this.list[Math.min(i, this.length - 1)];
    if (unit) this.issues.warn(unit.line, unit.column, message);
  }
}

/** A number as the formats write them: 404, -1.5, .5, 1e-7. */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The native format's rules for choice options, for every format alike: options distinct,
 * and no "all/none of the above", which depends on an order that is shuffled. Returns, per
 * offending option (by index), the message.
 */
export function choiceOptionProblems(texts: string[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const seen = new Map<string, number>();
  texts.forEach((text, index) => {
    const key = text.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({ index, message: `option ${index + 1} repeats option ${first + 1}; make each option distinct` });
    else seen.set(key, index);
    if (/\b(all|none) of the (above|options)\b/i.test(text))
      problems.push({
        index,
        message: `"${text.trim()}" depends on option order, which is shuffled: write a real option`,
      });
  });
  return problems;
}

/** A choice option, with feedback only when there is some. */
export const choiceOption = (text: string, correct: boolean, feedback?: string): ChoiceOption =>
  feedback ? { text, correct, feedback } : { text, correct };

export type QuestionInput = {
  body: QuestionBody;
  stem: string;
  topic: string;
  line: number;
  column: number;
  explanation?: string;
  /** An id written in the file; otherwise one is derived from topic and stem. */
  id?: string;
  title?: string;
  difficulty?: 1 | 2 | 3;
  tags?: string[];
  references?: string[];
};

/** A question with the defaults for what foreign formats do not say. */
export function buildQuestion(options: ParseOptions, input: QuestionInput): ParsedQuestion {
  const question: ParsedQuestion = {
    ...input.body,
    externalId: input.id ?? deriveExternalId(options.slug, input.topic, input.stem),
    topic: input.topic,
    stem: input.stem,
    explanation: input.explanation ?? "",
    difficulty: input.difficulty ?? 2,
    tags: input.tags ?? [],
    references: input.references ?? [],
    position: { file: options.file, line: input.line, column: input.column },
  };
  if (input.title !== undefined && input.title !== "") question.title = input.title;
  return question;
}

/** Checks the whole file's questions together and turns everything into the parse result. */
export function finishBank(
  options: ParseOptions,
  parsedQuestions: ParsedQuestion[],
  issues: Issues,
  topicTitles: ReadonlyMap<string, string> = new Map(),
): ParseResult {
  const overflow = parsedQuestions[MAX_QUESTIONS];
  if (overflow) {
    const { line, column } = overflow.position;
    const message = `the file holds ${parsedQuestions.length.toLocaleString("en")} questions, more than the ${MAX_QUESTIONS.toLocaleString("en")} one file may hold (reading stopped at this one); split it into several files`;
    issues.error(line, column, message);
  }
  const questions = distinctIds(options, parsedQuestions, issues);
  const topics = [...new Set(questions.map((question) => question.topic))].map((path) => ({
    path,
    title: topicTitles.get(path) ?? humanise(path.split("/").pop() ?? path),
  }));
  const bank = { slug: options.slug, title: options.title, description: "", licence: "", topics, questions, cards: [] };
  const warnings = sortIssues(issues.warnings);
  if (issues.errors.length === 0) return { ok: true, bank, warnings };
  const ofQuestions = new Set(issues.rejected.flatMap((question) => question.errors));
  const fileLevel = issues.errors.some((issue) => !ofQuestions.has(issue));
  const errors = sortIssues(issues.errors);
  if (fileLevel) return { ok: false, errors };
  const rejected = [...issues.rejected].sort((a, b) => a.position.line - b.position.line);
  return { ok: false, errors, partial: { bank, warnings, rejected } };
}

/**
 * Ids must be distinct. A derived id repeats when two questions share topic and text:
 * Moodle imports both, so the repeat gets an id of its own, with a warning. An id written
 * in the file twice refuses the repeat.
 */
function distinctIds(options: ParseOptions, questions: ParsedQuestion[], issues: Issues): ParsedQuestion[] {
  const seen = new Map<string, ParsedQuestion>();
  const kept: ParsedQuestion[] = [];
  for (const question of questions) {
    const first = seen.get(question.externalId);
    if (!first) {
      seen.set(question.externalId, question);
      kept.push(question);
      continue;
    }
    const { line, column } = question.position;
    const derived = question.externalId === deriveExternalId(options.slug, question.topic, question.stem);
    if (derived && normaliseStem(first.stem) === normaliseStem(question.stem)) {
      let n = 2;
      let id = deriveExternalId(options.slug, question.topic, `${question.stem}\n#${n}`);
      while (seen.has(id)) id = deriveExternalId(options.slug, question.topic, `${question.stem}\n#${(n += 1)}`);
      const message = `this question has the same text as the one on line ${first.position.line}; both are imported (this one as "${id}"): check that it is not a repeat`;
      issues.warn(line, column, message);
      const renamed = { ...question, externalId: id };
      seen.set(id, renamed);
      kept.push(renamed);
      continue;
    }
    const mark = issues.mark();
    const message = `duplicate question id "${question.externalId}": the question on line ${first.position.line} already uses it; give each question its own id`;
    issues.error(line, column, message);
    issues.settle(mark, { position: question.position, label: labelOf(question.stem, question.title) });
  }
  return kept;
}

const sortIssues = (list: ParseIssue[]) => [...list].sort((a, b) => a.line - b.line || a.column - b.column);
