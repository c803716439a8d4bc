// Moodle XML quiz files. A DOCTYPE is refused before parsing and entities are never expanded
// (only the five predefined ones and character references decode), so a file cannot make the
// parser fetch or blow up. Question text in HTML becomes Markdown-ish text; code survives.
import { XMLParser } from "fast-xml-parser";
import { xmlReadable } from "./xml-guard";
import { GAP_MARKER, gapMarkerProblem, numericWeight } from "../model";
import type { NumericAnswer, ParseOptions, ParseResult, ParsedQuestion, QuestionBody } from "../model";
import { CLOZE, readCloze } from "./moodle-cloze";
import { deriveExternalId, ID_PATTERN, normaliseTopicPath, slugifySegment } from "./ids";
import { buildQuestion, choiceOption, createIssues, finishBank, lineLocator, normaliseText, NUMBER } from "./scan";
import { isFull, labelOf, MAX_QUESTIONS } from "./scan";
import type { Issues } from "./scan";
import { weightedShortKey } from "./wildcards";
import { escapeText, literalOf } from "./literal-text";

type XmlNode = { [key: string | symbol]: unknown };
const asNode = (value: unknown): XmlNode | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as XmlNode) : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const attribute = (node: XmlNode | undefined, name: string) => {
  const value = node?.[`@_${name}`];
  return typeof value === "string" ? decodeXml(value) : "";
};

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const fromCode = (code: number) => (code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD");

/** The five predefined entities and character references; anything else stays as written. */
function decodeXml(text: string, extra: Record<string, string> = {}): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return fromCode(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return fromCode(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? extra[name] ?? whole;
  });
}

/** Text content: escaped text decoded, CDATA as written. */
function textValue(value: unknown): string {
  if (typeof value === "string") return decodeXml(value);
  const node = asNode(value);
  if (!node) return "";
  const cdata = list(node["#cdata"]).filter((part): part is string => typeof part === "string");
  return textValue(node["#text"]) + cdata.join("");
}

const longestRun = (text: string) => Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
const decodeHtml = (html: string) => decodeXml(html.replace(/<[^>]*>/g, ""), { nbsp: " " });

/** Minimal HTML to Markdown: tags go, <pre> becomes a fenced block and <code> inline code. */
export function htmlToMarkdown(html: string, options: { verbatim?: RegExp; literal?: boolean } = {}): string {
  const kept: string[] = [];
  const keep = (markdown: string, block: boolean) => `${block ? "\uE001" : "\uE002"}${kept.push(markdown) - 1}\uE003`;
  // What `verbatim` matches (a cloze's embedded answers) is read by its own rules later: text, never escaped.
  const own = options.verbatim ? html.replace(options.verbatim, (whole) => keep(decodeHtml(whole), false)) : html;
  let text = own.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre>/gi, (_, inner: string) => {
    const language = /class="[^"]*\blanguage-([\w+#-]+)/i.exec(inner)?.[1] ?? "";
    // One line end closes the block; blank lines before it belong to the code (an HTTP request's end).
    const code = decodeHtml(inner)
      .replace(/^\n+/, "")
      .replace(/[ \t]*\n?$/, "");
    const fence = "`".repeat(Math.max(3, longestRun(code) + 1));
    return keep(`${fence}${language}\n${code}\n${fence}`, true);
  });
  text = text.replace(/<code\b[^>]*>([\s\S]*?)<\/code>/gi, (_, inner: string) => {
    const code = decodeHtml(inner);
    const ticks = "`".repeat(longestRun(code) + 1);
    const pad = code.startsWith("`") || code.endsWith("`") ? " " : "";
    return keep(`${ticks}${pad}${code}${pad}${ticks}`, false);
  });
  text = text.replace(/<table\b[^>]*>([\s\S]*?)<\/table>/gi, (_, inner: string) => {
    const table = markdownTable(inner, kept);
    return table ? keep(table, true) : " ";
  });
  // Images carried in the file arrive as data: URLs (readQuestion) and stay images; others
  // become a link, as the page's policy loads no image from elsewhere.
  text = text.replace(/<img\b[^>]*>/gi, (tag: string) => {
    const src = tagAttribute(tag, "src");
    const alt = tagAttribute(tag, "alt").replace(/[[\]\\]/g, "\\$&");
    if (!src) return "";
    const url = src.replace(/[()\s]/g, encodeURIComponent);
    return keep(/^data:image\//i.test(src) ? `![${alt}](${url})` : `[${alt || "image"}](${url})`, false);
  });
  // The text between tags is text, not Markdown: escaped where Markdown would show it otherwise
  // (`__init__`, `2*3*4`), as written where it shows the same.
  // `literal: false`: a text compared with what a learner types (a short answer), never shown as
  // Markdown, keeps its characters as they are.
  const escaped =
    options.literal === false
      ? text
      : text
          .split(/(<[^>]*>)/)
          .map((part, k) => (k % 2 === 1 ? part : literalSegment(part)))
          .join("");
  return literalOf(markdownOfTags(text), markdownOfTags(escaped))
    .replace(/[\uE001\uE002](\d+)\uE003/g, (_, index: string) => kept[Number(index)] ?? "")
    .trim();
}

/** HTML text as Markdown that shows it as written, its entities encoded again for decodeHtml. */
const literalSegment = (html: string) =>
  escapeText(decodeXml(html, { nbsp: " " }))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");

/** HTML whose code, tables and images stand as placeholders, as Markdown: tags become line breaks, paragraphs, lists, emphasis. */
function markdownOfTags(html: string): string {
  const text = decodeHtml(
    html
      .replace(/\s+/g, " ")
      .replace(/<br\s*\/?>/gi, "\uE004\n")
      .replace(/<\/?(p|div|h[1-6]|ul|ol|table|tr|blockquote)\b[^>]*>/gi, "\n\n")
      .replace(/<li\b[^>]*>/gi, "\n- ")
      .replace(/<\/?(strong|b)\b[^>]*>/gi, "**")
      .replace(/<\/?(em|i)\b[^>]*>/gi, "*"),
  )
    .replace(/\uE001\d+\uE003/g, "\n\n$&\n\n")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n");
  // A <br> inside a paragraph is a line break a learner sees (Markdown's hard break "\" at the
  // end of a line); one that ends a paragraph or the text is none.
  return text.replace(/\uE004\n(?=[^\n\uE004])/g, "\\\n").replace(/\uE004/g, "");
}

/** An attribute of one HTML start tag, decoded ("" when absent). */
function tagAttribute(tag: string, name: string): string {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return decodeXml(match?.[1] ?? match?.[2] ?? match?.[3] ?? "", { nbsp: " " });
}

/** An HTML table's rows as a Markdown table (its first row the header), or "" when it has none. */
function markdownTable(inner: string, kept: string[]): string {
  const restore = (text: string) => text.replace(/\uE002(\d+)\uE003/g, (_, k: string) => kept[Number(k)] ?? "");
  const cell = (html: string) => restore(decodeHtml(html).replace(/\s+/g, " ").trim()).replace(/\|/g, "\\|");
  const rows = [...inner.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/gi)].map((c) => cell(c[1] ?? "")),
  );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return "";
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, k) => cells[k] || " ").join(" | ")} |`;
  return [line(rows[0]!), line(Array<string>(width).fill("---")), ...rows.slice(1).map(line)].join("\n");
}

/** A `<questiontext>`-like element as Markdown, by its format attribute. */
function richText(node: XmlNode | undefined, options: { verbatim?: RegExp } = {}): string {
  const text = textValue(node?.text);
  const format = attribute(node, "format") || "html";
  if (format === "markdown" || format === "plain_text") return text.trim();
  return htmlToMarkdown(format === "moodle_auto_format" ? text.replace(/\n/g, "<br>") : text, options);
}

/** A file the question refers to (@@PLUGINFILE@@/name) that it does not carry as an image. */
function embeddedFile(value: unknown): string | undefined {
  if (typeof value === "string") return PLUGINFILE.exec(value)?.[1] ?? undefined;
  for (const [key, inner] of Object.entries(asNode(value) ?? {})) {
    if (key === "file") continue;
    const found = list(inner)
      .map(embeddedFile)
      .find((name) => name !== undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

const PLUGINFILE = /@@PLUGINFILE@@\/([^"'\s<>)]*)/;
const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};
/** An image larger than this stays refused: it would travel inside every page that shows it. */
export const MAX_IMAGE_BYTES = 256 * 1024;

/** The images a question carries (`<file name encoding="base64">` anywhere in it), as data: URLs by name. */
function carriedImages(value: unknown, found = new Map<string, string>()): Map<string, string> {
  for (const [key, inner] of Object.entries(asNode(value) ?? {})) {
    if (key !== "file") {
      for (const item of list(inner)) if (asNode(item)) carriedImages(item, found);
      continue;
    }
    for (const item of list(inner)) {
      const node = asNode(item);
      const name = attribute(node, "name");
      const type = IMAGE_TYPES[name.split(".").pop()?.toLowerCase() ?? ""];
      const data = textValue(node).replace(/\s+/g, "");
      const bytes = Math.floor((data.length * 3) / 4);
      if (
        type &&
        attribute(node, "encoding") === "base64" &&
        /^[A-Za-z0-9+/]+=*$/.test(data) &&
        bytes <= MAX_IMAGE_BYTES
      )
        found.set(name, `data:${type};base64,${data}`);
    }
  }
  return found;
}

/**
 * The question with each @@PLUGINFILE@@ link to an image it carries replaced by the image as a
 * data: URL (what Moodle shows is then shown); links to anything else stay, and refuse it.
 */
function inlineImages<T>(value: T, images: ReadonlyMap<string, string>): T {
  if (images.size === 0) return value;
  const swap = (text: string) =>
    text.replace(new RegExp(PLUGINFILE.source, "g"), (whole, name: string) => {
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape: look the name up as written.
      }
      return images.get(decoded) ?? images.get(name) ?? whole;
    });
  if (typeof value === "string") return swap(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => inlineImages(item, images)) as T;
  const node = asNode(value);
  if (!node) return value;
  const copy: XmlNode = {};
  for (const key of Object.keys(node)) copy[key] = key === "file" ? node[key] : inlineImages(node[key], images);
  const meta = Object.getOwnPropertySymbols(node);
  for (const symbol of meta) copy[symbol] = node[symbol];
  return copy as T;
}

/** An `<answer>`: `text` as Markdown to show (options), `typed` as compared with what a learner types. */
type Answer = { text: string; typed: string; fraction: number; feedback: string; node: XmlNode };
type Reader = {
  question: XmlNode;
  answers: Answer[];
  fail: (message: string) => undefined;
  warn: (message: string) => void;
};

function readChoice({ question, answers, fail, warn }: Reader): QuestionBody | undefined {
  if (answers.length < 2)
    return fail(`it has only ${answers.length} answer; a multiple choice question needs at least two`);
  const option = (answer: Answer, correct: boolean) => choiceOption(answer.text, correct, answer.feedback);
  // Moodle's reading: no <single> is single; "false", "0" or nothing in it is multiple response.
  const single = question.single === undefined ? "true" : textValue(question.single).trim();
  if (!["false", "0", ""].includes(single)) {
    const right = answers.filter((answer) => answer.fraction >= 100);
    if (right.length !== 1)
      return fail(`a single-answer question needs exactly one answer with fraction="100", not ${right.length}`);
    // Fractions below 100 give part of the mark (or take some, when negative), as in Moodle.
    const partial = answers.some((answer) => answer.fraction !== 0 && answer.fraction < 100);
    return {
      type: "single",
      options: answers.map((answer) => {
        const choice = option(answer, answer.fraction >= 100);
        return partial ? { ...choice, weight: answer.fraction } : choice;
      }),
    };
  }
  if (!answers.some((answer) => answer.fraction > 0))
    return fail(`no answer has a positive fraction; give the correct answers fractions such as fraction="50"`);
  const total = answers.reduce((sum, answer) => sum + Math.max(0, answer.fraction), 0);
  if (Math.abs(total - 100) > 0.01)
    warn(`the positive fractions of its answers add up to ${Number(total.toFixed(5))}%, not 100%`);
  return {
    type: "multiple",
    options: answers.map((answer) => ({ ...option(answer, answer.fraction > 0), weight: answer.fraction })),
  };
}

function readShort(reader: Reader): QuestionBody | undefined {
  const negative = reader.answers.find((answer) => answer.fraction < 0);
  if (negative)
    return reader.fail(
      `the answer "${negative.text}" has fraction="${negative.fraction}"; a short answer earns 0 to 100`,
    );
  const key = weightedShortKey(
    reader.answers.map((answer) => ({
      text: answer.typed,
      weight: answer.fraction,
      ...(answer.feedback ? { feedback: answer.feedback } : {}),
    })),
  );
  if ("problem" in key) return reader.fail(key.problem);
  if (key.accept.length === 0 && key.pattern === undefined)
    return reader.fail(`it has no answer with fraction="100"; mark at least one accepted answer`);
  for (const answer of key.droppedPartial)
    reader.warn(
      `the partial-credit answer "${answer.text}" (${answer.weight}%) is dropped: an answer with the wildcard * earns full marks or none`,
    );
  for (const answer of key.droppedFeedback)
    reader.warn(`the feedback on "${answer.text}" is dropped: an answer with the wildcard * carries none`);
  const { droppedPartial: _partial, droppedFeedback: _feedback, ...body } = key;
  return { type: "short", ...body, caseSensitive: textValue(reader.question.usecase).trim() === "1" };
}

/** Every `<answer>` with its fraction and feedback; "*" is the feedback for any other answer. */
function readNumeric(reader: Reader): QuestionBody | undefined {
  const answers: NumericAnswer[] = [];
  let otherFeedback = "";
  for (const answer of reader.answers) {
    if (answer.typed === "*") {
      if (answer.fraction > 0)
        reader.warn(
          `the answer "*" (any other number) is worth ${answer.fraction}%; Stackprep keeps only its feedback`,
        );
      otherFeedback = answer.feedback;
      continue;
    }
    const tolerance = textValue(answer.node.tolerance).trim() || "0";
    const why = `the answer "${answer.typed}" with tolerance "${tolerance}" is not a number with a non-negative tolerance; write numbers such as 404 and <tolerance>0</tolerance>`;
    if (!NUMBER.test(answer.typed) || !NUMBER.test(tolerance) || Number(tolerance) < 0) return reader.fail(why);
    if (answer.fraction < 0)
      return reader.fail(
        `the answer "${answer.typed}" has fraction="${answer.fraction}"; a numeric answer earns 0 to 100`,
      );
    answers.push({
      value: Number(answer.typed),
      tolerance: Number(tolerance),
      ...(answer.fraction < 100 ? { weight: answer.fraction } : {}),
      ...(answer.feedback ? { feedback: answer.feedback } : {}),
    });
  }
  if (!answers.some((answer) => numericWeight(answer) === 100))
    return reader.fail(`it has no numeric answer with fraction="100"`);
  const units = list(asNode(reader.question.units)?.unit).map(asNode);
  const unit = units.find((node) => Number(textValue(node?.multiplier) || "1") === 1);
  const name = textValue(unit?.unit_name).trim();
  return {
    type: "numeric",
    answers,
    ...(name ? { unit: name } : {}),
    ...(otherFeedback ? { otherFeedback } : {}),
  };
}

function readTrueFalse(reader: Reader): QuestionBody | undefined {
  const right = reader.answers.find((answer) => answer.fraction >= 100);
  const value = right?.text.toLowerCase();
  if (value !== "true" && value !== "false")
    return reader.fail(`it needs an answer "true" or "false" with fraction="100"`);
  return { type: "truefalse", answer: value === "true" };
}

/** `<subquestion>`s: text and `<answer>`; one with empty text is a distractor (Moodle's rule). */
function readMatching({ question, fail }: Reader): QuestionBody | undefined {
  const pairs: { prompt: string; match: string }[] = [];
  const distractors: string[] = [];
  const prompts = new Set<string>();
  for (const [k, value] of list(question.subquestion).entries()) {
    const node = asNode(value) ?? {};
    const prompt = richText(node);
    const match = textValue(asNode(list(node.answer)[0])?.text).trim();
    if (match === "") return fail(`its subquestion ${k + 1} has no <answer><text>; give each prompt its answer`);
    if (prompt === "") {
      distractors.push(match);
      continue;
    }
    if (prompts.has(prompt.toLowerCase())) return fail(`its subquestion ${k + 1} repeats the prompt "${prompt}"`);
    prompts.add(prompt.toLowerCase());
    pairs.push({ prompt, match });
  }
  if (pairs.length < 2)
    return fail(
      `it has ${pairs.length} subquestion${pairs.length === 1 ? "" : "s"} with text; a matching question needs at least two`,
    );
  const answers = new Set(pairs.map((p) => p.match));
  if (answers.size < 2) return fail("every subquestion has the same answer; give at least two different answers");
  const taken = distractors.find((d) => answers.has(d));
  if (taken !== undefined) return fail(`the distractor "${taken}" is also the answer of a subquestion; remove it`);
  return { type: "matching", pairs, distractors };
}

/**
 * "Select missing words" (gapselect) and "drag and drop into text" (ddwtos), both read as
 * blanks filled by a choice: `[[n]]` in the text is blank n; its right answer is the n-th
 * `<selectoption>` (`<dragbox>`), and it offers every answer of that answer's `<group>`.
 */
function readGaps({ question, fail }: Reader, stem: string): QuestionBody | undefined {
  const choices = [...list(question.selectoption), ...list(question.dragbox)].map((value) => {
    const node = asNode(value) ?? {};
    return { text: textValue(node.text).trim(), group: textValue(node.group).trim() || "1" };
  });
  const count = Math.max(0, ...[...stem.matchAll(GAP_MARKER)].map((m) => Number(m[1])));
  if (count === 0) return fail("its text has no blank [[1]]; write [[n]] where answer n goes");
  const problem = gapMarkerProblem(stem, count);
  if (problem) return fail(`${problem}; Stackprep shows each answer's blank once`);
  if (choices.length < count)
    return fail(`it has ${count} blanks but ${choices.length} answers; the n-th answer fills blank n`);
  const empty = choices.findIndex((c) => c.text === "");
  if (empty >= 0) return fail(`its answer ${empty + 1} has no text`);
  const gaps = choices.slice(0, count).map((right) => {
    const group = [...new Map(choices.filter((c) => c.group === right.group).map((c) => [c.text, c])).values()];
    return { kind: "choice" as const, options: group.map((c) => choiceOption(c.text, c.text === right.text)) };
  });
  const lone = gaps.findIndex((g) => g.options.length < 2);
  if (lone >= 0)
    return fail(`blank ${lone + 1} has only its right answer in its group; add wrong answers to the group`);
  return { type: "gap", gaps };
}

const GAP_TYPES = new Set(["gapselect", "ddwtos"]);

/** An essay: its `<graderinfo>` (Moodle's "information for graders") is the model answer. */
function readEssay({ question, warn }: Reader): QuestionBody {
  const modelAnswer = richText(asNode(question.graderinfo));
  if (modelAnswer === "") warn("it has no <graderinfo>; the essay is imported without a model answer");
  return { type: "essay", modelAnswer };
}

const READERS: Record<string, (reader: Reader) => QuestionBody | undefined> = {
  matching: readMatching,
  essay: readEssay,
  multichoice: readChoice,
  truefalse: readTrueFalse,
  shortanswer: readShort,
  numerical: readNumeric,
};

type Context = { options: ParseOptions; issues: Issues; topic: string; line: number; column: number };

function readQuestion(written: XmlNode, { options, issues, topic, line, column }: Context): ParsedQuestion | undefined {
  const question = inlineImages(written, carriedImages(written));
  const type = attribute(question, "type");
  const at = `the ${type || "untyped"} question on line ${line}`;
  const fail = (message: string) => void issues.error(line, column, `${at}: ${message}`);
  const warn = (message: string) => issues.warn(line, column, `${at}: ${message}`);
  const read = READERS[type];
  if (!read && !GAP_TYPES.has(type) && type !== "cloze")
    return fail(
      `${type || "untyped"} questions are not supported by Stackprep; remove it or rewrite it as multichoice, truefalse, shortanswer, numerical, matching, cloze or gapselect`,
    );
  const file = embeddedFile(question);
  if (file !== undefined)
    return fail(
      `it refers to the file "${file}" (@@PLUGINFILE@@), which it does not carry as a PNG, JPEG, GIF or WebP image of at most ${MAX_IMAGE_BYTES / 1024} KiB; remove it or link to it by URL`,
    );
  const answers = list(question.answer).map((value) => {
    const node = asNode(value) ?? {};
    const fraction = Number(attribute(node, "fraction") || "0");
    const html = attribute(node, "format") === "html";
    const text = html ? htmlToMarkdown(textValue(node.text)) : textValue(node.text).trim();
    // What a typed answer (short, numeric) is compared with: the text itself, never Markdown-escaped.
    const typed = html ? htmlToMarkdown(textValue(node.text), { literal: false }) : text;
    return { text, typed, fraction, feedback: richText(asNode(node.feedback)), node };
  });
  const badFraction = answers.find((answer) => !(Math.abs(answer.fraction) <= 100));
  if (badFraction)
    return fail(
      `the fraction="${attribute(badFraction.node, "fraction")}" of an answer is not a percentage between -100 and 100; write one such as 100, 50 or 0`,
    );
  const text = richText(asNode(question.questiontext), type === "cloze" ? { verbatim: CLOZE } : {});
  const cloze = type === "cloze" ? readCloze(text, { fail, warn }) : undefined;
  const stem = cloze?.stem ?? text;
  const body =
    type === "cloze"
      ? cloze?.body
      : GAP_TYPES.has(type)
        ? readGaps({ question, answers, fail, warn }, stem)
        : read!({ question, answers, fail, warn });
  if (stem === "") fail("its <questiontext> is empty; write the question");
  const id = idOf(question, warn);
  if (!body || stem === "") return undefined;
  let explanation = richText(asNode(question.generalfeedback));
  if (body.type === "truefalse") {
    // Stackprep keeps one explanation: the general feedback, else the feedback shown for the
    // wrong answer, which explains the right one (as for GIFT).
    const byFraction = [...answers].sort((x, y) => x.fraction - y.fraction);
    const feedback = byFraction.map((answer) => answer.feedback).filter((text) => text !== "");
    if (feedback.some((text) => text !== (explanation || feedback[0])))
      warn("true/false answer feedback is dropped; move it into the general feedback");
    explanation ||= feedback[0] ?? "";
  }
  const title = textValue(asNode(question.name)?.text).trim();
  return buildQuestion(options, { body, stem, topic, explanation, title, id: id || undefined, line, column });
}

/**
 * The `<idnumber>` as a Stackprep id. Moodle allows any text ("T & F"); such a value is
 * mapped to letters, digits and dashes ("t-f"), with a warning.
 */
function idOf(question: XmlNode, warn?: (message: string) => void): string | undefined {
  const written = textValue(question.idnumber).trim();
  if (written === "" || ID_PATTERN.test(written)) return written || undefined;
  const mapped = slugifySegment(written);
  if (mapped === "") {
    warn?.(`its <idnumber> "${written}" has no letters or digits; an id is derived from its text instead`);
    return undefined;
  }
  warn?.(`its <idnumber> "${written}" is imported as the id "${mapped}" (lower-case letters, digits and dashes)`);
  return mapped;
}

/** How a refused question is named: its <name>, or the start of its text. */
function rejection(question: XmlNode, options: ParseOptions, at: { topic: string; line: number; column: number }) {
  const name = textValue(asNode(question.name)?.text).trim();
  const stem = richText(asNode(question.questiontext));
  const position = { file: options.file, line: at.line, column: at.column };
  const id = idOf(question) ?? (stem ? deriveExternalId(options.slug, at.topic, stem) : undefined);
  const label = labelOf(stem, name) || `${attribute(question, "type") || "untyped"} question`;
  return id ? { position, label, externalId: id } : { position, label };
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

export function parseMoodleXml(text: string, options: ParseOptions): ParseResult {
  const issues = createIssues(options.file);
  const source = normaliseText(text);
  const locate = lineLocator(source);
  if (!xmlReadable(source, issues)) return finishBank(options, [], issues);
  // Counted before the XML is read whole: a file far over the limit costs a scan, not a tree.
  const tooMany = [...source.matchAll(/<question\b(?![^>]*\btype\s*=\s*["']category["'])/g)][MAX_QUESTIONS];
  if (tooMany) {
    const { line, column } = locate(tooMany.index);
    const message = `the file holds more than ${MAX_QUESTIONS.toLocaleString("en")} questions, the most one file may hold (reading stopped at this one); split it into several files`;
    issues.error(line, column, message);
    return finishBank(options, [], issues);
  }
  const questions: ParsedQuestion[] = [];
  const topicTitles = new Map<string, string>();
  let { line, column } = { line: 1, column: 1 };
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      processEntities: false,
      parseTagValue: false,
      trimValues: false,
      cdataPropName: "#cdata",
      captureMetaData: true,
      isArray: (name) =>
        ["question", "answer", "unit", "file", "subquestion", "selectoption", "dragbox"].includes(name),
    });
    const quiz = asNode(asNode(parser.parse(source))?.quiz);
    if (!quiz) issues.error(1, 1, "the root element must be <quiz> (a Moodle XML quiz export)");
    // Positions: fast-xml-parser gives none in its result; its metadata gives start offsets.
    const starts = [...source.matchAll(/<question\b/g)].map((match) => match.index);
    let topic = options.defaultTopic;
    let intro: string | undefined;
    for (const [index, value] of list(quiz?.question).entries()) {
      const question = asNode(value) ?? {};
      const startIndex = asNode(question[META])?.startIndex;
      ({ line, column } = locate(typeof startIndex === "number" ? startIndex : (starts[index] ?? 0)));
      if (attribute(question, "type") === "description") {
        // Not a question: its text introduces the questions after it, up to the next description or category.
        intro = richText(asNode(question.questiontext)) || undefined;
        continue;
      }
      if (attribute(question, "type") !== "category") {
        const mark = issues.mark();
        const parsed = readQuestion(question, { options, issues, topic, line, column });
        if (!issues.settle(mark, rejection(question, options, { topic, line, column })) && parsed)
          questions.push(intro ? { ...parsed, intro } : parsed);
        if (isFull(questions)) break;
        continue;
      }
      const path = normaliseTopicPath(textValue(asNode(question.category)?.text));
      topic = path?.path ?? options.defaultTopic;
      intro = undefined;
      if (path) topicTitles.set(path.path, path.title);
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    issues.error(line, column, `could not read the XML (${why}); check the question on line ${line}`);
  }
  return finishBank(options, questions, issues, topicTitles);
}
