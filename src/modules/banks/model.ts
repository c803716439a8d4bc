// The normalised question model every format parses into (pure types and checks).
// Markdown fields hold Markdown source here; rendering happens at import.

export type QuestionType =
  "single" | "multiple" | "truefalse" | "short" | "numeric" | "ordering" | "matching" | "gap" | "essay" | "sql";

/**
 * One blank of a gap (missing-word) question: filled by choosing one of its options, or by
 * typing text compared as a short answer is.
 */
export type Gap =
  { kind: "choice"; options: ChoiceOption[] } | { kind: "text"; accept: string[]; caseSensitive: boolean };

/** Where blank n stands in a gap question's stem: `[[n]]`, n from 1. */
export const GAP_MARKER = /\[\[(\d{1,2})\]\]/g;

/** One pair of a matching question: a prompt and the answer that goes with it (Markdown, one line). */
export type MatchPair = { prompt: string; match: string };

/** How a runnable SQL exercise's result sets are compared (docs/question-bank-format.md). */
export type SqlCompare = { ordered: boolean; columnNames: boolean; tolerance: number };

/** A result set as the sandbox returns it: column names and types, every value as PostgreSQL's text (null as null). */
export type ResultSet = { columns: { name: string; type: string }[]; rows: (string | null)[][] };

/** A runnable SQL exercise: its setup, the reference statement and how results compare. */
export type SqlExercise = {
  /** DDL and seed data, run once into the exercise's own schema. */
  setup: string;
  /** read: one query; write: one INSERT/UPDATE/DELETE, judged by its RETURNING rows and `check`. */
  kind: "read" | "write";
  reference: string;
  /** write kind: a query run after the statement, in the same rolled-back transaction. */
  check?: string;
  compare: SqlCompare;
  /** How many times a learner may run a query before submitting (undefined: no limit). */
  runs?: number;
};

export type CognitiveLevel = "recall" | "apply" | "analyse";

export type SourcePosition = { file: string; line: number; column: number };

export type ChoiceOption = {
  text: string;
  correct: boolean;
  feedback?: string;
  /**
   * Percent of the mark, -100..100: multiple response with weights, or a single choice's
   * partial credit (a wrong option's share of the mark; the right option's, if given, is 100).
   */
  weight?: number;
};

/**
 * One answer of a short-answer question with the share of the mark it earns (percent, 0..100)
 * and the feedback shown once it was given (plain text, after submission only).
 */
export type ShortAnswer = { text: string; weight: number; feedback?: string };

/** One answer of a numeric question; weight (percent, 0..100) is 100 when left out. */
export type NumericAnswer = { value: number; tolerance: number; weight?: number; feedback?: string };

/** Partial credit or feedback that a short or numeric question keeps beside its key. */
export type TypedFeedback = {
  /** Feedback for an answer that matches none of the question's answers (Moodle's "*"). */
  otherFeedback?: string;
};

export type QuestionBody =
  | { type: "single"; options: ChoiceOption[] }
  | { type: "multiple"; options: ChoiceOption[] }
  | { type: "truefalse"; answer: boolean }
  /**
   * `accept`: the full-credit answers. `weighted`, when present, is every answer in file order
   * with its weight and feedback (those of weight 100 are exactly `accept`); only questions with
   * partial credit or per-answer feedback carry it (shortAnswersOf builds both). Not named
   * `answers`: that key tells a numeric body.
   */
  | ({
      type: "short";
      accept: string[];
      caseSensitive: boolean;
      pattern?: string;
      weighted?: ShortAnswer[];
    } & TypedFeedback)
  | ({ type: "numeric"; answers: NumericAnswer[]; unit?: string } & TypedFeedback)
  | { type: "ordering"; items: string[] }
  /** Pairs in file order; distractors are answers no prompt takes. Equal answers are one choice. */
  | { type: "matching"; pairs: MatchPair[]; distractors: string[] }
  /** The stem holds `[[1]]`, `[[2]]` ... once each, where the blanks go, in order. */
  | { type: "gap"; gaps: Gap[] }
  /** An open answer, never scored: the learner compares it with the model answer (Markdown; "" when the file gives none). */
  | { type: "essay"; modelAnswer: string }
  | ({ type: "sql"; validated?: SqlValidation } & SqlExercise);

/** What the import's run of an exercise found: its schema and the reference's results (the key). */
export type SqlValidation = { schema: string; expected: ResultSet; expectedCheck?: ResultSet };

export type ParsedQuestion = QuestionBody & {
  /** Stable id: from the file when it has one, otherwise derived from topic + stem by the parser. */
  externalId: string;
  topic: string; // slash path, e.g. "databases/sql"
  stem: string; // Markdown
  explanation: string; // Markdown; may be "" for foreign formats (the importer warns)
  difficulty: 1 | 2 | 3;
  tags: string[];
  references: string[];
  /**
   * Text that introduces this question (Markdown): a description (GIFT text without an answer
   * block, Moodle XML's type="description") is kept as the intro of the questions after it.
   */
  intro?: string;
  /** Cognitive level the item asks for (native format only; the content report measures it). */
  level?: CognitiveLevel;
  title?: string;
  position: SourcePosition;
};

export type ParsedCard = { externalId: string; topic: string; front: string; back: string; position: SourcePosition };

export type ParsedBank = {
  /** Bank metadata; foreign formats take slug/title from the file name unless told. */
  slug: string;
  title: string;
  description: string;
  licence: string;
  topics: { path: string; title: string }[];
  questions: ParsedQuestion[];
  cards: ParsedCard[];
};

export type ParseIssue = SourcePosition & { message: string };

/** A question the file holds that cannot be imported, and why. */
export type RejectedQuestion = {
  position: SourcePosition;
  /** The id it would have had, when the file tells: a stored question of that id is kept, not retired. */
  externalId?: string;
  /** A short excerpt (its title or the start of its text), so a reader knows which question it is. */
  label: string;
  errors: ParseIssue[];
};

/** What of a file can be imported when only some of its questions are wrong. */
export type PartialBank = { bank: ParsedBank; warnings: ParseIssue[]; rejected: RejectedQuestion[] };

/**
 * `ok: false` lists every error (strict imports stop there). When every error belongs to a
 * question, `partial` holds the rest of the file, which a lenient import brings in.
 */
export type ParseResult =
  { ok: true; bank: ParsedBank; warnings: ParseIssue[] } | { ok: false; errors: ParseIssue[]; partial?: PartialBank };

export type ParseOptions = {
  /** Path shown in messages (file:line:column). */
  file: string;
  /** Defaults for formats that carry no bank metadata. */
  slug: string;
  title: string;
  /** Topic for questions that name none (GIFT/XML without a category, Aiken, CSV without topic). */
  defaultTopic: string;
};

export const formatIssue = (issue: ParseIssue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;

/**
 * The answers a matching question offers, each once: the pairs' answers in the order they
 * first appear (equal texts are one answer), then the distractors that are not among them.
 */
export function matchChoices(q: { pairs: MatchPair[]; distractors: string[] }): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of [...q.pairs.map((p) => p.match), ...q.distractors]) {
    const key = text.trim();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

/** The numbers of the `[[n]]` markers of a stem, in the order they stand. */
export const gapMarkers = (stem: string): number[] => [...stem.matchAll(GAP_MARKER)].map((m) => Number(m[1]));

/** What is wrong with a gap question's markers, or undefined: each of 1..count once, in order. */
export function gapMarkerProblem(stem: string, count: number): string | undefined {
  const found = gapMarkers(stem);
  const wanted = Array.from({ length: count }, (_, i) => i + 1);
  if (found.join(",") === wanted.join(",")) return undefined;
  const list = wanted.map((n) => `[[${n}]]`).join(", ");
  return `the stem must hold ${list} once each, in that order, where the blanks go (found ${found.length ? found.map((n) => `[[${n}]]`).join(", ") : "none"})`;
}

/** A numeric answer as people read it: "404", or "3.14 ± 0.01". */
export const numericAnswerText = (a: { value: number; tolerance: number }) =>
  a.tolerance ? `${a.value} ± ${a.tolerance}` : String(a.value);

/** The weight of a numeric answer (percent): 100 unless it says otherwise. */
export const numericWeight = (answer: { weight?: number }) => answer.weight ?? 100;

/**
 * A short-answer key from answers in file order: `accept` holds the full-credit texts, and
 * `weighted` is kept only when one earns part of the mark (or nothing) or carries feedback.
 */
export function shortAnswersOf(answers: readonly ShortAnswer[]): { accept: string[]; weighted?: ShortAnswer[] } {
  const accept = answers.filter((a) => a.weight >= 100).map((a) => a.text);
  const graded = answers.some((a) => a.weight < 100 || a.feedback);
  return graded
    ? {
        accept,
        weighted: answers.map((a) => ({
          text: a.text,
          weight: a.weight,
          ...(a.feedback ? { feedback: a.feedback } : {}),
        })),
      }
    : { accept };
}

/** Whether a single-choice question gives some option part of the mark (its options then carry weights). */
export const singleHasPartialCredit = (options: readonly ChoiceOption[]) =>
  options.some((o) => o.weight !== undefined && o.weight !== 0 && o.weight !== 100);
