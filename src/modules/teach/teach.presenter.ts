import { previewQuestions, type ImportReport, type StoredBody } from "../banks";
import type { SelfAssessmentCounts } from "../exams";
import type { ItemStats } from "./item-stats";

/** "file:12:3" as a sort key: by file, then line and column as numbers. */
function positionKey(at: string): [string, number, number] {
  const match = /^(.*):(\d+):(\d+)$/.exec(at);
  return match ? [match[1] ?? "", Number(match[2]), Number(match[3])] : [at, 0, 0];
}

/** In file order; keys are computed once per row, as a file may hold 20,000 questions. */
function inFileOrder<T extends { at: string }>(rows: T[]): T[] {
  const keyed = rows.map((row) => ({ row, key: positionKey(row.at) }));
  keyed.sort((a, b) => a.key[0].localeCompare(b.key[0]) || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  return keyed.map((k) => k.row);
}

/** Questions rendered per page of the upload preview: a bank of 20,000 renders 200 at a time. */
export const PREVIEW_PAGE_SIZE = 200;

/** The preview of an upload: per bank what changes; per question, page by page, how it shows or why it is left out. */
export function presentReport(report: ImportReport, page = 1) {
  const all = inFileOrder([
    ...report.banks.flatMap((b) =>
      (b.entries ?? []).map(({ question, ...e }) => ({ ...e, question, imports: true, reasons: [] as string[] })),
    ),
    ...report.skipped.map((s) => ({
      id: s.id ?? "",
      at: s.at,
      label: s.label,
      status: "left out",
      question: undefined,
      imports: false,
      reasons: s.reasons,
    })),
  ]);
  const pages = Math.max(1, Math.ceil(all.length / PREVIEW_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = all.slice((current - 1) * PREVIEW_PAGE_SIZE, current * PREVIEW_PAGE_SIZE);
  const rendered = previewQuestions(shown.flatMap((q) => (q.question ? [q.question] : [])));
  let next = 0;
  return {
    ok: report.ok,
    errors: report.errors,
    warnings: report.warnings,
    skipped: report.skipped,
    importing: all.length - report.skipped.length,
    total: all.length,
    page: {
      current,
      pages,
      first: (current - 1) * PREVIEW_PAGE_SIZE + 1,
      last: (current - 1) * PREVIEW_PAGE_SIZE + shown.length,
    },
    /** This page of the file's questions: what will import (rendered with its key), and what will not and why. */
    questions: shown.map(({ question, ...q }) => ({ ...q, preview: question ? (rendered[next++] ?? null) : null })),
    banks: report.banks.map((b) => ({
      slug: b.slug,
      title: b.title,
      format: b.format,
      newBank: b.newBank,
      questions: b.questions,
      cards: b.cards,
      created: b.plan.createdQuestions,
      changed: [...b.plan.changedQuestions, ...b.plan.movedQuestions],
      restored: b.plan.restoredQuestions,
      retired: b.plan.retiredQuestions,
      cardsCreated: b.plan.createdCards.length,
      cardsChanged: b.plan.changedCards.length,
      cardsRetired: b.plan.retiredCards.length,
      unchanged: b.unchanged,
    })),
  };
}

type BankRow = {
  slug: string;
  title: string;
  description: string;
  questions: {
    id: string;
    externalId: string;
    retiredAt: Date | null;
    topic: { title: string };
    currentVersion: { number: number; type: string; stemHtml: string; body: StoredBody } | null;
  }[];
};

const pct = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);
const num = (x: number | null) => (x === null ? "–" : x.toFixed(2));

export function presentBank(
  bank: BankRow,
  stats: Map<string, ItemStats>,
  selfAssessments: Map<string, SelfAssessmentCounts> = new Map(),
) {
  return {
    slug: bank.slug,
    title: bank.title,
    description: bank.description,
    questions: bank.questions.map((q) => {
      const s = stats.get(q.id);
      return {
        id: q.id,
        externalId: q.externalId,
        retired: q.retiredAt !== null,
        topic: q.topic.title,
        version: q.currentVersion?.number ?? 0,
        type: q.currentVersion?.type ?? "",
        stemHtml: q.currentVersion?.stemHtml ?? "",
        responses: s?.responses ?? 0,
        facility: pct(s?.facility ?? null),
        discrimination: num(s?.discrimination ?? null),
        upperLower: num(s?.upperLower ?? null),
        flags: s?.flags ?? [],
        options: q.currentVersion ? optionTable(q.currentVersion.body, s) : [],
        // Essays are never scored: how learners judged their own answers, not a facility.
        selfAssessed:
          q.currentVersion?.type === "essay"
            ? (selfAssessments.get(q.id) ?? { had: 0, partly: 0, missed: 0, total: 0 })
            : null,
      };
    }),
  };
}

type ExamRow = {
  slug: string;
  title: string;
  kind: string;
  questionCount: number;
  timeLimitSeconds: number;
  passMarkPercent: number | null;
  maxAttempts: number | null;
  reviewPolicy: string;
  opensAt?: Date | null;
  closesAt: Date | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  partialCredit: boolean;
  blueprint: Record<string, number> | null;
  difficultyQuota?: Record<string, number> | null;
  topicPaths: string[];
  published: boolean;
};

/** Form values from a stored exam, from a re-displayed form body, or defaults for a new one. */
export function presentExamForm(
  source: ExamRow | Record<string, unknown> | null,
  topics: { path: string; title: string; questions: number }[],
) {
  if (source && "timeLimitSeconds" in source) {
    const e = source as ExamRow;
    const weights = e.blueprint ?? {};
    const quota = e.difficultyQuota ?? null;
    const stated = Object.values(weights).reduce((a, b) => a + b, 0) === e.questionCount;
    return {
      slug: e.slug,
      title: e.title,
      kind: e.kind,
      questionCount: String(e.questionCount),
      timeLimitMinutes: String(Math.round(e.timeLimitSeconds / 60)),
      passMarkPercent: e.passMarkPercent === null ? "" : String(e.passMarkPercent),
      weightsAre: stated ? "counts" : "weights",
      quotaEasy: quota ? String(quota["1"] ?? 0) : "",
      quotaMedium: quota ? String(quota["2"] ?? 0) : "",
      quotaHard: quota ? String(quota["3"] ?? 0) : "",
      attempts: e.maxAttempts === null ? "" : String(e.maxAttempts),
      review: e.reviewPolicy,
      opensAt: e.opensAt ? e.opensAt.toISOString().slice(0, 16) : "",
      closesAt: e.closesAt ? e.closesAt.toISOString().slice(0, 16) : "",
      shuffleQuestions: e.shuffleQuestions,
      shuffleOptions: e.shuffleOptions,
      partialCredit: e.partialCredit,
      published: e.published,
      topics: topics.map((t) => ({
        ...t,
        chosen: e.topicPaths.includes(t.path) || t.path in weights,
        weight: String(weights[t.path] ?? 1),
      })),
    };
  }
  const b = source ?? {};
  const text = (k: string, d: string) => (typeof b[k] === "string" ? b[k] : d);
  const chosen = new Set(
    Array.isArray(b.topics) ? (b.topics as string[]) : typeof b.topics === "string" ? [b.topics] : [],
  );
  return {
    slug: text("slug", ""),
    title: text("title", ""),
    kind: text("kind", "module"),
    questionCount: text("questionCount", "20"),
    timeLimitMinutes: text("timeLimitMinutes", "30"),
    passMarkPercent: text("passMarkPercent", "70"),
    weightsAre: text("weightsAre", "weights"),
    quotaEasy: text("quotaEasy", ""),
    quotaMedium: text("quotaMedium", ""),
    quotaHard: text("quotaHard", ""),
    attempts: text("attempts", ""),
    review: text("review", "after_submit"),
    opensAt: text("opensAt", ""),
    closesAt: text("closesAt", ""),
    shuffleQuestions: source === null || b.shuffleQuestions !== undefined,
    shuffleOptions: source === null || b.shuffleOptions !== undefined,
    partialCredit: b.partialCredit !== undefined,
    published: false,
    topics: topics.map((t) => ({ ...t, chosen: chosen.has(t.path), weight: text(`weight_${t.path}`, "1") })),
  };
}

/** Every option of the current version with how often it was chosen (zeros included). */
function optionTable(body: StoredBody, stats: ItemStats | undefined) {
  if ("prompts" in body) {
    // Matching: one row per pair, with how many answers gave that prompt its right answer.
    const matches = new Map(body.matches.map((m) => [m.id, m.html]));
    return body.prompts.map((p) => ({
      id: p.id,
      html: `${p.html} → ${matches.get(p.match) ?? ""}`,
      correct: true,
      chosen: stats?.optionCounts[`${p.id}:${p.match}`] ?? 0,
    }));
  }
  if ("gaps" in body)
    // Gap: the options of every blank chosen by choice, with how often each was chosen.
    return body.gaps.flatMap((g, i) =>
      g.kind === "choice"
        ? g.options.map((o) => ({
            id: o.id,
            html: `(${i + 1}) ${o.html}`,
            correct: o.correct,
            chosen: stats?.optionCounts[o.id] ?? 0,
          }))
        : [],
    );
  if (!("options" in body)) return [];
  return body.options.map((o) => ({
    id: o.id,
    html: o.html,
    correct: o.correct,
    chosen: stats?.optionCounts[o.id] ?? 0,
  }));
}

type ExamItem = {
  question: {
    externalId: string;
    bank: { slug: string };
    topic: { path: string };
    currentVersion: { stemHtml: string } | null;
  };
  statistics: ItemStats;
};

/** An exam's item statistics, a row per question (all learners who sat it, every version together). */
export function presentExamItems(items: ExamItem[]) {
  return items.map(({ question, statistics: s }) => ({
    externalId: question.externalId,
    bank: question.bank.slug,
    topic: question.topic.path,
    stemHtml: question.currentVersion?.stemHtml ?? "",
    responses: s.responses,
    facility: pct(s.facility),
    discrimination: num(s.discrimination),
    upperLower: num(s.upperLower),
    flags: s.flags,
  }));
}
