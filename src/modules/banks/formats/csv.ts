// CSV (or TSV) question lists: a header row naming the columns, then one question per row
// (formats.md, "a CSV layout that fits Stackprep"). Lines starting with "#" are comments;
// "#separator:Semicolon|Tab|Comma|Pipe" picks the separator, otherwise the header line tells.
import { parse } from "csv-parse/sync";
import type { ChoiceOption, ParseOptions, ParseResult, ParsedQuestion, QuestionBody } from "../model";
import { deriveExternalId, ID_PATTERN, normaliseTopicPath } from "./ids";
import { buildQuestion, createIssues, finishBank, isFull, labelOf, lineLocator, normaliseText, NUMBER } from "./scan";

const SEPARATORS: Record<string, string> = { comma: ",", semicolon: ";", tab: "\t", pipe: "|" };
const COLUMNS = ["id", "topic", "type", "stem", "options", "answer", "explanation", "tags", "difficulty", "references"];
// Moodle's CSV question format (qformat_csv): questionname, questiontext, options A to D,
// "Answer 1" and "Answer 2" (the letters of the right options: two make it multiple
// response), answernumbering, the three combined feedbacks and defaultmark. The name becomes
// the question's title, generalfeedback (when present) its explanation; the rest has no place.
const MOODLE_COLUMNS: Record<string, string> = {
  questionname: "title",
  questiontext: "stem",
  "answer 1": "answer1",
  answer1: "answer1",
  "answer 2": "answer2",
  answer2: "answer2",
  generalfeedback: "explanation",
};
const MOODLE_IGNORED = [
  "answernumbering",
  "correctfeedback",
  "partiallycorrectfeedback",
  "incorrectfeedback",
  "defaultmark",
];
const TYPES = ["single", "multiple", "truefalse", "short", "numeric", "ordering", "essay"];
const LETTER_COLUMN = /^(?:option[ _]?)?([a-h])$/;

type Row = { fields: string[]; raw: string };
type Located = { fields: string[]; start: number; columns: number[] };

/** Offsets where the fields of the record at `start` begin, and where a quote that never closes opens (RFC 4180). */
function scanRecord(text: string, start: number, separator: string): { columns: number[]; openQuote: number } {
  const columns = [start];
  let i = start;
  while (i < text.length && text[i] !== "\n") {
    if (text[i] === '"' && i === columns[columns.length - 1]) {
      const quote = i;
      for (i++; i < text.length && !(text[i] === '"' && text[i + 1] !== '"'); i += text[i] === '"' ? 2 : 1);
      if (i >= text.length) return { columns, openQuote: quote };
      i++;
    } else if (text.startsWith(separator, i)) columns.push((i += separator.length));
    else i++;
  }
  return { columns, openQuote: -1 };
}

/** Where the record of a raw chunk starts: csv-parse puts preceding comments and blank lines into `raw`. */
function recordStart(text: string, offset: number): number {
  let start = offset;
  while (text[start] === "\n" || text[start] === "#")
    start = text.indexOf("\n", start) < 0 ? text.length : text.indexOf("\n", start) + 1;
  return start;
}

/** Trimmed, non-empty items of a list cell such as "a|b" or "x;y". */
const items = (cell: string, separator: string) =>
  cell
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);

const fieldsOf = (record: unknown): string[] => {
  const fields = typeof record === "object" && record !== null && "record" in record ? record.record : record;
  return Array.isArray(fields) ? fields.map(String) : [];
};

function separatorOf(text: string, report: (offset: number, message: string) => void): string {
  let offset = 0;
  for (const line of text.split("\n")) {
    const declared = /^#separator:(.*)$/i.exec(line.trim());
    const name = declared?.[1]?.trim().toLowerCase() ?? "";
    if (declared && SEPARATORS[name]) return SEPARATORS[name];
    const unknown = `unknown separator "${declared?.[1]?.trim()}"; write #separator:Comma, Semicolon, Tab or Pipe`;
    if (declared) report(offset, unknown);
    if (line.trim() !== "" && !line.startsWith("#"))
      return line.includes("\t") ? "\t" : line.includes(";") && !line.includes(",") ? ";" : ",";
    offset += line.length + 1;
  }
  return ",";
}

type RowContext = {
  get: (name: string) => string;
  fail: (column: string, message: string) => undefined;
  options: { letter: string; text: string }[];
};

/** Answer letters "A" or "A;C", optionally weighted "A:50;C:50;D:-50". */
function letters({ get, fail, options }: RowContext): { letter: string; weight?: number }[] | undefined {
  const picked: { letter: string; weight?: number }[] = [];
  for (const part of items(get("answer"), ";")) {
    const [name = "", weight] = part.split(":").map((item) => item.trim());
    const letter = name.toUpperCase();
    const named = `answer "${get("answer")}"`;
    const known = options.map((option) => option.letter).join(", ") || "missing";
    if (!options.some((option) => option.letter === letter))
      return fail("answer", `${named} names no option ${letter}; the options are ${known}`);
    if (picked.some((item) => item.letter === letter)) return fail("answer", `${named} names option ${letter} twice`);
    const badWeight = `${named} has the weight "${weight}"; write a percentage between -100 and 100, such as A:50`;
    if (weight !== undefined && (!NUMBER.test(weight) || Math.abs(Number(weight)) > 100))
      return fail("answer", badWeight);
    picked.push(weight === undefined ? { letter } : { letter, weight: Number(weight) });
  }
  return picked;
}

function readBody(type: string, context: RowContext): QuestionBody | undefined {
  const { get, fail, options } = context;
  const answer = get("answer");
  const choices = ["single", "multiple", "ordering"].includes(type);
  const few = `a ${type} question needs at least two options, in "options" separated by "|" or in columns A, B, C...`;
  if (choices && options.length < 2) return fail("options", few);
  if (type === "ordering")
    return answer
      ? fail("answer", `leave "answer" empty for ordering questions: "options" lists the items in their right order`)
      : { type, items: options.map((option) => option.text) };
  if (type === "essay") {
    if (options.length > 0) return fail("options", `an essay takes no options; write its model answer in "answer"`);
    // The model answer: what a good answer says, shown once the learner has written theirs.
    return answer === ""
      ? fail("answer", `the "answer" of an essay is empty; write its model answer there`)
      : { type, modelAnswer: answer };
  }
  const what = type === "truefalse" ? "write true or false" : "write the right answer";
  if (answer === "") return fail("answer", `the "answer" of a ${type} question is empty; ${what}`);
  if (type === "truefalse")
    return /^(true|false)$/i.test(answer)
      ? { type, answer: answer.toLowerCase() === "true" }
      : fail("answer", `answer "${answer}" must be true or false for a truefalse question`);
  if (type === "short") return { type, accept: items(answer, "|"), caseSensitive: false };
  if (type === "numeric") {
    const answers = items(answer, "|").map((item) => item.split(":").map((part) => part.trim()));
    const bad = answers.find(
      ([value = "", tolerance = "0", ...rest]) =>
        rest.length > 0 || !NUMBER.test(value) || !NUMBER.test(tolerance) || Number(tolerance) < 0,
    );
    const notNumber = `answer "${answer}" is not a number; write value or value:tolerance, such as 404 or 3.14:0.01`;
    if (bad) return fail("answer", notNumber);
    return {
      type,
      answers: answers.map(([value = "", tolerance = "0"]) => ({ value: Number(value), tolerance: Number(tolerance) })),
    };
  }
  const picked = letters(context);
  if (!picked) return undefined;
  const notOne = `answer "${answer}" must name exactly one option letter at full marks for a single question (others may earn part of the mark, as A;B:50); use type multiple for several`;
  if (type === "single" && picked.length > 1) {
    // Partial credit: one right letter, the others a share of the mark ("A;B:50").
    const full = picked.filter((pick) => pick.weight === undefined || pick.weight === 100);
    if (full.length !== 1) return fail("answer", notOne);
    const share = new Map(picked.map((pick) => [pick.letter, pick.weight ?? 100]));
    return {
      type,
      options: options.map(({ letter, text }) => ({
        text,
        correct: letter === full[0]!.letter,
        weight: share.get(letter) ?? 0,
      })),
    };
  }
  if (type === "single" && picked.length !== 1) return fail("answer", notOne);
  const weighted = (option: ChoiceOption, weight: number | undefined) =>
    weight === undefined ? option : { ...option, weight };
  const body = options.map(({ letter, text }) => {
    const pick = picked.find((item) => item.letter === letter);
    return weighted({ text, correct: pick !== undefined && (pick.weight ?? 1) > 0 }, pick?.weight);
  });
  if (!body.some((option) => option.correct))
    return fail("answer", `answer "${answer}" marks no option as correct; give at least one a positive weight`);
  return type === "single" ? { type: "single", options: body } : { type: "multiple", options: body };
}

export function parseCsv(text: string, options: ParseOptions): ParseResult {
  const issues = createIssues(options.file);
  const source = normaliseText(text);
  const locate = lineLocator(source);
  const report = (offset: number, message: string) => {
    const { line, column } = locate(offset);
    issues.error(line, column, message);
  };
  const separator = separatorOf(source, report);
  const rows: Row[] = [];
  try {
    parse(source, {
      delimiter: separator,
      comment: "#",
      comment_no_infix: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      raw: true,
      // With `raw`, csv-parse hands over { record, raw } (its typings say string[]).
      on_record: (record: unknown, context) => void rows.push({ fields: fieldsOf(record), raw: context.raw ?? "" }),
    });
  } catch (error) {
    const consumed = rows.reduce((sum, row) => sum + row.raw.length, 0);
    const start = recordStart(source, consumed);
    const { openQuote } = scanRecord(source, start, separator);
    const why = error instanceof Error ? error.message : String(error);
    const unclosed = `quoted field opened on line ${locate(openQuote).line} is never closed; add the closing " (write "" for a quote inside a field); the rest of the file was not read`;
    if (openQuote >= 0) report(openQuote, unclosed);
    else report(start, `the CSV could not be read here (${why}); the rest of the file was not read`);
  }
  // Each record's start and field positions, for messages that point at the cell.
  let consumed = 0;
  const records: Located[] = rows.map((row) => {
    const start = recordStart(source, consumed);
    consumed += row.raw.length;
    return { fields: row.fields, start, columns: scanRecord(source, start, separator).columns };
  });
  const [header, ...data] = records;
  if (!header) {
    const message =
      "the file has no header row; start it with a row naming the columns, such as id,topic,type,stem,options,answer";
    issues.error(1, 1, message);
    return finishBank(options, [], issues);
  }
  // "question" is what other tools call the stem.
  const names = header.fields.map((name) =>
    name
      .trim()
      .toLowerCase()
      .replace(/^question$/, "stem")
      .replace(/^.*$/, (name) => MOODLE_COLUMNS[name] ?? name),
  );
  names.forEach((name, k) => {
    const at = header.columns[k] ?? header.start;
    if (names.indexOf(name) !== k) report(at, `the column "${name}" appears twice in the header; keep one`);
    else if (
      name !== "" &&
      ![...COLUMNS, "title", "answer1", "answer2", ...MOODLE_IGNORED].includes(name) &&
      !LETTER_COLUMN.test(name)
    )
      issues.warn(locate(at).line, locate(at).column, `unknown column "${name}" is ignored`);
  });
  if (!names.includes("stem"))
    report(header.start, `the header row has no "stem" column; name the column holding the question text "stem"`);
  if (issues.errors.length > 0 && !names.includes("stem")) return finishBank(options, [], issues);
  const questions: ParsedQuestion[] = [];
  for (const record of data) {
    const mark = issues.mark();
    const question = readRow(record, names, { report, locate, options, separator });
    if (!issues.settle(mark, rejection(record, names, { locate, options })) && question) questions.push(question);
    if (isFull(questions)) break;
  }
  return finishBank(options, questions, issues, topicTitlesOf(data, names));
}

type ReadContext = {
  report: (offset: number, message: string) => void;
  locate: ReturnType<typeof lineLocator>;
  options: ParseOptions;
  separator: string;
};

function readRow(
  record: Located,
  names: string[],
  { report, locate, options, separator }: ReadContext,
): ParsedQuestion | undefined {
  if (record.fields.every((field) => field.trim() === "")) return undefined;
  const line = locate(record.start).line;
  if (record.fields.length !== names.length) {
    const tab = separator === "\t" ? "a tab" : `"${separator}"`;
    const count = `the row on line ${line} has ${record.fields.length} fields but the header has ${names.length}; quote fields that contain ${tab}`;
    return void report(record.start, count);
  }
  const cell = (name: string) => record.fields[names.indexOf(name)]?.trim() ?? "";
  // Moodle's layout: the right letters in "Answer 1" and "Answer 2".
  const moodleLetters = [cell("answer1"), cell("answer2")].filter((letter) => letter !== "");
  const moodle = !names.includes("answer") && names.includes("answer1");
  // Two right letters: Moodle gives each half the mark and the other options none, so picking
  // one right option earns 50% (weights), not the share left after a wrong pick.
  const moodleAnswer =
    moodleLetters.length > 1 ? moodleLetters.map((letter) => `${letter}:50`).join(";") : moodleLetters.join(";");
  const get = (name: string) => (moodle && name === "answer" ? moodleAnswer : cell(name));
  let valid = true;
  const fail = (column: string, message: string) => {
    valid = false;
    return void report(record.columns[names.indexOf(column)] ?? record.start, `${message} (row on line ${line})`);
  };
  const pipe = get("options");
  const listed = pipe
    ? pipe.split("|").map((text, k) => ({ letter: String.fromCharCode(65 + k), text: text.trim() }))
    : [];
  const columns = names.flatMap((name, k) => {
    const letter = LETTER_COLUMN.exec(name)?.[1]?.toUpperCase();
    const text = record.fields[k]?.trim() ?? "";
    return letter && text ? [{ letter, text }] : [];
  });
  const choices = pipe ? listed : columns;
  if (choices.some((option) => option.text === ""))
    fail("options", `"options" has an empty item; separate non-empty options with "|"`);
  const type = get("type").toLowerCase() || (moodle && moodleLetters.length > 1 ? "multiple" : "single");
  if (!TYPES.includes(type)) fail("type", `unknown type "${get("type")}"; use ${TYPES.join(", ")}`);
  const stem = get("stem");
  if (stem === "") fail("stem", `the stem is empty; write the question text`);
  const difficulty = get("difficulty") || "2";
  if (!/^[123]$/.test(difficulty)) fail("difficulty", `difficulty "${difficulty}" must be 1, 2 or 3`);
  const id = get("id");
  if (id && !ID_PATTERN.test(id))
    fail("id", `id "${id}" is not a Stackprep id; use lower-case letters, digits and dashes, such as sql-001`);
  const body = TYPES.includes(type) && valid ? readBody(type, { get, fail, options: choices }) : undefined;
  if (!body || !valid) return undefined;
  const topic = normaliseTopicPath(get("topic"))?.path ?? options.defaultTopic;
  const lists = { tags: items(get("tags"), ";"), references: items(get("references"), ";") };
  const level = Number(difficulty) as 1 | 2 | 3;
  const common = { stem, topic, explanation: get("explanation"), difficulty: level, line, column: 1 };
  const title = get("title") || undefined;
  return buildQuestion(options, { ...common, ...lists, body, id: id || undefined, ...(title ? { title } : {}) });
}

/** How a refused row is named: its stem (or its first field), with the id it would have. */
function rejection(
  record: Located,
  names: string[],
  { locate, options }: { locate: ReturnType<typeof lineLocator>; options: ParseOptions },
) {
  const get = (name: string) => record.fields[names.indexOf(name)]?.trim() ?? "";
  const position = { file: options.file, ...locate(record.start) };
  const label = labelOf(get("stem") || record.fields.find((field) => field.trim() !== "") || "(empty row)");
  const topic = normaliseTopicPath(get("topic"))?.path ?? options.defaultTopic;
  const id = ID_PATTERN.test(get("id"))
    ? get("id")
    : get("stem")
      ? deriveExternalId(options.slug, topic, get("stem"))
      : "";
  return id ? { position, label, externalId: id } : { position, label };
}

function topicTitlesOf(records: Located[], names: string[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const record of records) {
    const path = normaliseTopicPath(record.fields[names.indexOf("topic")] ?? "");
    if (path) titles.set(path.path, path.title);
  }
  return titles;
}
