// ParsedQuestion -> the stored content of a question version (pure): rendered HTML,
// the type-specific body with its key, and a hash that tells whether content changed.
import { createHash } from "node:crypto";
import { renderMarkdownMany, type MarkdownSource } from "./markdown";
import {
  GAP_MARKER,
  type NumericAnswer,
  type ShortAnswer,
  matchChoices,
  type ChoiceOption,
  type ParsedCard,
  type ParsedQuestion,
  type QuestionType,
  type ResultSet,
  type SqlExercise,
} from "./model";

export type StoredOption = {
  id: string;
  md: string;
  html: string;
  correct: boolean;
  feedback?: string;
  weight?: number;
};

/** Short and numeric: the feedback for an answer that matches none of the question's (plain text). */
export type StoredTypedFeedback = { otherFeedback?: string };

/** Any type's body may carry the text that introduces the question (a description before it). */
export type StoredIntro = { intro?: { md: string; html: string } };

export type StoredBody = StoredIntro &
  (
    | { options: StoredOption[] } // single, multiple
    | { answer: boolean } // truefalse
    | ({ accept: string[]; caseSensitive: boolean; pattern?: string; weighted?: ShortAnswer[] } & StoredTypedFeedback) // short
    | ({ answers: NumericAnswer[]; unit?: string } & StoredTypedFeedback) // numeric
    | { items: { id: string; md: string; html: string }[] } // ordering, in the correct order
    | StoredMatchingBody // matching
    | StoredGapBody // gap
    | { modelAnswer: { md: string; html: string } } // essay
    | StoredSqlBody // sql
  );

/** A matching question as stored: each prompt names the id of its answer (the key). */
export type StoredMatchingBody = {
  prompts: { id: string; md: string; html: string; match: string }[];
  matches: { id: string; md: string; html: string }[];
};

/** A blank as stored: its options (with the key), or the texts it accepts. */
export type StoredGap =
  { kind: "choice"; options: StoredOption[] } | { kind: "text"; accept: string[]; caseSensitive: boolean };

/** A gap question as stored; its stem's HTML holds a blank (gapBlankHtml) where each gap goes. */
export type StoredGapBody = { gaps: StoredGap[] };

/** What stands for blank n in a gap question's stem HTML, until a page puts its control there. */
export const gapBlankHtml = (n: number) => `<span class="gap-blank" data-gap="${n}">(${n}) ______</span>`;
/** Finds gapBlankHtml in stored stem HTML. */
export const GAP_BLANK = /<span class="gap-blank" data-gap="(\d+)">[^<]*<\/span>/g;

/** The ids a version's options, items, prompts and answers carry, in stored order. */
export function choiceIdsOf(body: StoredBody): string[] {
  if ("gaps" in body) return body.gaps.flatMap((g) => (g.kind === "choice" ? g.options.map((o) => o.id) : []));
  if ("options" in body) return body.options.map((o) => o.id);
  if ("items" in body) return body.items.map((o) => o.id);
  if ("prompts" in body) return [...body.prompts.map((p) => p.id), ...body.matches.map((m) => m.id)];
  return [];
}

/** A runnable SQL exercise as stored: the exercise, its schema, and the reference's results (the key). */
export type StoredSqlBody = {
  exercise: SqlExercise;
  schema: string;
  expected: ResultSet;
  expectedCheck?: ResultSet;
};

export type VersionContent = {
  type: QuestionType;
  stemMd: string;
  stemHtml: string;
  body: StoredBody;
  explanationMd: string;
  explanationHtml: string;
  difficulty: number;
  tags: string[];
  references: string[];
  contentHash: string;
};

function sourceBody(q: ParsedQuestion): unknown {
  switch (q.type) {
    case "single":
    case "multiple":
      return q.options;
    case "truefalse":
      return q.answer;
    case "short":
      // Weights and feedback join only when there are some, so other questions keep their hashes.
      return [
        q.accept,
        q.caseSensitive,
        q.pattern ?? null,
        ...(q.weighted || q.otherFeedback ? [q.weighted ?? null, q.otherFeedback ?? null] : []),
      ];
    case "numeric":
      return [q.answers, q.unit ?? null, ...(q.otherFeedback ? [q.otherFeedback] : [])];
    case "ordering":
      return q.items;
    case "matching":
      return [q.pairs, q.distractors];
    case "gap":
      return q.gaps;
    case "essay":
      return q.modelAnswer;
    case "sql":
      return [q.setup, q.kind, q.reference, q.check ?? null, q.compare, q.runs ?? null];
  }
}

export const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export function questionContentHash(q: ParsedQuestion): string {
  // The intro joins the hash only when there is one, so questions without keep their hashes.
  const intro = q.intro?.trim() ? [q.intro.trim()] : [];
  return hashOf([
    q.type,
    q.stem.trim(),
    q.explanation.trim(),
    q.difficulty,
    q.tags,
    q.references,
    sourceBody(q),
    ...intro,
  ]);
}

/** The Markdown a version renders, in a fixed order: stem, explanation (when any), then options or items. */
function markdownOf(q: ParsedQuestion): MarkdownSource[] {
  const sources: MarkdownSource[] = [{ md: q.stem }];
  if (q.explanation) sources.push({ md: q.explanation });
  if (q.type === "single" || q.type === "multiple")
    for (const o of q.options) sources.push({ md: o.text, inline: true });
  if (q.type === "ordering") for (const item of q.items) sources.push({ md: item, inline: true });
  if (q.type === "matching")
    for (const md of [...q.pairs.map((p) => p.prompt), ...matchChoices(q)]) sources.push({ md, inline: true });
  if (q.type === "gap")
    for (const gap of q.gaps)
      if (gap.kind === "choice") for (const o of gap.options) sources.push({ md: o.text, inline: true });
  if (q.type === "essay") sources.push({ md: q.modelAnswer });
  if (q.intro?.trim()) sources.push({ md: q.intro }); // last, so the body's indexes stay as they are
  return sources;
}

/** The exercise fields of a parsed SQL question. */
export function sqlExerciseOf(q: SqlExercise): SqlExercise {
  return {
    setup: q.setup,
    kind: q.kind,
    reference: q.reference,
    ...(q.check !== undefined ? { check: q.check } : {}),
    compare: { ordered: q.compare.ordered, columnNames: q.compare.columnNames, tolerance: q.compare.tolerance },
    ...(q.runs !== undefined ? { runs: q.runs } : {}),
  };
}

/** `ids` name the options or items in file order (choice-ids.ts: random, never by position). */
function storedBody(q: ParsedQuestion, html: (index: number) => string, ids: readonly string[]): StoredBody {
  const id = (index: number) => {
    const value = ids[index];
    if (value === undefined) throw new Error(`question "${q.externalId}" needs an id for choice ${index + 1}`);
    return value;
  };
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        options: q.options.map((o, i) => ({
          id: id(i),
          md: o.text,
          html: html(i),
          correct: o.correct,
          ...(o.feedback ? { feedback: o.feedback } : {}),
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
        })),
      };
    case "truefalse":
      return { answer: q.answer };
    case "short":
      return {
        accept: q.accept,
        caseSensitive: q.caseSensitive,
        ...(q.pattern ? { pattern: q.pattern } : {}),
        ...(q.weighted ? { weighted: q.weighted } : {}),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
      };
    case "numeric":
      return {
        answers: q.answers,
        ...(q.unit ? { unit: q.unit } : {}),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
      };
    case "ordering":
      return { items: q.items.map((md, i) => ({ id: id(i), md, html: html(i) })) };
    case "matching": {
      // Prompts take the first ids, the answers the rest (choice-ids.ts counts both).
      const n = q.pairs.length;
      const choices = matchChoices(q);
      const matchId = new Map(choices.map((md, k) => [md.trim(), id(n + k)]));
      return {
        prompts: q.pairs.map((p, i) => ({
          id: id(i),
          md: p.prompt,
          html: html(i),
          match: matchId.get(p.match.trim())!,
        })),
        matches: choices.map((md, k) => ({ id: id(n + k), md, html: html(n + k) })),
      };
    }
    case "gap": {
      let k = 0;
      const option = (o: ChoiceOption) => {
        const index = k++;
        return {
          id: id(index),
          md: o.text,
          html: html(index),
          correct: o.correct,
          ...(o.feedback ? { feedback: o.feedback } : {}),
        };
      };
      return {
        gaps: q.gaps.map((g) =>
          g.kind === "choice"
            ? { kind: "choice", options: g.options.map(option) }
            : { kind: "text", accept: g.accept, caseSensitive: g.caseSensitive },
        ),
      };
    }
    case "essay":
      return { modelAnswer: { md: q.modelAnswer, html: q.modelAnswer ? html(0) : "" } };
    case "sql": {
      if (!q.validated) throw new Error(`SQL exercise "${q.externalId}" must be run by the import before it is stored`);
      return {
        exercise: sqlExerciseOf(q),
        schema: q.validated.schema,
        expected: q.validated.expected,
        ...(q.validated.expectedCheck ? { expectedCheck: q.validated.expectedCheck } : {}),
      };
    }
  }
}

/**
 * The stored content of many questions; Markdown is rendered in one batch (see markdown.ts).
 * `choiceIds[i]` names question i's options or items (choice-ids.ts choiceIdsFor).
 */
export function versionContents(
  questions: readonly ParsedQuestion[],
  choiceIds: readonly (readonly string[])[],
): VersionContent[] {
  const sources = questions.map(markdownOf);
  const html = renderMarkdownMany(sources.flat());
  let at = 0;
  return questions.map((q, i) => {
    const first = at;
    at += sources[i]!.length;
    const explanationHtml = q.explanation ? html[first + 1]! : "";
    const bodyStart = first + (q.explanation ? 2 : 1);
    return {
      type: q.type,
      stemMd: q.stem,
      stemHtml:
        q.type === "gap" ? html[first]!.replace(GAP_MARKER, (_, n: string) => gapBlankHtml(Number(n))) : html[first]!,
      body: {
        ...storedBody(q, (index) => html[bodyStart + index]!, choiceIds[i] ?? []),
        ...(q.intro?.trim() ? { intro: { md: q.intro, html: html[at - 1]! } } : {}),
      },
      explanationMd: q.explanation,
      explanationHtml,
      difficulty: q.difficulty,
      tags: q.tags,
      references: q.references,
      contentHash: questionContentHash(q),
    };
  });
}

export const versionContent = (q: ParsedQuestion, choiceIds: readonly string[]): VersionContent =>
  versionContents([q], [choiceIds])[0]!;

export const cardContentHash = (c: ParsedCard) => hashOf([c.front.trim(), c.back.trim()]);

export function cardContent(c: ParsedCard) {
  const [frontHtml, backHtml] = renderMarkdownMany([{ md: c.front }, { md: c.back }]);
  return {
    frontMd: c.front,
    frontHtml: frontHtml!,
    backMd: c.back,
    backHtml: backHtml!,
    contentHash: cardContentHash(c),
  };
}

/**
 * A version row to write: its keys (ids, number, topic), the parsed question whose content it
 * stores and the ids of its options or items (made with the row, like its version id).
 */
export type VersionRow = { keys: Record<string, string | number>; question: ParsedQuestion; choiceIds: string[] };

// A lone UTF-16 surrogate: pg sent text as UTF-8, where it became U+FFFD; PostgreSQL's JSON
// parser refuses its \u escape instead, so it is replaced as before.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormed = (_key: string, value: unknown) =>
  typeof value === "string" ? value.replace(LONE_SURROGATE, "\ufffd") : value;
const escapeNonAscii = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * The rows as one JSON array for `json_to_recordset` (import.repo.ts): each row's keys and its
 * stored content (VersionContent), rendered in one batch. ASCII only (other characters as
 * \u escapes, which PostgreSQL decodes), so that it travels as one byte a character.
 */
export function versionRowsJson(rows: readonly VersionRow[]): string {
  const contents = versionContents(
    rows.map((r) => r.question),
    rows.map((r) => r.choiceIds),
  );
  const objects = rows.map((r, i) => ({ ...r.keys, ...contents[i]! }));
  let json = JSON.stringify(objects);
  // JSON.stringify escapes only lone surrogates as \udXXX (a rare string that merely looks so costs a second pass).
  if (json.includes("\\ud")) json = JSON.stringify(objects, wellFormed);
  // "$" too (it can only stand in a JSON string, where \u0024 means the same): with no "$" in
  // the text, nothing in a bank file can end the dollar-quoted literal it travels in.
  return json.replace(/[\u0080-\uffff$]/g, escapeNonAscii);
}

/** A dollar-quoted SQL literal of `json` from versionRowsJson, which holds no "$". */
export function dollarQuoted(json: string): string {
  if (json.includes("$")) throw new Error("a dollar-quoted literal cannot hold a dollar sign");
  return `$json$${json}$json$`;
}

/** A version statement to make: the SQL before and after the literal of its rows' JSON. */
export type VersionStatement = { before: string; rows: VersionRow[]; after: string };

/** The statement's SQL, the rows' JSON inlined as a literal (ASCII, like the rest). */
export const versionStatementSql = (statement: VersionStatement) =>
  `${statement.before}${dollarQuoted(versionRowsJson(statement.rows))}${statement.after}`;
