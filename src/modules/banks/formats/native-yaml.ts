// The native format (docs/question-bank-format.md): YAML validated by zod, with every
// problem reported at the line and column of the value it concerns. Valid files are read by
// a fast path (native-yaml.fast.ts); anything it does not accept goes the exact way.
import { isNode, LineCounter, parseDocument, visit, type Document } from "yaml";
import { z } from "zod";
import { patternProblem } from "../patterns";
import { gapMarkerProblem, shortAnswersOf, type ShortAnswer } from "../model";
import type { ParsedBank, ParsedQuestion, ParseIssue, ParseOptions, ParseResult, QuestionBody } from "../model";
import { normaliseStem } from "./ids";
import { linePositions, readYamlFast } from "./native-yaml.fast";
import { bankFile, questionEntry, type BankFile, type QuestionEntry } from "./native-yaml.schema";

export const NATIVE_FORMAT = "stackprep-bank/1";
const MAX_QUESTIONS = 20_000;

function linePos(counter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

function positionOf(doc: Document, counter: LineCounter, path: (string | number)[]): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return linePos(counter, node.range[0]);
    // A missing key: point at the map that should hold it.
  }
  return { line: 1, column: 1 };
}

type ShortEntry = Extract<QuestionEntry, { type: "short" }>;
type NumericEntry = Extract<QuestionEntry, { type: "numeric" }>;

/** A short question's answers in file order: accept (full marks), then answers with their weights. */
const shortEntries = (q: ShortEntry): ShortAnswer[] => [
  ...(q.accept ?? []).map((text) => ({ text, weight: 100 })),
  ...(q.answers ?? []).map((a) => ({
    text: a.text,
    weight: a.weight ?? 100,
    ...(a.feedback ? { feedback: a.feedback } : {}),
  })),
];
const numericEntries = (q: NumericEntry) => q.answers ?? (q.answer ? [q.answer] : []);

function toBody(q: QuestionEntry): QuestionBody {
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        type: q.type,
        options: q.options.map((o) => ({
          text: o.text,
          correct: o.correct ?? false,
          ...(o.feedback ? { feedback: o.feedback } : {}),
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
        })),
      };
    case "truefalse":
      return { type: "truefalse", answer: q.answer };
    case "short":
      return {
        type: "short",
        ...shortAnswersOf(shortEntries(q)),
        caseSensitive: q.caseSensitive ?? false,
        ...(q.pattern ? { pattern: q.pattern } : {}),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
      };
    case "numeric":
      return {
        type: "numeric",
        answers: numericEntries(q).map((a) => ({
          value: a.value,
          tolerance: a.tolerance ?? 0,
          ...(a.weight !== undefined && a.weight !== 100 ? { weight: a.weight } : {}),
          ...(a.feedback ? { feedback: a.feedback } : {}),
        })),
        ...(q.unit ? { unit: q.unit } : {}),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
      };
    case "ordering":
      return { type: "ordering", items: q.items };
    case "matching":
      return { type: "matching", pairs: q.pairs, distractors: q.distractors ?? [] };
    case "essay":
      return { type: "essay", modelAnswer: q.modelAnswer };
    case "gap":
      return {
        type: "gap",
        gaps: q.gaps.map((g) =>
          "options" in g
            ? {
                kind: "choice",
                options: g.options.map((o) => ({
                  text: o.text,
                  correct: o.correct ?? false,
                  ...(o.feedback ? { feedback: o.feedback } : {}),
                })),
              }
            : { kind: "text", accept: g.accept, caseSensitive: g.caseSensitive ?? false },
        ),
      };
    case "sql":
      return {
        type: "sql",
        setup: q.setup,
        kind: q.kind ?? "read",
        reference: q.reference,
        ...(q.check ? { check: q.check } : {}),
        compare: {
          ordered: q.compare?.ordered ?? false,
          columnNames: q.compare?.columnNames ?? true,
          tolerance: q.compare?.tolerance ?? 0,
        },
        ...(q.runs !== undefined ? { runs: q.runs } : {}),
      };
  }
}

/** Checks of one question that the schema cannot express (shared with the question editor). */
function questionChecks(
  q: QuestionEntry,
  path: (string | number)[],
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (q.type === "single" || q.type === "multiple") {
    const correct = q.options.filter((o) => o.correct).length;
    if (q.type === "single" && correct !== 1)
      issue(
        [...path, "options"],
        `a single-choice question needs exactly one option with "correct: true" (found ${correct})`,
      );
    if (q.type === "multiple" && correct < 1)
      issue([...path, "options"], `a multiple-response question needs at least one option with "correct: true"`);
    const texts = new Map<string, number>();
    q.options.forEach((o, j) => {
      const key = o.text.trim().toLowerCase();
      if (texts.has(key))
        issue([...path, "options", j, "text"], `option ${j + 1} repeats option ${texts.get(key)! + 1}`);
      else texts.set(key, j);
      if (/\b(all|none) of the (above|options)\b/i.test(o.text))
        issue(
          [...path, "options", j, "text"],
          `"${o.text.trim()}" depends on option order, which is shuffled: write a real option`,
        );
    });
  }
  if (q.type === "gap") {
    const problem = gapMarkerProblem(q.stem, q.gaps.length);
    if (problem) issue([...path, "stem"], problem);
    q.gaps.forEach((g, j) => {
      if (!("options" in g)) return;
      const correct = g.options.filter((o) => o.correct).length;
      if (correct !== 1)
        issue(
          [...path, "gaps", j, "options"],
          `gap ${j + 1} needs exactly one option with "correct: true" (found ${correct})`,
        );
      const texts = new Map<string, number>();
      g.options.forEach((o, k) => {
        const key = o.text.trim().toLowerCase();
        if (texts.has(key))
          issue([...path, "gaps", j, "options", k, "text"], `option ${k + 1} repeats option ${texts.get(key)! + 1}`);
        else texts.set(key, k);
      });
    });
  }
  if (q.type === "matching") {
    const prompts = new Map<string, number>();
    q.pairs.forEach((p, j) => {
      const key = p.prompt.trim().toLowerCase();
      if (prompts.has(key))
        issue([...path, "pairs", j, "prompt"], `prompt ${j + 1} repeats prompt ${prompts.get(key)! + 1}`);
      else prompts.set(key, j);
    });
    const matches = new Set(q.pairs.map((p) => p.match.trim()));
    if (matches.size < 2)
      issue(
        [...path, "pairs"],
        "every prompt has the same answer: a matching question needs at least 2 different ones",
      );
    (q.distractors ?? []).forEach((d, j) => {
      if (matches.has(d.trim()))
        issue([...path, "distractors", j], `distractor "${d.trim()}" is also the answer of a pair; remove it`);
    });
  }
  if (q.type === "single") {
    // Partial credit: a wrong option may earn part of the mark; the right one earns it all.
    q.options.forEach((o, j) => {
      if (o.weight === undefined) return;
      if (o.correct && o.weight !== 100)
        issue(
          [...path, "options", j, "weight"],
          `the correct option earns the whole mark: its weight must be 100 (or left out), not ${o.weight}`,
        );
      if (!o.correct && o.weight === 100)
        issue(
          [...path, "options", j, "weight"],
          `a wrong option cannot earn 100%: mark it "correct: true" or give it a smaller weight`,
        );
    });
  }
  if (q.type === "short") typedAnswerChecks(q, path, issue);
  if (q.type === "numeric") {
    const answers = numericEntries(q);
    const key = q.answers ? "answers" : "answer";
    if (!answers.some((a) => (a.weight ?? 100) === 100))
      issue([...path, key], "at least one answer must earn the whole mark (weight 100, or no weight)");
  }
  if (q.type === "short" && q.pattern) {
    const problem = patternProblem(q.pattern);
    if (problem) issue([...path, "pattern"], problem);
  }
}

/** A short question's answers: one at 100% (or a pattern), none given twice. */
function typedAnswerChecks(
  q: ShortEntry,
  path: (string | number)[],
  issue: (path: (string | number)[], message: string) => void,
): void {
  const entries = shortEntries(q);
  if (!q.pattern && !entries.some((a) => a.weight === 100))
    issue(
      [...path, q.answers ? "answers" : "accept"],
      "at least one answer must earn the whole mark (weight 100, or no weight), or give a pattern",
    );
  if (!q.answers) return; // accepted texts alone carry no weights that could disagree
  const seen = new Map<string, number>();
  // Folded as grading compares answers: NFC, white space collapsed, case unless case-sensitive.
  const fold = (text: string) => (q.caseSensitive ? normaliseStem(text) : normaliseStem(text).toLowerCase());
  entries.forEach((a, j) => {
    const first = seen.get(fold(a.text));
    const accepted = q.accept?.length ?? 0;
    const where = j < accepted ? [...path, "accept", j] : [...path, "answers", j - accepted, "text"];
    if (first !== undefined)
      issue(where, `the answer "${a.text}" is given twice; give each answer once, with one weight`);
    else seen.set(fold(a.text), j);
  });
}

/** Checks that the schema cannot express: references between fields. */
function crossChecks(
  data: BankFile,
  at: (path: (string | number)[]) => { line: number; column: number },
  file: string,
): ParseIssue[] {
  const issues: ParseIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ file, ...at(path), message });
  const root = data.bank.slug;
  if (!(root in data.topics)) issue(["topics"], `the bank's root topic "${root}" must be declared under topics`);
  for (const topic of Object.keys(data.topics)) {
    if (topic !== root && !topic.startsWith(`${root}/`))
      issue(["topics", topic], `topic "${topic}" must sit under the bank's root topic "${root}/"`);
  }
  const seen = new Map<string, string>();
  const checkId = (path: (string | number)[], id: string) => {
    const first = seen.get(id);
    if (first) issue(path, `id "${id}" is used twice in this file (first at ${first})`);
    else seen.set(id, `line ${at(path).line}`);
  };
  data.questions.forEach((q, i) => {
    checkId(["questions", i, "id"], q.id);
    if (!(q.topic in data.topics)) issue(["questions", i, "topic"], `topic "${q.topic}" is not declared under topics`);
    questionChecks(q, ["questions", i], issue);
  });
  data.cards.forEach((c, i) => {
    checkId(["cards", i, "id"], c.id);
    if (!(c.topic in data.topics)) issue(["cards", i, "topic"], `topic "${c.topic}" is not declared under topics`);
  });
  if (data.questions.length > MAX_QUESTIONS)
    issue(["questions"], `more than ${MAX_QUESTIONS} questions in one file; split the bank`);
  return issues;
}

type Located<T> =
  | { ok: true; data: T; at: (path: (string | number)[]) => { line: number; column: number } }
  | { ok: false; errors: ParseIssue[] };

/** Where the first alias is (the value would be a copy the file does not show), if any. */
function firstAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Parses YAML and validates it with a schema; every problem comes with its position. */
function parseWith<T>(text: string, file: string, schema: z.ZodType<T>): Located<T> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        ...linePos(counter, e.pos[0]),
        message: `YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const alias = firstAlias(doc);
  if (alias !== undefined)
    return {
      ok: false,
      errors: [
        { file, ...linePos(counter, alias), message: "YAML: aliases (*name) are not allowed; write the value out" },
      ],
    };
  const at = (path: (string | number)[]) => positionOf(doc, counter, path);
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 0 }));
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ file, ...at(i.path as (string | number)[]), message: describe(i) })),
    };
  return { ok: true, data: parsed.data, at };
}

export function parseNativeYaml(text: string, options: Pick<ParseOptions, "file">): ParseResult {
  return parseFast(text, options.file) ?? parseExact(text, options.file);
}

/**
 * The fast path (native-yaml.fast.ts): for a file that it reads and that passes every check,
 * the same bank as parseExact, positions included. Undefined on any problem at all, so that
 * every error is reported by the exact path, with its message and position as always.
 */
export function parseFast(text: string, file: string): ParseResult | undefined {
  const read = readYamlFast(text);
  if (!read) return undefined;
  const parsed = bankFile.safeParse(read.value);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  // Only whether there is an issue matters here; the exact path says where.
  if (crossChecks(data, () => ({ line: 1, column: 1 }), file).length > 0) return undefined;
  const { questions, cards } = read.starts;
  if (questions.length !== data.questions.length || cards.length !== data.cards.length) return undefined;
  if (questions.includes(-1) || cards.includes(-1)) return undefined;
  const questionAt = linePositions(text, questions);
  const cardAt = linePositions(text, cards);
  return { ok: true, bank: toBank(data, file, questionAt, cardAt), warnings: [] };
}

/** The exact path: the `yaml` package's Document, with a position for every problem. */
export function parseExact(text: string, file: string): ParseResult {
  const parsed = parseWith(text, file, bankFile);
  if (!parsed.ok) return parsed;
  const { at } = parsed;
  const data = parsed.data;
  const issues = crossChecks(data, at, file);
  if (issues.length > 0) return { ok: false, errors: issues };
  return {
    ok: true,
    bank: toBank(
      data,
      file,
      data.questions.map((_, i) => at(["questions", i])),
      data.cards.map((_, i) => at(["cards", i])),
    ),
    warnings: [],
  };
}

type LineColumn = { line: number; column: number };

function toBank(data: BankFile, file: string, questionAt: LineColumn[], cardAt: LineColumn[]): ParsedBank {
  return {
    slug: data.bank.slug,
    title: data.bank.title,
    description: data.bank.description ?? "",
    licence: data.bank.licence ?? "",
    topics: Object.entries(data.topics).map(([path, title]) => ({ path, title })),
    questions: data.questions.map((q, i) => toParsedQuestion(q, { file, ...questionAt[i]! })),
    cards: data.cards.map((c, i) => ({
      externalId: c.id,
      topic: c.topic,
      front: c.front,
      back: c.back,
      position: { file, ...cardAt[i]! },
    })),
  };
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue.message}`;
}

function toParsedQuestion(q: QuestionEntry, position: ParsedQuestion["position"]): ParsedQuestion {
  return {
    ...toBody(q),
    externalId: q.id,
    topic: q.topic,
    stem: q.stem,
    explanation: q.explanation,
    difficulty: q.difficulty,
    tags: q.tags ?? [],
    references: q.references ?? [],
    ...(q.level ? { level: q.level } : {}),
    ...(q.intro ? { intro: q.intro } : {}),
    position,
  };
}

export type QuestionFragment = { ok: true; question: ParsedQuestion } | { ok: false; errors: ParseIssue[] };

/** One question in the native format (the browser editor's text), checked like a bank file's. */
export function parseQuestionFragment(text: string, options: { file: string }): QuestionFragment {
  const { file } = options;
  const parsed = parseWith(text, file, questionEntry);
  if (!parsed.ok) return parsed;
  const { at } = parsed;
  const issues: ParseIssue[] = [];
  questionChecks(parsed.data, [], (path, message) => issues.push({ file, ...at(path), message }));
  if (issues.length) return { ok: false, errors: issues };
  return { ok: true, question: toParsedQuestion(parsed.data, { file, line: 1, column: 1 }) };
}
