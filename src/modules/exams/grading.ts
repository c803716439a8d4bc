// Grading of one response against a question version's stored key, and an attempt's score
// (pure). Anything malformed, unanswered or of the wrong type scores 0 rather than throwing:
// a learner's submission must always be gradable.
import {
  numericWeight,
  type NumericAnswer,
  type PatternMatcher,
  type QuestionType,
  type ShortAnswer,
  type StoredBody,
  type StoredGap,
  type StoredOption,
} from "../banks";
import { judgeSql, type SqlRecord } from "../sandbox";

export type LearnerAnswer =
  | { type: "single"; optionId: string }
  | { type: "multiple"; optionIds: string[] }
  | { type: "truefalse"; value: boolean }
  | { type: "short"; text: string }
  | { type: "numeric"; value: number }
  | { type: "ordering"; itemIds: string[] }
  /** Each prompt's chosen answer; prompts left out are unanswered (wrong). */
  | { type: "matching"; pairs: { prompt: string; match: string }[] }
  /** Each blank's fill (blanks from 1): an option of that blank, or typed text. Blanks left out are wrong. */
  | { type: "gap"; fills: GapFill[] }
  /** The statement the learner wrote; it is run when the attempt is graded. */
  | { type: "sql"; query: string }
  /** An essay's open answer (practice only): compared by the learner with the model answer, never scored. */
  | { type: "essay"; text: string };

export type GapFill = { gap: number; optionId: string } | { gap: number; text: string };

export type GradeResult = { correct: boolean; score: number }; // score in [0,1]

const WRONG: GradeResult = { correct: false, score: 0 };
const RIGHT: GradeResult = { correct: true, score: 1 };
const verdict = (ok: boolean): GradeResult => (ok ? RIGHT : WRONG);

/** GIFT weights like 33.33333% × 3 fall short of 100% by rounding; the importer allows 0.01 points. */
const FULL_CREDIT_SLACK = 1e-4;
/** Relative slack so a value that is right but for binary floating point is not marked wrong. */
const NUMERIC_EPSILON = 1e-9;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** A percentage weight as a score; within the rounding slack of 100 it is full marks. */
function weighted(percent: number): GradeResult {
  const score = Number.isFinite(percent) ? clamp01(percent / 100) : 0;
  return score >= 1 - FULL_CREDIT_SLACK ? RIGHT : { correct: false, score };
}

/**
 * The chosen option's weight when the question gives partial credit (Moodle's single choice
 * with fractions); without partial credit, or weights, right only for the key.
 */
function gradeSingle(options: StoredOption[], optionId: string, partialCredit: boolean): GradeResult {
  const chosen = options.find((o) => o.id === optionId);
  if (!chosen) return WRONG;
  if (chosen.correct) return RIGHT;
  return partialCredit && chosen.weight !== undefined ? weighted(chosen.weight) : WRONG;
}

function gradeMultiple(options: StoredOption[], optionIds: string[], partialCredit: boolean): GradeResult {
  const chosen = new Set(optionIds);
  const known = new Set(options.map((o) => o.id));
  // An id the question never offered means a forged or stale form, not a wrong pick.
  if ([...chosen].some((id) => !known.has(id))) return WRONG;
  const correctIds = options.filter((o) => o.correct).map((o) => o.id);
  if (correctIds.length === 0) return WRONG;
  const hits = correctIds.filter((id) => chosen.has(id)).length;
  const wrongPicks = chosen.size - hits;
  if (!partialCredit) return verdict(hits === correctIds.length && wrongPicks === 0);

  let score: number;
  if (options.some((o) => o.weight !== undefined)) {
    // Weights are GIFT percentages; wrong options usually carry negative ones.
    const percent = options.filter((o) => chosen.has(o.id)).reduce((sum, o) => sum + (o.weight ?? 0), 0);
    score = clamp01(percent / 100);
    if (score >= 1 - FULL_CREDIT_SLACK) score = 1;
  } else {
    score = Math.max(0, (hits - wrongPicks) / correctIds.length);
  }
  return { correct: score === 1, score };
}

/** Trim, fold white space, NFC; lower-case unless the question is case sensitive. */
export function normaliseAnswer(text: string, caseSensitive: boolean): string {
  const folded = text.normalize("NFC").trim().replace(/\s+/g, " ");
  return caseSensitive ? folded : folded.toLowerCase();
}

type ShortBody = { accept: string[]; caseSensitive: boolean; pattern?: string; weighted?: ShortAnswer[] };

/** The answer of a short question the text matches that earns the most (none: undefined). */
export function matchingShortAnswer(body: ShortBody, text: string): ShortAnswer | undefined {
  if (typeof text !== "string") return undefined;
  const answer = normaliseAnswer(text, body.caseSensitive);
  if (answer === "") return undefined;
  const answers = Array.isArray(body.weighted) ? body.weighted : body.accept.map((a) => ({ text: a, weight: 100 }));
  const matches = answers.filter((a) => normaliseAnswer(a.text, body.caseSensitive) === answer);
  return matches.reduce<ShortAnswer | undefined>((best, a) => (best && best.weight >= a.weight ? best : a), undefined);
}

/** Whether a value falls within a numeric answer's tolerance. */
function withinAnswer(a: NumericAnswer, value: number): boolean {
  if (!Number.isFinite(a.value) || !Number.isFinite(a.tolerance)) return false;
  const slack = NUMERIC_EPSILON * Math.max(Math.abs(a.value), Math.abs(value));
  return Math.abs(value - a.value) <= Math.max(0, a.tolerance) + slack;
}

/** The numeric answer a value falls within that earns the most (none: undefined). */
export function matchingNumericAnswer(answers: NumericAnswer[], value: number): NumericAnswer | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || !Array.isArray(answers)) return undefined;
  return answers
    .filter((a) => withinAnswer(a, value))
    .reduce<NumericAnswer | undefined>(
      (best, a) => (best && numericWeight(best) >= numericWeight(a) ? best : a),
      undefined,
    );
}

/**
 * The pattern is matched by the injected matcher (banks' linear-time one in the app): a
 * backtracking engine would let one stored pattern and one answer hold the server for minutes.
 * An answer worth part of the mark scores that part only with partial credit on.
 */
function gradeShort(body: ShortBody, text: string, matchPattern: PatternMatcher, partialCredit: boolean): GradeResult {
  const best = matchingShortAnswer(body, text);
  if (best && best.weight >= 100) return RIGHT;
  const answer = typeof text === "string" ? normaliseAnswer(text, body.caseSensitive) : "";
  if (answer !== "" && typeof body.pattern === "string" && matchPattern(body.pattern, answer, body.caseSensitive))
    return RIGHT;
  return best && partialCredit ? weighted(best.weight) : WRONG;
}

function gradeNumeric(answers: NumericAnswer[], value: number, partialCredit: boolean): GradeResult {
  const best = matchingNumericAnswer(answers, value);
  if (!best) return WRONG;
  const result = weighted(numericWeight(best));
  return result.correct || partialCredit ? result : WRONG;
}

function gradeOrdering(items: { id: string }[], itemIds: string[]): GradeResult {
  return verdict(itemIds.length === items.length && items.every((item, i) => item.id === itemIds[i]));
}

/**
 * Partial credit: the share of prompts given their answer. Without it, right or wrong as a
 * whole, like every other type.
 */
function gradeMatching(
  body: { prompts: { id: string; match: string }[] },
  pairs: { prompt: string; match: string }[],
  partialCredit: boolean,
): GradeResult {
  if (body.prompts.length === 0 || !Array.isArray(pairs)) return WRONG;
  const chosen = new Map(pairs.map((p) => [p.prompt, p.match]));
  const right = body.prompts.filter((p) => chosen.get(p.id) === p.match).length;
  if (right === body.prompts.length) return RIGHT;
  return partialCredit ? { correct: false, score: right / body.prompts.length } : WRONG;
}

/** Whether one blank's fill is right: its right option, or text a short answer would accept. */
export function gapFillRight(gap: StoredGap, fill: GapFill | undefined): boolean {
  if (!fill) return false;
  if (gap.kind === "choice") return "optionId" in fill && gap.options.some((o) => o.id === fill.optionId && o.correct);
  if (!("text" in fill) || typeof fill.text !== "string") return false;
  const answer = normaliseAnswer(fill.text, gap.caseSensitive);
  return answer !== "" && gap.accept.some((a) => normaliseAnswer(a, gap.caseSensitive) === answer);
}

/** Partial credit: the share of blanks filled right; without it, right only when all are. */
function gradeGaps(gaps: StoredGap[], fills: GapFill[], partialCredit: boolean): GradeResult {
  if (gaps.length === 0 || !Array.isArray(fills)) return WRONG;
  const byGap = new Map(fills.map((f) => [f.gap, f]));
  const right = gaps.filter((g, i) => gapFillRight(g, byGap.get(i + 1))).length;
  if (right === gaps.length) return RIGHT;
  return partialCredit ? { correct: false, score: right / gaps.length } : WRONG;
}

/** The body's shape is checked as well as its type: a version stored under another type scores 0. */
export function gradeResponse(
  type: QuestionType,
  body: StoredBody,
  response: LearnerAnswer | null,
  options: {
    partialCredit: boolean;
    matchPattern: PatternMatcher;
    /** SQL exercises: what running the learner's statement gave (submit-attempt runs it). */
    sql?: SqlRecord | null;
  },
): GradeResult {
  if (response === null || response.type !== type) return WRONG;
  switch (response.type) {
    case "single":
      return "options" in body ? gradeSingle(body.options, response.optionId, options.partialCredit) : WRONG;
    case "multiple":
      return "options" in body ? gradeMultiple(body.options, response.optionIds, options.partialCredit) : WRONG;
    case "truefalse":
      return "answer" in body ? verdict(response.value === body.answer) : WRONG;
    case "short":
      return "accept" in body ? gradeShort(body, response.text, options.matchPattern, options.partialCredit) : WRONG;
    case "numeric":
      return "answers" in body ? gradeNumeric(body.answers, response.value, options.partialCredit) : WRONG;
    case "ordering":
      return "items" in body ? gradeOrdering(body.items, response.itemIds) : WRONG;
    case "gap":
      return "gaps" in body ? gradeGaps(body.gaps, response.fills, options.partialCredit) : WRONG;
    case "matching":
      return "prompts" in body ? gradeMatching(body, response.pairs, options.partialCredit) : WRONG;
    case "sql":
      return "exercise" in body ? verdict(judgeSql(body, options.sql ?? null).correct) : WRONG;
    case "essay":
      // Never scored: submission leaves essays out before grading (essay.ts).
      return WRONG;
  }
}

/**
 * The bank's feedback on a short or numeric answer: the matching answer's (the one that earns
 * the most), else the feedback for any other answer; "" when there is none. Shown after
 * submission (or a practice check) only.
 */
export function typedAnswerFeedback(body: StoredBody, response: LearnerAnswer | null): string {
  if (!response) return "";
  const other = "otherFeedback" in body && typeof body.otherFeedback === "string" ? body.otherFeedback : "";
  if (response.type === "short" && "accept" in body) {
    const match = matchingShortAnswer(body, response.text);
    return match ? (match.feedback ?? "") : typeof response.text === "string" && response.text.trim() ? other : "";
  }
  if (response.type === "numeric" && "answers" in body) {
    const match = matchingNumericAnswer(body.answers, response.value);
    return match ? (match.feedback ?? "") : other;
  }
  return "";
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d{1,2}$/;

/**
 * A typed number: "42", "-3.5e2", "1,234.5" (comma thousands), or "3,14" (a decimal comma,
 * recognised only without a dot and with one comma followed by 1-2 digits, so "1,234" stays
 * one thousand two hundred and thirty-four). Anything else, or a non-finite result, is null.
 */
export function parseNumeric(input: string): number | null {
  const text = input.trim();
  let literal: string;
  if (PLAIN.test(text)) literal = text;
  else if (GROUPED.test(text)) literal = text.replaceAll(",", "");
  else if (DECIMAL_COMMA.test(text)) literal = text.replace(",", ".");
  else return null;
  const value = Number(literal);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value; // no -0 in stored answers
}

export type TopicScore = { topicPath: string; total: number; correct: number; scorePercent: number };

export type AttemptScore = {
  correctCount: number;
  total: number;
  scorePercent: number;
  /** null: the exam has no pass mark (a placement test). */
  passed: boolean | null;
  byTopic: TopicScore[];
};

/** 100 × sum / total to one decimal; 0 for nothing. */
function percentOf(scoreSum: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * scoreSum) / total) / 10;
}

const scoreOf = (result: GradeResult) => (Number.isFinite(result.score) ? clamp01(result.score) : 0);

/** The pass decision uses the rounded percentage the learner is shown, so the two never disagree. */
export function scoreAttempt(
  items: { topicPath: string; result: GradeResult }[],
  passMarkPercent: number | null,
): AttemptScore {
  const topics = new Map<string, { total: number; correct: number; scoreSum: number }>();
  let correctCount = 0;
  let scoreSum = 0;
  for (const { topicPath, result } of items) {
    const topic = topics.get(topicPath) ?? { total: 0, correct: 0, scoreSum: 0 };
    topic.total += 1;
    topic.scoreSum += scoreOf(result);
    if (result.correct) topic.correct += 1;
    topics.set(topicPath, topic);
    scoreSum += scoreOf(result);
    if (result.correct) correctCount += 1;
  }
  const scorePercent = percentOf(scoreSum, items.length);
  const byTopic = [...topics]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topicPath, t]) => ({
      topicPath,
      total: t.total,
      correct: t.correct,
      scorePercent: percentOf(t.scoreSum, t.total),
    }));
  return {
    correctCount,
    total: items.length,
    scorePercent,
    // Nothing scored (a practice of essays only): no pass or fail to report.
    passed: passMarkPercent === null || items.length === 0 ? null : scorePercent >= passMarkPercent,
    byTopic,
  };
}
