// GIFT, Moodle's plain-text quiz format: parser into the normalised model, and exporter.
// Code pasted into questions is where GIFT imports break most, so fenced blocks and
// `inline code` are read as code: GIFT specials there need no escaping (escaped ones still
// decode), and inside fences a "\\" stays two backslashes, as Java strings and regexes need.
import { gapMarkerProblem, numericWeight, singleHasPartialCredit } from "../model";
import type {
  ChoiceOption,
  NumericAnswer,
  ShortAnswer,
  ParseOptions,
  ParseResult,
  ParsedBank,
  ParsedQuestion,
  QuestionBody,
} from "../model";
import { ID_PATTERN, normaliseTopicPath } from "./ids";
import { htmlToMarkdown } from "./moodle-xml";
import type { Issues, SourceLine } from "./scan";
import { buildQuestion, choiceOption, codeExtents, createIssues, fenceOpening, fencedLines, finishBank } from "./scan";
import { choiceOptionProblems, isFull, labelOf } from "./scan";
import { firstColumn, normaliseText, NUMBER, scanUnits, Units } from "./scan";
import { weightedShortKey } from "./wildcards";

const SPECIALS = "~=#{}:";
type Block =
  { kind: "question"; lines: SourceLine[] } | { kind: "category"; path: string; line: number; column: number };
/** `text` without its format tag, as written; `format` says how to read it. */
type Item = {
  marker: string;
  weight: number | undefined;
  text: string;
  format: TextFormat;
  feedback: string | undefined;
  at: number;
};

// Format tags, as Moodle reads them: before a question's text, and before any answer or
// feedback, whose format is otherwise the question's. [html] and [moodle] (Moodle's
// auto-format: HTML, line breaks kept) become Markdown as Moodle XML's HTML does; [plain] is
// text, so Markdown's specials are escaped; [markdown] is Markdown; no tag is [moodle], Moodle's default.
type TextFormat = "markdown" | "plain" | "html" | "moodle";
const FORMAT_TAG = /^\[(markdown|plain|html|moodle)\]/i;
const textFormats = new WeakMap<Units, TextFormat>();

/** Backslash-escapes every ASCII punctuation character Markdown could read as syntax. */
export const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]<>()#+\-.!|~&]/g, "\\$&");

function renderAs(format: TextFormat, text: string): string {
  if (format === "html") return htmlToMarkdown(text);
  if (format === "moodle") return htmlToMarkdown(text.replace(/\n/g, "<br>"));
  if (format === "plain") return escapeMarkdown(text);
  return text;
}

/** A text's own format tag, stripped, else the question's format. */
function tagged(u: Units, text: string): { text: string; format: TextFormat } {
  const tag = FORMAT_TAG.exec(text);
  const format = (tag?.[1]?.toLowerCase() as TextFormat | undefined) ?? textFormats.get(u) ?? "moodle";
  return { text: tag ? text.slice(tag[0].length).trim() : text, format };
}

/** A Markdown field (stem, feedback) from GIFT text in its format. */
function render(u: Units, text: string): string {
  const { text: body, format } = tagged(u, text);
  return renderAs(format, body);
}

/** An answer compared with what a learner types: the text itself, HTML decoded. */
const answerText = (item: Item) =>
  item.format === "html" || item.format === "moodle" ? htmlToMarkdown(item.text, { literal: false }) : item.text;

/** Questions are separated by blank lines, except inside fenced code; `//` lines are comments. */
function splitBlocks(text: string, issues: Issues): Block[] {
  const blocks: Block[] = [];
  let current: SourceLine[] = [];
  const flush = () => {
    if (current.length > 0) blocks.push({ kind: "question", lines: current });
    current = [];
  };
  const lines = normaliseText(text).split("\n");
  const { fenced, codeEnd, unclosed } = codeExtents(lines);
  lines.forEach((source, index) => {
    const [line, trimmed] = [index + 1, source.trim()];
    const category = /^\$CATEGORY:(.*)$/i.exec(trimmed);
    if (fenced[index]) current.push({ text: source, line, codeEnd: codeEnd[index] ?? 0 });
    else if (trimmed === "") flush();
    else if (category) {
      flush();
      blocks.push({ kind: "category", path: category[1] ?? "", line, column: firstColumn(source) });
    } else if (!trimmed.startsWith("//")) current.push({ text: source, line, codeEnd: 0 });
  });
  if (unclosed >= 0) {
    const ticks = "`".repeat(fenceOpening(lines[unclosed] ?? ""));
    const message = `code fence ${ticks} opened on line ${unclosed + 1} is never closed; add a line ${ticks} after the code`;
    issues.error(unclosed + 1, firstColumn(lines[unclosed] ?? ""), message);
  }
  flush();
  return blocks;
}

type Context = { options: ParseOptions; issues: Issues; topic: string };

/**
 * The scanner keeps an object per character of a question (about 80 bytes each): a 10 MB
 * question took close to a gigabyte. No real question comes near this.
 */
export const MAX_QUESTION_CHARACTERS = 100_000;

function tooLong(lines: SourceLine[], issues: Issues): boolean {
  const size = lines.reduce((sum, line) => sum + line.text.length + 1, 0);
  if (size <= MAX_QUESTION_CHARACTERS) return false;
  const first = lines[0]!;
  const message = `the question starting on line ${first.line} holds ${size.toLocaleString("en")} characters, more than the ${MAX_QUESTION_CHARACTERS.toLocaleString("en")} a question may hold; is a blank line between questions missing?`;
  issues.error(first.line, 1, message);
  return true;
}

/** A description: text without an answer block, which introduces the questions after it. */
type Description = { description: string };

function parseQuestion(
  lines: SourceLine[],
  { options, issues, topic }: Context,
): ParsedQuestion | Description | undefined {
  if (tooLong(lines, issues)) return undefined;
  const u = new Units(scanUnits(lines, issues, SPECIALS), issues);
  const start = u.skip(0);
  let i = start;
  let title: string | undefined;
  if (u.find("::", i, i + 2) === i) {
    const end = u.find("::", i + 2);
    const unclosed = `title opened with "::" on line ${u.line(i)} is never closed; add "::" after the title`;
    if (end < 0) return u.error(i, unclosed);
    title = u.text(i + 2, end);
    i = u.skip(end + 2);
  }
  const format = u.is(i, "[") ? FORMAT_TAG.exec(u.text(i, i + 10)) : null;
  if (format) i += format[0].length;
  textFormats.set(u, (format?.[1]?.toLowerCase() as TextFormat | undefined) ?? "moodle");
  const open = u.find("{", i);
  const stray = u.find("}", i, open < 0 ? u.length : open);
  if (stray >= 0) return u.error(stray, `stray "}" with no "{" before it; write \\} for a literal brace`);
  if (open < 0) return { description: render(u, u.text(i)) };
  const close = u.find("}", open + 1);
  const nested = u.find("{", open + 1, close < 0 ? u.length : close);
  const opened = `answer block opened with "{" on line ${u.line(open)}`;
  const before = `${opened} is not closed before the "{" on line ${u.line(nested)}; add "}" (write \\{ for a literal brace)`;
  if (nested >= 0) return u.error(open, before);
  if (close < 0) return u.error(open, `${opened} is never closed; add "}"`);
  // Text after the block: a missing-word question, whose blank stands where the block was.
  const after = u.skip(close + 1);
  const gap = after < u.length;
  const space = (k: number) => (/\s/.test(u.list[k]?.ch ?? "") ? " " : "");
  const lead = render(u, u.text(i, open));
  const tail = gap ? render(u, u.text(close + 1)) : "";
  const stem = gap ? `${lead}${lead ? space(open - 1) : ""}[[1]]${space(close + 1)}${tail}` : lead;
  const file = /@@PLUGINFILE@@\/([^"'\s<>)]*)/.exec(u.text(start));
  const embedded = `it refers to the file "${decodeURIComponent(file?.[1] ?? "") || "(unnamed)"}" (@@PLUGINFILE@@), which a GIFT file cannot carry; put the image on a web server and link to it by URL, or remove it`;
  if (file) return u.error(start, embedded);
  const noStem = `the question on line ${u.line(start)} has no text before its answer block; write the question before "{"`;
  if (stem === "") u.error(open, noStem);
  const parsed = parseAnswers(u, open + 1, close);
  const answer = gap && parsed ? blankOf(u, parsed, open) : parsed;
  const markers = gap ? gapMarkerProblem(stem, 1) : undefined;
  if (markers) u.error(start, `missing-word question: ${markers}; its text may not hold [[n]] itself`);
  if (!answer || stem === "" || markers) return undefined;
  const id = title !== undefined && ID_PATTERN.test(title) ? title : undefined;
  const position = { line: u.line(start), column: u.list[start]?.column ?? 1 };
  return buildQuestion(options, { ...answer, ...position, stem, topic, id, title: id ? undefined : title });
}

/** A missing word's block as the question's one blank: a choice (`{=right ~wrong}`) or typed text (`{=answer}`). */
function blankOf(
  u: Units,
  answer: { body: QuestionBody; explanation: string },
  open: number,
): { body: QuestionBody; explanation: string } | undefined {
  const { body, explanation } = answer;
  const kept = `a missing word earns full marks or none and carries no feedback per typed answer (line ${u.line(open)}): partial credit and typed answers' feedback are dropped`;
  if (
    (body.type === "single" && body.options.some((o) => o.weight !== undefined)) ||
    (body.type === "short" && (body.weighted || body.otherFeedback))
  )
    u.warn(open, kept);
  if (body.type === "single")
    return { body: { type: "gap", gaps: [{ kind: "choice", options: body.options }] }, explanation };
  const wild = `a missing word typed as text cannot take the wildcard * (line ${u.line(open)}); write each accepted text out`;
  if (body.type === "short" && body.pattern !== undefined) return u.error(open, wild);
  if (body.type === "short")
    return { body: { type: "gap", gaps: [{ kind: "text", accept: body.accept, caseSensitive: false }] }, explanation };
  const what = body.type === "multiple" ? "multiple response" : body.type;
  const message = `a missing word (text after the answer block on line ${u.line(open)}) is filled by one choice {=right ~wrong} or by text {=answer}, not by a ${what} block`;
  return u.error(open, message);
}

/** The block's type follows Moodle's order: numeric, choice, matching, true/false, short answer. */
function parseAnswers(u: Units, from: number, to: number): { body: QuestionBody; explanation: string } | undefined {
  const general = u.find("####", from, to);
  const explanation = general < 0 ? "" : render(u, u.text(general + 4, to));
  const end = general < 0 ? to : general;
  const start = u.skip(from, end);
  const line = u.line(from - 1);
  // An essay: no answers; the general feedback, if any, is its model answer (Stackprep keeps
  // the explanation for the other types).
  if (start >= end) {
    const none = `essay on line ${line} has no model answer; write one after #### in its block, as {####model answer}`;
    if (explanation === "") u.warn(from - 1, none);
    return { body: { type: "essay", modelAnswer: explanation }, explanation: "" };
  }
  const wrap = (body: QuestionBody | undefined) => body && { body, explanation };
  if (u.is(start, "#")) return wrap(parseNumeric(u, start + 1, end));
  if (u.find("~", start, end) >= 0) return wrap(parseChoice(u, start, end));
  const arrow = u.find("->", start, end);
  if (arrow >= 0 && u.find("=", start, end) >= 0) return wrap(parseMatching(u, start, end));
  const hashes = u.all("#", start, end);
  const head = u.text(start, hashes[0] ?? end);
  if (!/^(T|TRUE|F|FALSE)$/i.test(head)) return wrap(parseShort(u, start, end));
  const tooMany = `true/false block on line ${line} has more than two feedbacks; write {TRUE#if wrong#if right}`;
  if (hashes.length > 2) return u.error(hashes[2] ?? start, tooMany);
  // Stackprep keeps one explanation: the general feedback, else the feedback for a wrong answer.
  // Read in their format, as every other feedback is ([html] feedback is HTML, not text).
  const feedbacks = hashes
    .map((at, k) => render(u, u.text(at + 1, hashes[k + 1] ?? end)))
    .filter((text) => text !== "");
  const kept = explanation || feedbacks[0] || "";
  const dropped =
    "true/false feedback is dropped (Stackprep keeps one explanation); move it into the general feedback after ####";
  if (feedbacks.some((text) => text !== kept)) u.warn(hashes[0] ?? start, dropped);
  return { body: { type: "truefalse", answer: head.toUpperCase().startsWith("T") }, explanation: kept };
}

/** Answers start with "=" or "~", may carry a weight %n% and feedback after "#". */
function splitItems(u: Units, from: number, to: number, allowEmptyWrong = false): Item[] | undefined {
  const markers = [...u.all("=", from, to), ...u.all("~", from, to)].sort((a, b) => a - b);
  const lead = u.skip(from, markers[0] ?? to);
  const stray = `"${u.text(lead, markers[0] ?? to)}" stands before the first answer; start each answer with "=" (right) or "~" (wrong)`;
  if (lead < (markers[0] ?? to)) return u.error(lead, stray);
  let valid = true;
  const invalid = (at: number, message: string) => {
    valid = false;
    u.error(at, message);
  };
  const items = markers.map((at, k): Item => {
    const end = markers[k + 1] ?? to;
    let i = u.skip(at + 1, end);
    const percent = u.is(i, "%") ? u.find("%", i + 1, end) : -1;
    const raw = percent < 0 ? undefined : u.text(i + 1, percent);
    const weight = raw === undefined ? undefined : Number(raw);
    const badWeight = `weight "%${raw}%" is not a percentage between -100 and 100; write it like %50% or %-100%`;
    if (raw !== undefined && (!/^[+-]?\d+(\.\d+)?$/.test(raw) || Math.abs(weight ?? 0) > 100)) invalid(i, badWeight);
    i = percent < 0 ? i : percent + 1;
    const hash = u.find("#", i, end);
    const text = u.text(i, hash < 0 ? end : hash);
    const marker = u.list[at]?.ch ?? "";
    if (text === "" && !(allowEmptyWrong && marker === "~"))
      invalid(at, `answer "${marker}" on line ${u.line(at)} has no text; write the answer after "${marker}"`);
    const feedback = hash < 0 ? undefined : render(u, u.text(hash + 1, end));
    return { marker, weight, ...tagged(u, text), feedback, at };
  });
  return valid ? items : undefined;
}

const option = (item: Item, correct: boolean) => choiceOption(renderAs(item.format, item.text), correct, item.feedback);

function parseChoice(u: Units, from: number, to: number): QuestionBody | undefined {
  const items = splitItems(u, from, to);
  const line = u.line(from);
  if (!items) return undefined;
  const one = `multiple choice block on line ${line} has only one option; add at least one more, such as ~wrong`;
  if (items.length < 2) return u.error(from, one);
  const problems = choiceOptionProblems(items.map((item) => item.text));
  for (const { index, message } of problems) u.error(items[index]?.at ?? from, message);
  if (problems.length > 0) return undefined;
  const rights = items.filter((item) => item.marker === "=");
  const many = `single choice block on line ${line} marks ${rights.length} options with "="; mark exactly one, or give weights (~%50%) for multiple response`;
  if (rights.length > 1) return u.error(rights[1]?.at ?? from, many);
  if (rights.length === 1) {
    // ~%50%answer: that option earns half the mark (Moodle's single choice with fractions).
    const partial = items.some((item) => item.marker === "~" && (item.weight ?? 0) !== 0);
    const full = `the right option "=" takes no weight; write ~%${rights[0]?.weight}% on a wrong option for partial credit`;
    if (rights[0]?.weight !== undefined && rights[0].weight !== 100) return u.error(rights[0].at, full);
    const twice = items.find((item) => item.marker === "~" && item.weight === 100);
    const second = `~%100% gives a second option full marks in a single choice block on line ${line}; mark one option "=" and give the others less, such as ~%50%`;
    if (twice) return u.error(twice.at, second);
    const weight = (item: Item) => (item.marker === "=" ? 100 : (item.weight ?? 0));
    const choice = (item: Item) => option(item, item.marker === "=");
    return {
      type: "single",
      options: items.map((item) => (partial ? { ...choice(item), weight: weight(item) } : choice(item))),
    };
  }
  const none = `multiple choice block on line ${line} has no correct answer; mark the right option with "=", or give right options a positive weight such as ~%50%`;
  if (!items.some((item) => (item.weight ?? 0) > 0)) return u.error(from, none);
  const total = items.reduce((sum, item) => sum + Math.max(0, item.weight ?? 0), 0);
  if (Math.abs(total - 100) > 0.01) u.warn(from, `weights of the correct options add up to ${total}%, not 100%`);
  const weighted = (item: Item) => ({ ...option(item, (item.weight ?? 0) > 0), weight: item.weight ?? 0 });
  return { type: "multiple", options: items.map(weighted) };
}

/**
 * `{=prompt -> answer =prompt -> answer}`: at least two pairs; `= -> answer` (no prompt) is a
 * distractor, an answer no prompt takes. Moodle allows neither weights nor feedback here.
 */
function parseMatching(u: Units, from: number, to: number): QuestionBody | undefined {
  const line = u.line(from);
  const markers = u.all("=", from, to);
  const lead = u.skip(from, markers[0] ?? to);
  const stray = `"${u.text(lead, markers[0] ?? to)}" stands before the first pair; start each pair with "=", as in =prompt -> answer`;
  if (lead < (markers[0] ?? to)) return u.error(lead, stray);
  const pairs: { prompt: string; match: string }[] = [];
  const distractors: string[] = [];
  const prompts = new Map<string, number>();
  let valid = true;
  const invalid = (at: number, message: string) => {
    valid = false;
    u.error(at, message);
  };
  markers.forEach((at, k) => {
    const end = markers[k + 1] ?? to;
    const arrow = u.find("->", at + 1, end);
    const hash = u.find("#", at + 1, end);
    const text = u.text(at + 1, end);
    if (arrow < 0) return invalid(at, `pair "=${text}" on line ${u.line(at)} has no "->"; write =prompt -> answer`);
    if (hash >= 0)
      return invalid(hash, `matching pairs take no feedback ("#"); move it into the general feedback after ####`);
    const prompt = tagged(u, u.text(at + 1, arrow));
    const match = tagged(u, u.text(arrow + 2, end));
    const promptMd = prompt.text === "" ? "" : renderAs(prompt.format, prompt.text);
    const matchMd = renderAs(match.format, match.text);
    if (matchMd === "")
      return invalid(arrow, `pair on line ${u.line(at)} has no answer after "->"; write =prompt -> answer`);
    if (promptMd === "") return void distractors.push(matchMd);
    const key = promptMd.toLowerCase();
    const first = prompts.get(key);
    if (first !== undefined) return invalid(at, `prompt "${promptMd}" is given twice (pair ${first + 1} and ${k + 1})`);
    prompts.set(key, k);
    pairs.push({ prompt: promptMd, match: matchMd });
  });
  if (!valid) return undefined;
  const few = `matching block on line ${line} has ${pairs.length} pair${pairs.length === 1 ? "" : "s"}; give at least two, such as =prompt -> answer`;
  if (pairs.length < 2) return u.error(from, few);
  const answers = new Set(pairs.map((p) => p.match));
  const same = `every prompt of the matching block on line ${line} has the same answer; give at least two different answers`;
  if (answers.size < 2) return u.error(from, same);
  const taken = distractors.find((d) => answers.has(d));
  const twice = `distractor "${taken}" is also the answer of a pair; remove the "= -> ${taken}" line`;
  if (taken !== undefined) return u.error(from, twice);
  return { type: "matching", pairs, distractors };
}

/** A typed answer's weight: "=" alone is full marks; %n% must lie in 0..100 (no negative marks here). */
function typedWeight(u: Units, item: Item, what: string): number | undefined {
  const weight = item.weight ?? (item.marker === "=" ? 100 : 0);
  if (weight >= 0) return weight;
  return u.error(item.at, `a ${what} takes a weight between 0% and 100%, not %${item.weight}%; write it like %50%`);
}

function parseShort(u: Units, from: number, to: number): QuestionBody | undefined {
  const text = u.text(from, to);
  const bare = `answer block "{${text}}" on line ${u.line(from)} has no "=" or "~"; write {=${text}} for a short answer, or mark options with "=" and "~"`;
  if (u.find("=", from, to) < 0) return u.error(from, bare);
  const items = splitItems(u, from, to);
  if (!items) return undefined;
  const weights = items.map((item) => typedWeight(u, item, "short answer"));
  if (weights.some((weight) => weight === undefined)) return undefined;
  const key = weightedShortKey(
    items.map((item, k) => ({
      text: answerText(item),
      weight: weights[k]!,
      ...(item.feedback ? { feedback: item.feedback } : {}),
    })),
  );
  if ("problem" in key) return u.error(from, `short answer block on line ${u.line(from)}: ${key.problem}`);
  const none = `short answer block on line ${u.line(from)} has no full-credit answer; write at least one as =answer`;
  if (key.accept.length === 0 && key.pattern === undefined) return u.error(from, none);
  const at = (answer: { text: string }) => items.find((item) => answerText(item) === answer.text)?.at ?? from;
  for (const answer of key.droppedPartial)
    u.warn(
      at(answer),
      `the partial-credit answer "${answer.text}" (%${answer.weight}%) is dropped: an answer with the wildcard * earns full marks or none`,
    );
  for (const answer of key.droppedFeedback)
    u.warn(at(answer), `the feedback on "${answer.text}" is dropped: an answer with the wildcard * carries none`);
  const { droppedPartial: _p, droppedFeedback: _f, ...body } = key;
  return { type: "short", ...body, caseSensitive: false };
}

/** `value`, `value:tolerance` or `min..max` (kept as its midpoint and half-width). */
function numberSpec(u: Units, text: string, at: number): { value: number; tolerance: number } | undefined {
  const fail = (why: string) =>
    u.error(at, `numeric answer "${text}" ${why}; write {#value}, {#value:tolerance} or {#min..max}`);
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  const parts = range ? [range[1] ?? "", range[2] ?? ""] : text.split(":");
  const [low = "", high = "0"] = parts.map((part) => part.trim());
  if (parts.length > 2 || !NUMBER.test(low) || !NUMBER.test(high)) return fail("is not a number");
  const [a, b] = [Number(low), Number(high)];
  // Rounded, so 3.141..3.142 gives 3.1415 and not 3.1414999999999997.
  const round = (value: number) => Number(value.toPrecision(12));
  if (range)
    return b < a ? fail("has its larger end first") : { value: round((a + b) / 2), tolerance: round((b - a) / 2) };
  return b < 0 ? fail("has a negative tolerance") : { value: a, tolerance: b };
}

/**
 * `{#1.5:0.1}`, or `{#=1500 =%50%1.5 ~100#feedback ~#feedback}`: "=" answers with their weight,
 * "~value" a wrong answer (0%), "~#..." the feedback for any other answer; each may carry feedback.
 */
function parseNumeric(u: Units, from: number, to: number): QuestionBody | undefined {
  if (u.find("=", from, to) < 0) {
    const hash = u.find("#", from, to);
    const answer = numberSpec(u, u.text(from, hash < 0 ? to : hash), from - 1);
    const feedback = hash < 0 ? "" : render(u, u.text(hash + 1, to));
    return answer && { type: "numeric", answers: [feedback ? { ...answer, feedback } : answer] };
  }
  const items = splitItems(u, from, to, true);
  if (!items) return undefined;
  const other = items.find((item) => item.marker === "~" && item.text === "");
  const answers: NumericAnswer[] = [];
  for (const item of items.filter((it) => it !== other)) {
    const spec = numberSpec(u, item.text, item.at);
    const weight = typedWeight(u, item, "numeric answer");
    if (!spec || weight === undefined) return undefined;
    answers.push({
      ...spec,
      ...(weight !== 100 ? { weight } : {}),
      ...(item.feedback ? { feedback: item.feedback } : {}),
    });
  }
  const none = `numeric block on line ${u.line(from)} has no full-credit answer; write at least one as =value`;
  if (!answers.some((answer) => numericWeight(answer) === 100)) return u.error(from, none);
  return { type: "numeric", answers, ...(other?.feedback ? { otherFeedback: other.feedback } : {}) };
}

/** How a refused question is named: its title, or the start of its text. */
function rejection(lines: SourceLine[], options: ParseOptions) {
  const first = lines[0];
  const text = lines
    .slice(0, 3)
    .map((line) => line.text)
    .join(" ");
  const title = /^\s*::(.*?)::/.exec(text)?.[1]?.trim();
  const label = labelOf(text.replace(/^\s*::.*?::/, "").replace(/^\s*\[(html|plain|markdown|moodle)\]/i, ""), title);
  const position = { file: options.file, line: first?.line ?? 1, column: firstColumn(first?.text ?? "") };
  return title && ID_PATTERN.test(title) ? { position, label, externalId: title } : { position, label };
}

export function parseGift(text: string, options: ParseOptions): ParseResult {
  const issues = createIssues(options.file);
  const questions: ParsedQuestion[] = [];
  const topicTitles = new Map<string, string>();
  let topic = options.defaultTopic;
  let intro: string | undefined;
  let line = 1;
  try {
    for (const block of splitBlocks(text, issues)) {
      if (block.kind === "question") {
        line = block.lines[0]?.line ?? line;
        const mark = issues.mark();
        const question = parseQuestion(block.lines, { options, issues, topic });
        // A description introduces the questions after it, up to the next description or category.
        if (question && "description" in question) intro = question.description || undefined;
        else if (!issues.settle(mark, rejection(block.lines, options)) && question)
          questions.push(intro ? { ...question, intro } : question);
        if (isFull(questions)) break;
        continue;
      }
      const path = normaliseTopicPath(block.path);
      const empty = `$CATEGORY: needs a category path, such as "$CATEGORY: databases/sql"`;
      if (block.path.trim() === "") issues.error(block.line, block.column, empty);
      topic = path?.path ?? options.defaultTopic;
      intro = undefined;
      if (path) topicTitles.set(path.path, path.title);
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    issues.error(line, 1, `could not read the question on line ${line} (${why}); check its syntax`);
  }
  return finishBank(options, questions, issues, topicTitles);
}

// Export. Every GIFT special is escaped, inside code too, so tools that know no code (Moodle)
// read the file as well. A line the parser would misread at a line start (blank, "//", or a
// fence that never closes) is joined to the line before with an escaped newline "\n".
// GIFT cannot express, so the export drops: ordering questions, matching questions with "->" in
// a prompt, gap questions with more than one blank or none of the text after it, and
// pattern-only short answers
// (a comment line names each), an essay's explanation (its general feedback is the model
// answer; a comment line says so), case sensitivity, numeric units, difficulty, tags, references
// and titles (the title slot carries the id). Multiple response gets equal weights.

/** One text field; starts on a line of its own when it opens with a code fence. */
function field(text: string): string {
  const lines = text.trim().split("\n");
  const code = fencedLines(lines);
  const escape = (line: string, k: number) => {
    if (code[k]) return `\n${line.replace(/[~=#{}:]/g, "\\$&")}`;
    const joined = k > 0 && (line.trim() === "" || line.trim().startsWith("//") || fenceOpening(line) > 0);
    return `${k === 0 ? "" : joined ? "\\n" : "\n"}${line.replace(/[\\~=#{}:]/g, "\\$&")}`;
  };
  return lines.map(escape).join("");
}

const percent = (value: number) => String(Number(value.toFixed(5)));

function exportAnswers(question: ParsedQuestion): string[] | undefined {
  const choice = (marker: string, item: ChoiceOption) => [
    `${marker}${field(item.text)}`,
    ...(item.feedback ? [`#${field(item.feedback)}`] : []),
  ];
  switch (question.type) {
    case "single": {
      // Partial credit as Moodle writes it: ~%50%answer.
      const partial = singleHasPartialCredit(question.options);
      const marker = (item: ChoiceOption) =>
        item.correct ? "=" : partial && item.weight ? `~%${percent(item.weight)}%` : "~";
      return question.options.flatMap((item) => choice(marker(item), item));
    }
    case "multiple": {
      const right = question.options.filter((item) => item.correct).length;
      const weight = (item: ChoiceOption) => item.weight ?? (item.correct ? 100 / right : -100);
      return question.options.flatMap((item) => choice(`~%${percent(weight(item))}%`, item));
    }
    case "truefalse":
      return [question.answer ? "TRUE" : "FALSE"];
    case "short": {
      if (question.accept.length === 0) return undefined;
      const feedback = (text?: string) => (text ? [`#${field(text)}`] : []);
      const answers: ShortAnswer[] = question.weighted ?? question.accept.map((text) => ({ text, weight: 100 }));
      return [
        ...answers.flatMap((a) => [
          `=${a.weight === 100 ? "" : `%${percent(a.weight)}%`}${field(a.text).replace(/\*/g, "\\*")}`,
          ...feedback(a.feedback),
        ]),
        // Moodle's answer for anything else: a lone wildcard worth nothing.
        ...(question.otherFeedback ? [`=%0%*`, ...feedback(question.otherFeedback)] : []),
      ];
    }
    case "numeric": {
      const number = (a: NumericAnswer) => `${a.value}:${a.tolerance}`;
      const [only] = question.answers;
      if (question.answers.length === 1 && only && numericWeight(only) === 100 && !question.otherFeedback)
        return [`#${number(only)}${only.feedback ? `#${field(only.feedback)}` : ""}`];
      if (question.answers.length === 0) return undefined;
      return [
        "#",
        ...question.answers.flatMap((a) => [
          `=${numericWeight(a) === 100 ? "" : `%${percent(numericWeight(a))}%`}${number(a)}`,
          ...(a.feedback ? [`#${field(a.feedback)}`] : []),
        ]),
        ...(question.otherFeedback ? [`~#${field(question.otherFeedback)}`] : []),
      ];
    }
    case "ordering":
      return undefined;
    case "essay":
      // The model answer travels as the general feedback; an explanation beside it cannot.
      return question.modelAnswer.trim() ? [`####${field(question.modelAnswer)}`] : [];
    case "gap": {
      // GIFT has one blank a question, and it needs text after it.
      const gap = question.gaps[0];
      const [, after = ""] = question.stem.split("[[1]]");
      if (question.gaps.length !== 1 || !gap || after.trim() === "") return undefined;
      if (gap.kind === "choice") return gap.options.flatMap((item) => choice(item.correct ? "=" : "~", item));
      return gap.accept.map((accepted) => `=${field(accepted)}`);
    }
    case "matching":
      // A prompt holding "->" would split at the wrong arrow: GIFT has no escape for it.
      if (question.pairs.some((pair) => pair.prompt.includes("->"))) return undefined;
      return [
        ...question.pairs.map((pair) => `=${field(pair.prompt)} -> ${field(pair.match)}`),
        ...question.distractors.map((distractor) => `= -> ${field(distractor)}`),
      ];
  }
}

/** GIFT for a bank, such that parseGift(exportGift(bank)) gives back the same questions. */
export function exportGift(bank: ParsedBank, leftOut?: (question: ParsedQuestion) => void): string {
  const lines = [`// ${bank.title.replace(/\s+/g, " ")} (${bank.slug}), exported by Stackprep`, ""];
  let topic: string | undefined;
  let intro: string | undefined;
  for (const question of bank.questions) {
    const answers = exportAnswers(question);
    if (!answers) {
      lines.push(`// ${question.type} question ${question.externalId} cannot be expressed in GIFT`, "");
      leftOut?.(question);
      continue;
    }
    // A category line ends an introduction too: written again when a question has none.
    if (question.topic !== topic || (intro && !question.intro)) {
      lines.push(`$CATEGORY: ${question.topic}`, "");
      intro = undefined;
    }
    topic = question.topic;
    // A description block before the questions it introduces (once for a run of them).
    if (question.intro && question.intro !== intro) lines.push(`[markdown]${field(question.intro)}`, "");
    intro = question.intro;
    const explanation =
      question.type !== "essay" && question.explanation.trim() ? [`####${field(question.explanation)}`] : [];
    // An essay's general feedback is its model answer (which Moodle, too, shows once answered):
    // an explanation beside it has no place, and the file says so where the question stands.
    if (question.type === "essay" && question.explanation.trim())
      lines.push(
        `// essay question ${question.externalId}: its explanation is left out (GIFT's general feedback holds the model answer)`,
      );
    // A missing word: the text before the blank, the block, then the text after it.
    const [before = "", after] = question.type === "gap" ? question.stem.split("[[1]]") : [question.stem];
    const head = `::${field(question.externalId)}::[markdown]${field(before)}`;
    // A blank inside a word ("the [[1]]s") keeps the block against the text.
    const tight = (text: string, edge: RegExp) => text.trim() !== "" && !edge.test(text);
    const close = after === undefined ? "}" : `}${tight(after, /^\s/) ? "" : " "}${field(after)}`;
    if (question.type === "gap" && tight(before, /\s$/)) lines.push(`${head}{`, ...answers, ...explanation, close, "");
    else lines.push(head, "{", ...answers, ...explanation, close, "");
  }
  return lines.join("\n");
}
