// Attempt rows -> view models. The in-progress model is a separate type built only from
// fields a learner may see during the attempt: no key, no correctness, no explanation.
import { escapeHtml, keyHtml, type ResultSet, type StoredBody, type StoredOption } from "../banks";
import { judgeSql, type Comparison, type SqlRecord } from "../sandbox";
import type { SqlRunView } from "./use-cases/run-sql";
import type { LearnerAnswer, TopicScore } from "./grading";
import { ANNOUNCEMENT_MARKS, formatDuration, remainingSeconds } from "./timer";

/** The countdown script announces these marks (seconds left); one list for server and page. */
const announce = ANNOUNCEMENT_MARKS.join(",");

type Version = { type: string; stemHtml: string; body: StoredBody; explanationHtml: string };
/** An item's state while the attempt is open. */
type ProgressItem = {
  position: number;
  displayOrder: string[];
  response: LearnerAnswer | null;
  seq: number;
  flagged: boolean;
  sqlRuns?: number;
  /** Practice mode: set once the answer was checked (then marked and locked). */
  checkedAt?: Date | null;
  correct?: boolean | null;
  score?: number | null;
  /** The learner's run an SQL answer was marked on (set once checked). */
  sqlResult?: SqlRecord | null;
};
/** What is loaded of the question being shown: no explanation. */
type ShownVersion = { type: string; stemHtml: string; body: StoredBody };
type Item = {
  position: number;
  topicPath: string;
  displayOrder: string[];
  response: LearnerAnswer | null;
  seq: number;
  flagged: boolean;
  answeredAt: Date | null;
  correct: boolean | null;
  score: number | null;
  sqlResult?: SqlRecord | null;
  questionVersion: Version;
  /** In another attempt that is still open: no key, correctness or explanation until it closes. */
  held?: boolean;
};
type AttemptRow = {
  id: string;
  deadlineAt: Date;
  startedAt: Date;
  mode?: "timed" | "practice";
  exam: { title: string; slug: string; passMarkPercent: number | null; questionCount: number };
};

/**
 * Where a placement test sends the learner in a topic, from the share answered right there.
 * A placement test asks few questions per topic (the diagnostic two), so this points the
 * way; it does not measure.
 */
export function placementOf(scorePercent: number): { level: "basics" | "practice" | "ahead"; advice: string } {
  if (scorePercent < 50)
    return { level: "basics", advice: "Start with the basics: this topic's flashcards, then its practice module." };
  if (scorePercent < 100) return { level: "practice", advice: "Start with this topic's practice module." };
  return { level: "ahead", advice: "You can go on to the mock exam's level here; practise it later to keep it." };
}

/** What the learner sees of one choice while answering: its id and text. */
export type ChoiceView = { id: string; html: string; chosen: boolean; rank?: number };

export type QuestionView = {
  attemptId: string;
  examTitle: string;
  position: number;
  total: number;
  type: string;
  typeHint: string;
  stemHtml: string;
  choices: ChoiceView[];
  text: string;
  truefalse: boolean | null;
  unit: string | null;
  flagged: boolean;
  nextSeq: number;
  remainingSeconds: number;
  remainingLabel: string;
  announce: string;
  deadlineIso: string;
  jump: { position: number; answered: boolean; flagged: boolean; current: boolean; checked: boolean }[];
  answeredCount: number;
  /** Practice mode: untimed, each answer checked on its own. */
  practice: boolean;
  /** A checked practice answer: its mark, the key, the explanation, feedback per option. */
  checked: CheckedView | null;
  checkedCount: number;
  /** SQL exercises: the setup (the database's tables and rows), the statement, runs left, the last run. */
  sql: SqlQuestionView | null;
};

export type CheckedView = {
  correct: boolean;
  scorePercent: number;
  keyHtml: string;
  explanationHtml: string;
  /** Every option (choice questions) with whether it is right, whether it was chosen, its feedback. */
  options: { html: string; correct: boolean; chosen: boolean; feedback: string }[];
  /** An SQL exercise: the learner's rows beside the expected ones, differences marked. */
  sql: SqlReviewView | null;
};

export type SqlQuestionView = {
  setup: string;
  kind: "read" | "write";
  query: string;
  runsLimit: number | null;
  runsLeft: number | null;
  run: SqlRunView | null;
};

const HINTS: Record<string, string> = {
  single: "Choose one answer.",
  multiple: "Choose every answer that applies.",
  truefalse: "Is the statement true or false?",
  short: "Type your answer.",
  numeric: "Type a number.",
  ordering: "Put the items in the right order (1 = first).",
  sql: "Write one SQL statement. Run it to see its result, then submit it as your answer.",
};

const choiceTexts = (body: StoredBody): Map<string, string> => {
  const list = ("options" in body ? body.options : "items" in body ? body.items : []) as Pick<
    StoredOption,
    "id" | "html"
  >[];
  return new Map(list.map((o) => [o.id, o.html]));
};

function choicesOf(item: ProgressItem, version: ShownVersion): ChoiceView[] {
  const texts = choiceTexts(version.body);
  const r = item.response;
  const chosen = new Set(r?.type === "single" ? [r.optionId] : r?.type === "multiple" ? r.optionIds : []);
  const ranks = r?.type === "ordering" ? new Map(r.itemIds.map((id, i) => [id, i + 1])) : undefined;
  return item.displayOrder.map((id) => ({
    id,
    html: texts.get(id) ?? "",
    chosen: chosen.has(id),
    rank: ranks?.get(id),
  }));
}

/**
 * The marking of a checked practice answer. Built only when the item was checked: before
 * that, nothing of the key reaches the page.
 */
function checkedView(item: ProgressItem, version: ShownVersion, explanationHtml: string): CheckedView {
  const body = version.body;
  const r = item.response;
  const chosen = new Set(r?.type === "single" ? [r.optionId] : r?.type === "multiple" ? r.optionIds : []);
  const options =
    "options" in body
      ? item.displayOrder.flatMap((id) => {
          const option = body.options.find((o) => o.id === id);
          return option
            ? [{ html: option.html, correct: option.correct, chosen: chosen.has(id), feedback: option.feedback ?? "" }]
            : [];
        })
      : [];
  return {
    correct: item.correct ?? false,
    scorePercent: Math.round((item.score ?? 0) * 100),
    keyHtml: keyHtml(body),
    explanationHtml,
    options,
    sql: "exercise" in body ? sqlComparison(body, item.sqlResult ?? null) : null,
  };
}

export function presentQuestion(
  attempt: AttemptRow,
  items: ProgressItem[],
  shown: { item: ProgressItem; version: ShownVersion; explanationHtml?: string | null },
  now: Date,
  run: SqlRunView | null = null,
): QuestionView {
  const { item, version } = shown;
  const practice = attempt.mode === "practice";
  const body = version.body;
  const r = item.response;
  const remaining = remainingSeconds(attempt.deadlineAt, now);
  return {
    attemptId: attempt.id,
    examTitle: attempt.exam.title,
    position: item.position,
    total: items.length,
    type: version.type,
    typeHint: HINTS[version.type] ?? "",
    stemHtml: version.stemHtml,
    choices: ["single", "multiple", "ordering"].includes(version.type) ? choicesOf(item, version) : [],
    text: r?.type === "short" ? r.text : r?.type === "numeric" ? String(r.value) : "",
    truefalse: r?.type === "truefalse" ? r.value : null,
    unit: "unit" in body && typeof body.unit === "string" ? body.unit : null,
    flagged: item.flagged,
    nextSeq: item.seq + 1,
    remainingSeconds: remaining,
    remainingLabel: formatDuration(remaining),
    announce,
    deadlineIso: attempt.deadlineAt.toISOString(),
    jump: items.map((i) => ({
      position: i.position,
      answered: i.response !== null,
      flagged: i.flagged,
      current: i.position === item.position,
      checked: practice && Boolean(i.checkedAt),
    })),
    answeredCount: items.filter((i) => i.response !== null).length,
    practice,
    checked: practice && item.checkedAt ? checkedView(item, version, shown.explanationHtml ?? "") : null,
    checkedCount: items.filter((i) => i.checkedAt).length,
    sql: "exercise" in body ? sqlQuestion(body.exercise, item, run) : null,
  };
}

/** Only what the learner may see: the setup, the kind and the runs; never the reference or its results. */
function sqlQuestion(
  exercise: { setup: string; kind: "read" | "write"; runs?: number },
  item: ProgressItem,
  run: SqlRunView | null,
): SqlQuestionView {
  const limit = exercise.runs ?? null;
  return {
    setup: exercise.setup,
    kind: exercise.kind,
    query: item.response?.type === "sql" ? item.response.query : "",
    runsLimit: limit,
    runsLeft: run?.runsLeft ?? (limit === null ? null : Math.max(0, limit - (item.sqlRuns ?? 0))),
    run,
  };
}

export function presentSummary(attempt: AttemptRow, items: ProgressItem[], now: Date) {
  const remaining = remainingSeconds(attempt.deadlineAt, now);
  return {
    practice: attempt.mode === "practice",
    checked: items.filter((i) => i.checkedAt).length,
    attemptId: attempt.id,
    examTitle: attempt.exam.title,
    total: items.length,
    answered: items.filter((i) => i.response !== null).length,
    flagged: items.filter((i) => i.flagged).map((i) => i.position),
    unanswered: items.filter((i) => i.response === null).map((i) => i.position),
    remainingSeconds: remaining,
    remainingLabel: formatDuration(remaining),
    announce,
    deadlineIso: attempt.deadlineAt.toISOString(),
  };
}

/** The learner's answer as HTML: option texts are sanitised HTML; typed text is escaped here. */
function answerHtml(item: Item): string {
  const r = item.response;
  if (!r) return "(no answer)";
  const texts = choiceTexts(item.questionVersion.body);
  switch (r.type) {
    case "single":
      return texts.get(r.optionId) ?? "";
    case "multiple":
      return r.optionIds.map((id) => texts.get(id) ?? "").join("; ");
    case "truefalse":
      return r.value ? "True" : "False";
    case "short":
      return escapeHtml(r.text);
    case "numeric":
      return escapeHtml(String(r.value));
    case "ordering":
      return r.itemIds.map((id) => texts.get(id) ?? "").join(" → ");
    case "sql":
      return `<pre><code class="language-sql">${escapeHtml(r.query)}</code></pre>`;
  }
}

/** A result grid with its marked rows (a learner's or the expected one). */
export type GridView = {
  columns: string[];
  rows: { cells: (string | null)[]; marked: boolean }[];
  more: number;
};
export type SqlReviewView = {
  error: string | null;
  problems: string[];
  grids: { title: string; yours: GridView | null; expected: GridView }[];
};

const REVIEW_ROWS = 200;

function grid(result: ResultSet, marks: boolean[]): GridView {
  return {
    columns: result.columns.map((c) => c.name),
    rows: result.rows.slice(0, REVIEW_ROWS).map((cells, i) => ({ cells, marked: marks[i] ?? false })),
    more: Math.max(0, result.rows.length - REVIEW_ROWS),
  };
}

/** The learner's rows beside the expected ones, differences marked (after submission only). */
function sqlReview(item: Item): SqlReviewView | null {
  const body = item.questionVersion.body;
  return "exercise" in body ? sqlComparison(body, item.sqlResult ?? null) : null;
}

/** An SQL exercise's key against the learner's run: once checked (practice) or submitted. */
function sqlComparison(body: Extract<StoredBody, { exercise: unknown }>, record: SqlRecord | null): SqlReviewView {
  const verdict = judgeSql(body, record);
  const grids: SqlReviewView["grids"] = [];
  const pair = (title: string, expected: ResultSet, actual: ResultSet | null | undefined, c?: Comparison) =>
    grids.push({
      title,
      yours: actual ? grid(actual, c?.actualMarks ?? []) : null,
      expected: grid(expected, c?.expectedMarks ?? []),
    });
  const returns = body.exercise.kind === "read" || body.expected.columns.length > 0;
  const ok = record?.ok ? record : null;
  if (returns)
    pair(body.exercise.kind === "read" ? "Result" : "Rows returned", body.expected, ok?.result, verdict.statement);
  if (body.expectedCheck) pair("The table afterwards", body.expectedCheck, ok?.check, verdict.check);
  return {
    error: record && !record.ok ? record.error : record ? null : "No statement was submitted.",
    problems: [...(verdict.statement?.problems ?? []), ...(verdict.check?.problems ?? [])],
    grids,
  };
}

export type ResultView = ReturnType<typeof presentResult>;
export type ResultFilter = "all" | "incorrect" | "flagged" | "unanswered";

/** One choice of a reviewed question: what the learner did with it, and (keys allowed) what it was. */
type ReviewedChoice = { html: string; chosen: boolean; correct: boolean; feedback: string | null; note: string };

/** Every option in the order the learner saw it, with their choice, the key and its feedback. */
function reviewedChoices(item: Item): ReviewedChoice[] {
  const body = item.questionVersion.body;
  const r = item.response;
  if ("options" in body) {
    const chosen = new Set(r?.type === "single" ? [r.optionId] : r?.type === "multiple" ? r.optionIds : []);
    const byId = new Map(body.options.map((o) => [o.id, o]));
    const order = item.displayOrder.length ? item.displayOrder : body.options.map((o) => o.id);
    return order.flatMap((id) => {
      const o = byId.get(id);
      if (!o) return [];
      return [{ html: o.html, chosen: chosen.has(id), correct: o.correct, feedback: o.feedback ?? null, note: "" }];
    });
  }
  if ("answer" in body) {
    const given = r?.type === "truefalse" ? r.value : null;
    return [true, false].map((v) => ({
      html: v ? "True" : "False",
      chosen: given === v,
      correct: body.answer === v,
      feedback: null,
      note: "",
    }));
  }
  if ("items" in body) {
    const yours = r?.type === "ordering" ? new Map(r.itemIds.map((id, i) => [id, i + 1])) : new Map<string, number>();
    return body.items.map((o, i) => {
      const placed = yours.get(o.id);
      return {
        html: o.html,
        chosen: placed === i + 1,
        correct: true,
        feedback: null,
        note: `belongs at ${i + 1}${placed ? `; you put it at ${placed}` : ""}`,
      };
    });
  }
  return [];
}

const statusOf = (i: Item) => (i.response === null ? "unanswered" : i.correct ? "correct" : "incorrect");

export function presentResult(
  attempt: AttemptRow & {
    scorePercent: number | null;
    passed: boolean | null;
    correctCount: number | null;
    timeUsedSeconds: number | null;
    submittedBy: string | null;
    topicBreakdown: TopicScore[];
  },
  items: Item[],
  showReview: boolean,
  options: {
    topicTitles?: Map<string, string>;
    show?: ResultFilter;
    /** The stack the learner chose for the exam's stack section, by its title; null: none. */
    stackTitle?: string | null;
  } = {},
) {
  const placement = attempt.exam.passMarkPercent === null;
  const stackTitle = options.stackTitle ?? null;
  const titles = options.topicTitles ?? new Map<string, string>();
  const show = options.show ?? "all";
  const titleOf = (path: string) => {
    const own = titles.get(path) ?? path;
    const root = path.split("/")[0]!;
    return root !== path && titles.has(root) ? `${titles.get(root)!}: ${own}` : own;
  };
  const matches = (i: Item) =>
    show === "all" ||
    (show === "flagged" && i.flagged) ||
    (show === "unanswered" && i.response === null) ||
    (show === "incorrect" && !i.held && i.response !== null && !i.correct);
  const missed = items.filter((i) => !i.held && !i.correct).length;
  return {
    attemptId: attempt.id,
    examTitle: attempt.exam.title,
    examSlug: attempt.exam.slug,
    scorePercent: attempt.scorePercent ?? 0,
    /** null: a placement test; its result shows per-topic placement instead of pass or fail. */
    passMarkPercent: attempt.exam.passMarkPercent,
    placement,
    passed: attempt.passed ?? false,
    stackTitle,
    correctCount: attempt.correctCount ?? 0,
    total: items.length,
    timeUsed: formatDuration(attempt.timeUsedSeconds ?? 0),
    byDeadline: attempt.submittedBy === "deadline",
    topics: attempt.topicBreakdown.map((t) => ({
      ...t,
      title: titleOf(t.topicPath),
      placement: placement ? placementOf(t.scorePercent) : null,
    })),
    showReview,
    show,
    missed,
    filters: (["all", "incorrect", "flagged", "unanswered"] as const).map((key) => ({
      key,
      label: { all: "All", incorrect: "Incorrect", flagged: "Flagged", unanswered: "Unanswered" }[key],
      count:
        key === "all"
          ? items.length
          : key === "flagged"
            ? items.filter((i) => i.flagged).length
            : key === "unanswered"
              ? items.filter((i) => i.response === null).length
              : items.filter((i) => !i.held && i.response !== null && !i.correct).length,
      current: key === show,
    })),
    shownCount: items.filter(matches).length,
    review: showReview
      ? items.map((i) => {
          const common = {
            position: i.position,
            topicTitle: titleOf(i.topicPath),
            flagged: i.flagged,
            hidden: !matches(i),
            stemHtml: i.questionVersion.stemHtml,
            answerHtml: answerHtml(i),
            answered: i.response !== null,
          };
          if (i.held) return { ...common, held: true as const, status: "held" as const };
          const explanationHtml = i.questionVersion.explanationHtml.trim();
          return {
            ...common,
            held: false as const,
            status: statusOf(i),
            keyHtml: keyHtml(i.questionVersion.body),
            correct: i.correct ?? false,
            type: i.questionVersion.type,
            choices: reviewedChoices(i),
            sql: sqlReview(i),
            explanationHtml: explanationHtml || null,
          };
        })
      : [],
  };
}
