// Attempt rows -> view models. The in-progress model is a separate type built only from
// fields a learner may see during the attempt: no key, no correctness, no explanation.
import {
  escapeHtml,
  GAP_BLANK,
  gapKeyHtml,
  keyHtml,
  type ResultSet,
  type StoredBody,
  type StoredGapBody,
  type StoredMatchingBody,
  type StoredOption,
} from "../banks";
import { judgeSql, type Comparison, type SqlRecord } from "../sandbox";
import { isEssay } from "./essay";
import { essayChecked, essayInput, selfAssessmentOf, type EssayCheckedView } from "./essay.presenter";
import type { SqlRunView } from "./use-cases/run-sql";
import { gapFillRight, typedAnswerFeedback, type GapFill, type LearnerAnswer, type TopicScore } from "./grading";
import type { ItemState } from "./item-state";
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
  /** Practice essays: the learner's self-assessment, once given. */
  selfAssessment?: string | null;
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
  selfAssessment?: string | null;
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
  /**
   * The jump list; `classes` (answered, checked, flagged) and `label` (the same as hidden text)
   * are made of fixed words only, so the page writes them unescaped: some 60 buttons on every
   * question page.
   */
  jump: { position: number; current: boolean; classes: string; label: string }[];
  answeredCount: number;
  /** Practice mode: untimed, each answer checked on its own. */
  practice: boolean;
  /** A checked practice answer: its mark, the key, the explanation, feedback per option. */
  checked: CheckedView | null;
  checkedCount: number;
  /** SQL exercises: the setup (the database's tables and rows), the statement, runs left, the last run. */
  sql: SqlQuestionView | null;
  /** Matching: the prompts with the answer chosen for each, and the answers offered (shuffled). */
  matching: MatchingView | null;
  /** Gap: the stem in pieces, a control where each blank stands. */
  gap: GapPiece[] | null;
  /** The text that introduces the question (a description before it), or null. */
  introHtml: string | null;
  /** An essay not yet checked: its text area (the model answer comes only with the check). */
  essay: { text: string; maxLength: number } | null;
};

/** A piece of a gap question's stem: HTML, or a blank with its options (no key) and the learner's fill. */
export type GapPiece =
  | { html: string }
  | {
      blank: number;
      kind: "choice" | "text";
      options: { id: string; text: string }[];
      chosen: string | null;
      text: string;
    };

/** The stem split at its blanks; a blank's options in the attempt's order. */
function gapPieces(
  stemHtml: string,
  item: { displayOrder: string[]; response: LearnerAnswer | null },
  body: StoredGapBody,
): GapPiece[] {
  const r = item.response;
  const fills = new Map<number, GapFill>(r?.type === "gap" ? r.fills.map((f) => [f.gap, f]) : []);
  const rank = new Map(item.displayOrder.map((id, i) => [id, i]));
  const pieces: GapPiece[] = [];
  let at = 0;
  for (const m of stemHtml.matchAll(GAP_BLANK)) {
    pieces.push({ html: stemHtml.slice(at, m.index) });
    at = m.index + m[0].length;
    const n = Number(m[1]);
    const gap = body.gaps[n - 1];
    if (!gap) continue;
    const fill = fills.get(n);
    const options =
      gap.kind === "choice"
        ? [...gap.options]
            .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0))
            .map((o) => ({ id: o.id, text: plainText(o.html) }))
        : [];
    pieces.push({
      blank: n,
      kind: gap.kind,
      options,
      chosen: fill && "optionId" in fill ? fill.optionId : null,
      text: fill && "text" in fill ? fill.text : "",
    });
  }
  pieces.push({ html: stemHtml.slice(at) });
  return pieces;
}

/** No key: a prompt's id and text and what the learner chose; the answers in the order shown. */
export type MatchingView = {
  prompts: { id: string; html: string; chosen: string | null }[];
  /** `text`: the answer as plain text, for a select's options (which hold no markup). */
  matches: { id: string; html: string; text: string }[];
};

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** Rendered inline HTML as the text it shows (tags dropped, character references decoded). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== "#") return ENTITY[name.toLowerCase()] ?? whole;
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .trim();
}

export type CheckedView = {
  correct: boolean;
  scorePercent: number;
  keyHtml: string;
  explanationHtml: string;
  /**
   * Every option (choice questions) with whether it is right, whether it was chosen, its
   * feedback, and the share of the mark a wrong option earns (partial credit; null: none).
   */
  options: { id: string; html: string; correct: boolean; chosen: boolean; feedback: string; weight: number | null }[];
  /** Short and numeric: the bank's feedback on the answer given ("" when none). */
  answerFeedback: string;
  /** An SQL exercise: the learner's rows beside the expected ones, differences marked. */
  sql: SqlReviewView | null;
  /** Matching: each prompt with the learner's answer and the right one. */
  pairs: ReviewedPair[];
  /** An essay: never marked; the answer beside the model answer, and the self-assessment. */
  essay: EssayCheckedView | null;
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
  matching: "Choose the answer that goes with each item. An answer may fit more than one item, or none.",
  gap: "Fill in each blank.",
  essay: "Write your answer, then show the model answer to compare it with yours. Essays are not scored.",
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

/** A matching question as shown: prompts and answers in the attempt's shuffled order. */
function matchingOf(item: { displayOrder: string[]; response: LearnerAnswer | null }, body: StoredMatchingBody) {
  const prompts = new Map(body.prompts.map((p) => [p.id, p.html]));
  const matches = new Map(body.matches.map((m) => [m.id, m.html]));
  const r = item.response;
  const chosen = new Map(r?.type === "matching" ? r.pairs.map((p) => [p.prompt, p.match]) : []);
  const order = item.displayOrder.length ? item.displayOrder : [...prompts.keys(), ...matches.keys()];
  return {
    prompts: order
      .filter((id) => prompts.has(id))
      .map((id) => ({ id, html: prompts.get(id)!, chosen: chosen.get(id) ?? null })),
    matches: order
      .filter((id) => matches.has(id))
      .map((id) => ({ id, html: matches.get(id)!, text: plainText(matches.get(id)!) })),
  };
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
            ? [
                {
                  id,
                  html: option.html,
                  correct: option.correct,
                  chosen: chosen.has(id),
                  feedback: option.feedback ?? "",
                  weight: partialWeight(version.type, option),
                },
              ]
            : [];
        })
      : [];
  return {
    correct: item.correct ?? false,
    scorePercent: Math.round((item.score ?? 0) * 100),
    keyHtml: keyHtml(body),
    explanationHtml,
    options,
    answerFeedback: typedAnswerFeedback(body, r),
    sql: "exercise" in body ? sqlComparison(body, item.sqlResult ?? null) : null,
    pairs: [...reviewedPairs(item, body), ...reviewedGaps(item, body)],
    essay: version.type === "essay" ? essayChecked(item, body) : null,
  };
}

/** A wrong single-choice option's share of the mark (percent), when it earns some; else null. */
const partialWeight = (type: string, option: StoredOption): number | null =>
  type === "single" && !option.correct && option.weight !== undefined && option.weight !== 0 ? option.weight : null;

/** The marking of one answer of a practice attempt (the API's check), null until it was checked. */
export function presentCheckedAnswer(
  attempt: Pick<AttemptRow, "mode">,
  shown: { item: ProgressItem; version: ShownVersion; explanationHtml?: string | null },
): CheckedView | null {
  return attempt.mode === "practice" && shown.item.checkedAt
    ? checkedView(shown.item, shown.version, shown.explanationHtml ?? "")
    : null;
}

function jumpButton(state: ItemState, current: boolean, checked: boolean): QuestionView["jump"][number] {
  const { position, answered, flagged } = state;
  return {
    position,
    current,
    classes: `jump${answered ? " answered" : ""}${checked ? " checked" : ""}${flagged ? " flagged" : ""}`,
    label: `${answered ? ", answered" : ", not answered"}${flagged ? ", flagged" : ""}${current ? ", this question" : ""}`,
  };
}

/** `states`: every item's place in the progress (item-state.ts), the shown one's included. */
export function presentQuestion(
  attempt: AttemptRow,
  states: readonly ItemState[],
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
    total: states.length,
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
    jump: states.map((i) => jumpButton(i, i.position === item.position, practice && i.checked)),
    answeredCount: states.filter((i) => i.answered).length,
    practice,
    checked: presentCheckedAnswer(attempt, shown),
    checkedCount: states.filter((i) => i.checked).length,
    sql: "exercise" in body ? sqlQuestion(body.exercise, item, run) : null,
    matching: "prompts" in body ? matchingOf(item, body) : null,
    gap: "gaps" in body ? gapPieces(version.stemHtml, item, body) : null,
    introHtml: body.intro?.html ?? null,
    essay: version.type === "essay" ? essayInput(r) : null,
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
    case "gap": {
      const body = item.questionVersion.body;
      if (!("gaps" in body)) return "";
      return body.gaps
        .map(
          (g, i) =>
            `(${i + 1}) ${gapFillHtml(
              g,
              r.fills.find((f) => f.gap === i + 1),
            )}`,
        )
        .join("; ");
    }
    case "matching": {
      const body = item.questionVersion.body;
      if (!("prompts" in body)) return "";
      const chosen = new Map(r.pairs.map((p) => [p.prompt, p.match]));
      const matches = new Map(body.matches.map((m) => [m.id, m.html]));
      return body.prompts.map((p) => `${p.html} → ${matches.get(chosen.get(p.id) ?? "") ?? "(no answer)"}`).join("; ");
    }
    case "sql":
      return `<pre><code class="language-sql">${escapeHtml(r.query)}</code></pre>`;
    case "essay":
      return `<span class="essay-text">${escapeHtml(r.text)}</span>`;
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
type ReviewedChoice = {
  html: string;
  chosen: boolean;
  correct: boolean;
  feedback: string | null;
  note: string;
  /** A wrong single-choice option's share of the mark (partial credit), else null. */
  weight: number | null;
};

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
      return [
        {
          html: o.html,
          chosen: chosen.has(id),
          correct: o.correct,
          feedback: o.feedback ?? null,
          note: "",
          weight: partialWeight(item.questionVersion.type, o),
        },
      ];
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
      weight: null,
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
        weight: null,
      };
    });
  }
  return [];
}

/** A reviewed matching question: per prompt, the learner's answer and the right one (after submission only). */
/** A blank's fill as HTML: the chosen option's text, or the typed text escaped. */
function gapFillHtml(gap: StoredGapBody["gaps"][number], fill: GapFill | undefined): string {
  if (!fill) return "(no answer)";
  if ("text" in fill) return escapeHtml(fill.text);
  return gap.kind === "choice" ? (gap.options.find((o) => o.id === fill.optionId)?.html ?? "") : "";
}

/** A reviewed gap question: per blank, the fill and the key (after submission or check only). */
function reviewedGaps(item: { response: LearnerAnswer | null }, body: StoredBody): ReviewedPair[] {
  if (!("gaps" in body)) return [];
  const r = item.response;
  const fills = new Map<number, GapFill>(r?.type === "gap" ? r.fills.map((f) => [f.gap, f]) : []);
  return body.gaps.map((g, i) => {
    const fill = fills.get(i + 1);
    // The feedback the bank gives for the option chosen, as for a choice question's options.
    const chosen =
      g.kind === "choice" && fill && "optionId" in fill ? g.options.find((o) => o.id === fill.optionId) : undefined;
    return {
      promptHtml: `Blank ${i + 1}`,
      yoursHtml: fill ? gapFillHtml(g, fill) : null,
      keyHtml: gapKeyHtml(g),
      right: gapFillRight(g, fill),
      feedback: chosen?.feedback ?? "",
    };
  });
}

export type ReviewedPair = {
  promptHtml: string;
  yoursHtml: string | null;
  keyHtml: string;
  right: boolean;
  /** The bank's feedback on the answer given (a gap's chosen option), shown as written; "" when none. */
  feedback: string;
};

function reviewedPairs(
  item: { displayOrder: string[]; response: LearnerAnswer | null },
  body: StoredBody,
): ReviewedPair[] {
  if (!("prompts" in body)) return [];
  const r = item.response;
  const chosen = new Map(r?.type === "matching" ? r.pairs.map((p) => [p.prompt, p.match]) : []);
  const matches = new Map(body.matches.map((m) => [m.id, m.html]));
  const view = matchingOf(item, body);
  const byId = new Map(body.prompts.map((p) => [p.id, p]));
  return view.prompts.map((shown) => {
    const p = byId.get(shown.id)!;
    const yours = chosen.get(p.id);
    return {
      promptHtml: p.html,
      yoursHtml: yours === undefined ? null : (matches.get(yours) ?? null),
      keyHtml: matches.get(p.match) ?? "",
      right: yours === p.match,
      feedback: "",
    };
  });
}

const essay = (i: Item) => isEssay(i.questionVersion.type);
const statusOf = (i: Item) =>
  essay(i) ? "not scored" : i.response === null ? "unanswered" : i.correct ? "correct" : "incorrect";
/** The share of the mark an answer earned, when it earned part of it (0 < score < 1); else null. */
const partOf = (i: Item) =>
  !i.correct && i.score !== null && i.score > 0 && i.score < 1 ? Math.round(i.score * 1000) / 10 : null;
/** Marked wrong: answered and not right (essays are never marked). */
const incorrect = (i: Item) => !i.held && !essay(i) && i.response !== null && !i.correct;

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
    (show === "incorrect" && incorrect(i));
  const missed = items.filter((i) => !i.held && !essay(i) && !i.correct).length;
  const essays = items.filter(essay).length;
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
    /** The questions scored: essays are not. */
    total: items.length - essays,
    essays,
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
              : items.filter(incorrect).length,
      current: key === show,
    })),
    shownCount: items.filter(matches).length,
    questionCount: items.length,
    review: showReview
      ? items.map((i) => {
          const common = {
            position: i.position,
            topicTitle: titleOf(i.topicPath),
            flagged: i.flagged,
            hidden: !matches(i),
            stemHtml: i.questionVersion.stemHtml,
            introHtml: i.questionVersion.body.intro?.html ?? null,
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
            /** Partial credit: the percent of the mark earned, when part of it. */
            partPercent: partOf(i),
            type: i.questionVersion.type,
            choices: reviewedChoices(i),
            answerFeedback: typedAnswerFeedback(i.questionVersion.body, i.response),
            pairs: [...reviewedPairs(i, i.questionVersion.body), ...reviewedGaps(i, i.questionVersion.body)],
            sql: sqlReview(i),
            explanationHtml: explanationHtml || null,
            selfAssessment: essay(i) ? selfAssessmentOf(i.selfAssessment) : null,
          };
        })
      : [],
  };
}
