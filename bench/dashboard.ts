// bench/dashboard: server time of the learner's dashboard (GET /progress) for a learner with
// 50,000 graded answers, against two baselines measured in the same run: the dashboard of a
// learner with no history, and GET /healthz (one `SELECT 1`). Target: p95 <= 10 ms.
//
//   npx tsx bench/dashboard.ts [--requests 2000] [--warmup 200] [--answers 50000] [--others 4]
//                              [--profile-requests 300] [--variants] [--json]
//
// Uses a scratch embedded PostgreSQL (deleted at the end) unless BENCH_DATABASE_URL names a
// server, where it creates and finally drops a database of its own (the role needs CREATEDB).
// Fixture, as a real deployment would hold it:
//   catalogue  the shipped banks (question-banks/, through importService as the first start
//              does) and exams.yaml (examsService.syncDefinitions)
//   heavy      a learner with `--answers` graded answers over a year: one diagnostic, then
//              mock exams (60 questions), module exams (15) and one-click drills (10, each a
//              custom exam of its own, as POST /progress/drills makes them); questions drawn by
//              the real selectQuestions, answers right with the chance a learning curve per
//              topic gives (chanceAt of the question's difficulty), graded by gradeResponse,
//              attempts scored by scoreAttempt; topic_mastery folded with the real
//              updateMastery and one readiness snapshot per graded attempt from the real
//              readiness() (what the grading hook stores); a review item per missed or flagged
//              question (as cardsFromGradedAttempt) plus deck cards, each with its reviews
//              replayed through the real FSRS scheduler (review_logs too), so some are due now;
//              and one open attempt. Rows go in with INSERT ... FROM jsonb_to_recordset, then
//              VACUUM ANALYZE (autovacuum's steady state).
//   empty      a second learner with no history
//   others     `--others` learners with 5,000 answers each, so the tables are not one user's
// Measurement: the real app (createApp(), NODE_ENV=production, LOG_LEVEL=silent, the default
// pool of 10) mounted inside an outer express app whose first middleware takes
// process.hrtime.bigint() (and process.cpuUsage()) when the request arrives and again on the
// response's 'finish': that span is the server time reported. It listens on 127.0.0.1:0 in
// this process; both learners sign in over HTTP. Requests are sequential (one at a time, one
// keep-alive connection), the three targets interleaved round by round (heavy, empty, healthz
// in rotating order) so that a change of machine load hits all three alike: `--warmup` rounds,
// then `--requests` measured. Then a shorter instrumented run of the heavy dashboard: every SQL
// statement timed through pg (offset from the request's start, duration), the render call;
// each SELECT replayed alone and under EXPLAIN ANALYZE; the service calls (dashboard,
// dueByTopic, presenter) timed without HTTP.
//   --variants  then adds an index for the dashboard's recent-attempts read to the scratch
//               database, times that read (and a one-statement JOIN form of it) again, and
//               measures half as many rounds again
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import { Client, type Pool } from "pg";
import { createApp } from "../src/app";
import { systemClock } from "../src/clock";
import { loadConfig, type Config } from "../src/config";
import { applyMigrations, connectDatabase, createPool, limiterFactory, migrationsDir, type Database } from "../src/db";
import {
  EXAMS_FILE,
  importService,
  matchPattern,
  listBankFiles,
  readSources,
  type QuestionType,
  type StoredBody,
  type StoredOption,
} from "../src/modules/banks";
import { accountsService, signInThrottle } from "../src/modules/accounts";
import { createRng, examsService, parseExamDefinitions, type Rng } from "../src/modules/exams";
import { loadPool } from "../src/modules/exams/attempts.repo";
import { publicBankIds } from "../src/modules/banks";
import { gradeResponse, scoreAttempt, type LearnerAnswer as Answer } from "../src/modules/exams/grading";
import { selectQuestions, type PoolQuestion } from "../src/modules/exams/selection";
import { progressService } from "../src/modules/progress";
import { chanceAt, initialMastery, updateMastery, type MasteryState } from "../src/modules/progress/mastery";
import { presentDashboard } from "../src/modules/progress/progress.presenter";
import { readiness, snapshotFields } from "../src/modules/progress/readiness";
import { reviewService } from "../src/modules/review";
import { grade, newState, type RatingValue, type SchedulingState } from "../src/modules/review/scheduler";
import { createSqlSandbox } from "../src/sql-sandbox";
import { createLogger } from "../src/web/logger";
import { createUser, PASSWORD } from "../tests/factories/users";
import { openScratchDatabase } from "./support/scratch-db";

// ---------------------------------------------------------------- helpers

const ROOT = path.resolve(__dirname, "..");
const TARGET_P95_MS = 10;
const DAY = 24 * 60 * 60 * 1000;
const CHUNK = 5_000;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith("--") ? next : "true";
}

function intFlag(name: string, fallback: number, min: number): number {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return value;
}

const log = (message: string) => console.error(`[bench] ${message}`);
const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => n.toLocaleString("en-GB", { maximumFractionDigits: 0 });
const rootOf = (topicPath: string) => topicPath.split("/")[0]!;
const elapsed = (since: number) => `${fmt((performance.now() - since) / 1000, 1)} s`;

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

type Summary = { n: number; mean: number; p50: number; p95: number; p99: number; max: number };
function summarise(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length),
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

// ---------------------------------------------------------------- database

const openDatabase = (scratch: string) => openScratchDatabase(scratch, "dash", log);

/**
 * INSERT ... SELECT FROM jsonb_to_recordset, one round trip per CHUNK rows. `columns` is
 * "name type, name type, ...", the columns' names as the table spells them.
 */
async function insertRows(pool: Pool, table: string, columns: string, rows: Record<string, unknown>[]): Promise<void> {
  const parsed = columns.split(",").map((c) => {
    const [name, ...type] = c.trim().split(/\s+/);
    return { name: `"${name}"`, type: type.join(" ") };
  });
  const names = parsed.map((c) => c.name).join(", ");
  const defs = parsed.map((c) => `${c.name} ${c.type}`).join(", ");
  const sql = `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${defs})`;
  for (let i = 0; i < rows.length; i += CHUNK) await pool.query(sql, [JSON.stringify(rows.slice(i, i + CHUNK))]);
}

// ---------------------------------------------------------------- catalogue

type ExamRow = {
  id: string;
  slug: string;
  kind: string;
  published: boolean;
  questionCount: number;
  timeLimitSeconds: number;
  passMarkPercent: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  partialCredit: boolean;
  blueprint: Record<string, number> | null;
  topicPaths: string[];
  createdAt: Date;
};
type Version = { questionId: string; type: QuestionType; body: StoredBody; difficulty: number };
type Catalogue = {
  pool: PoolQuestion[];
  versions: Map<string, Version>;
  diagnostic: ExamRow;
  mock: ExamRow;
  modules: ExamRow[];
  /** What readiness is measured against: the largest published mock exam (as progress.service). */
  readinessExam: ExamRow;
  roots: Map<string, string>;
  cards: { id: string; topicPath: string }[];
};

/** The shipped banks and exam definitions, loaded as the first start loads them. */
async function loadCatalogue(db: Database, config: Config): Promise<Catalogue> {
  const maxBytes = 20 * 1024 * 1024;
  const files = await listBankFiles([path.join(ROOT, "question-banks")]);
  // The SQL bank's runnable exercises are checked in the sandbox, as the first start does.
  const sandbox = createSqlSandbox(db, config);
  const report = await importService({
    prisma: db.prisma,
    clock: systemClock,
    maxBytes,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  })
    .importBanks({ sources: await readSources(files, maxBytes), actor: "operator" })
    .finally(() => sandbox.close());
  if (!report.ok) throw new Error(`the shipped banks did not load:\n${report.errors.join("\n")}`);
  const examsFile = path.join(ROOT, "question-banks", EXAMS_FILE);
  const definitions = parseExamDefinitions(await readFile(examsFile, "utf8"), examsFile);
  await examsService({ prisma: db.prisma }).syncDefinitions({ definitions });
  log(`loaded ${report.banks.length} banks: ${report.questions} questions, ${report.cards} cards`);

  // The simulated learner answers the types a mock exam's history is made of; the SQL bank's
  // runnable exercises (graded on a sandbox run) and practice-only types stay out of it.
  const answered = new Set(["single", "multiple", "truefalse", "short", "numeric", "ordering"]);
  const pool = (await loadPool(db.prisma, await publicBankIds(db.prisma))).filter((q) => answered.has(q.type));
  const versions = new Map<string, Version>();
  const rows = await db.pool.query<Version & { id: string }>(
    `SELECT v.id, v."questionId", v.type::text AS type, v.body, v.difficulty
       FROM question_versions v JOIN questions q ON q."currentVersionId" = v.id`,
  );
  for (const r of rows.rows)
    versions.set(r.id, { questionId: r.questionId, type: r.type, body: r.body, difficulty: r.difficulty });
  const exams: ExamRow[] = (await db.prisma.exam.findMany({ where: { kind: { in: ["mock", "module"] } } })).map(
    (e) => ({ ...e, blueprint: e.blueprint as Record<string, number> | null }),
  );
  const bySlug = (slug: string) => {
    const exam = exams.find((e) => e.slug === slug);
    if (!exam) throw new Error(`exams.yaml has no ${slug}`);
    return exam;
  };
  const readinessExam = exams
    .filter((e) => e.kind === "mock" && e.published && e.passMarkPercent !== null)
    .sort((a, b) => b.questionCount - a.questionCount || a.createdAt.getTime() - b.createdAt.getTime())[0]!;
  const topics = await db.prisma.topic.findMany({ where: { parentId: null }, select: { path: true, title: true } });
  const cards = await db.pool.query<{ id: string; topicPath: string }>(
    `SELECT c.id, t.path AS "topicPath" FROM cards c JOIN topics t ON t.id = c."topicId" WHERE c."retiredAt" IS NULL`,
  );
  return {
    pool,
    versions,
    diagnostic: bySlug("diagnostic"),
    mock: bySlug("backend-mock-exam"),
    modules: exams.filter((e) => e.kind === "module"),
    readinessExam,
    roots: new Map(topics.map((t) => [t.path, t.title])),
    cards: cards.rows,
  };
}

// ---------------------------------------------------------------- a learner's history

type Sitting = { kind: "diagnostic" | "mock" | "module" | "drill"; questions: number };

/** One diagnostic, then 48% of the answers in mock exams, 42% in modules, the rest in drills. */
function planFor(answers: number, c: Catalogue, rng: Rng): Sitting[] {
  const first = c.diagnostic.questionCount;
  const mocks = Math.floor((answers * 0.48) / c.mock.questionCount);
  const moduleSize = c.modules[0]!.questionCount;
  let modules = Math.floor((answers * 0.42) / moduleSize);
  if (modules % 2) modules -= 1; // keeps the rest a multiple of 10 for a round `answers`
  const rest = answers - first - mocks * c.mock.questionCount - modules * moduleSize;
  if (rest < 0) throw new Error(`--answers must be at least ${first + 100}`);
  const sittings: Sitting[] = [
    ...Array.from({ length: mocks }, () => ({ kind: "mock" as const, questions: c.mock.questionCount })),
    ...Array.from({ length: modules }, () => ({ kind: "module" as const, questions: moduleSize })),
    ...Array.from({ length: Math.floor(rest / 10) }, () => ({ kind: "drill" as const, questions: 10 })),
    ...(rest % 10 ? [{ kind: "drill" as const, questions: rest % 10 }] : []),
  ];
  for (let i = sittings.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [sittings[i], sittings[j]] = [sittings[j]!, sittings[i]!];
  }
  return [{ kind: "diagnostic", questions: first }, ...sittings];
}

/** A response that is right, or a plausible wrong one, for a question version. */
function respond(v: Version, shown: string[], right: boolean, rng: Rng): Answer {
  const body = v.body as Record<string, unknown>;
  switch (v.type) {
    case "single": {
      const options = body.options as StoredOption[];
      const wrong = options.filter((o) => !o.correct);
      const pick = right || !wrong.length ? options.find((o) => o.correct)! : wrong[Math.floor(rng() * wrong.length)]!;
      return { type: "single", optionId: pick.id };
    }
    case "multiple": {
      const options = body.options as StoredOption[];
      const correct = options.filter((o) => o.correct).map((o) => o.id);
      if (right) return { type: "multiple", optionIds: correct };
      const wrong = options.find((o) => !o.correct);
      return { type: "multiple", optionIds: wrong && rng() < 0.5 ? [...correct, wrong.id] : correct.slice(1) };
    }
    case "truefalse":
      return { type: "truefalse", value: right === (body.answer as boolean) };
    case "short":
      return { type: "short", text: right ? (body.accept as string[])[0]! : "not sure" };
    case "numeric": {
      const key = (body.answers as { value: number; tolerance: number }[])[0]!;
      return { type: "numeric", value: right ? key.value : key.value + key.tolerance + 1 + Math.floor(rng() * 9) };
    }
    default: {
      const items = (body.items as { id: string }[]).map((i) => i.id);
      return { type: "ordering", itemIds: right ? items : shown };
    }
  }
}

type Rows = {
  exams: Record<string, unknown>[];
  attempts: Record<string, unknown>[];
  items: Record<string, unknown>[];
  masteries: Record<string, unknown>[];
  snapshots: Record<string, unknown>[];
  reviewItems: Record<string, unknown>[];
  reviewLogs: Record<string, unknown>[];
};
const emptyRows = (): Rows => ({
  exams: [],
  attempts: [],
  items: [],
  masteries: [],
  snapshots: [],
  reviewItems: [],
  reviewLogs: [],
});

type ReviewSeed = {
  id: string;
  cardKey: string;
  cardId: string | null;
  questionId: string | null;
  topicPath: string;
  origin: string;
  createdAt: number;
};

/**
 * A year (or `days`) of practice by one learner, as the grading transaction would have left
 * it: attempts, graded items, mastery, readiness snapshots, review items and their logs.
 */
function history(c: Catalogue, userId: string, answers: number, days: number, seed: string, now: number): Rows {
  const rng = createRng(seed);
  const rows = emptyRows();
  const start = now - days * DAY;
  const plan = planFor(answers, c, rng);
  // A learning curve per topic: the chance of a right answer on a medium question rises from
  // `from` toward `to` with the answers given in the topic.
  const curves = new Map(
    [...c.roots.keys()].map((t) => [
      t,
      { from: 0.3 + 0.25 * rng(), to: 0.72 + 0.22 * rng(), scale: ((0.3 + rng()) * answers) / c.roots.size / 3 },
    ]),
  );
  const given = new Map<string, number>();
  const states = new Map<string, MasteryState>();
  const reviews = new Map<string, ReviewSeed>();
  const blueprint = c.readinessExam.blueprint ?? {};

  plan.forEach((sitting, n) => {
    const startedAt = start + ((n + 0.2 + 0.6 * rng()) * (days * DAY - 2 * 3600_000)) / plan.length;
    const attemptId = randomUUID();
    let exam: ExamRow;
    if (sitting.kind === "diagnostic") exam = c.diagnostic;
    else if (sitting.kind === "mock") exam = c.mock;
    else if (sitting.kind === "module") exam = c.modules[Math.floor(rng() * c.modules.length)]!;
    else {
      // "Practise your weakest topic": the lowest mastery mean so far.
      const weakest = [...c.roots.keys()].sort((a, b) => {
        const mean = (t: string) => {
          const s = states.get(t) ?? initialMastery();
          return s.alpha / (s.alpha + s.beta);
        };
        return mean(a) - mean(b);
      })[0]!;
      exam = {
        id: randomUUID(),
        slug: `custom-${randomUUID()}`,
        kind: "custom",
        published: false,
        questionCount: sitting.questions,
        timeLimitSeconds: 15 * 60,
        passMarkPercent: 70,
        shuffleQuestions: true,
        shuffleOptions: true,
        partialCredit: false,
        blueprint: null,
        topicPaths: [weakest],
        createdAt: new Date(startedAt),
      };
      rows.exams.push({
        id: exam.id,
        slug: exam.slug,
        title: `Custom quiz: ${c.roots.get(weakest)}`,
        kind: "custom",
        questionCount: exam.questionCount,
        timeLimitSeconds: exam.timeLimitSeconds,
        passMarkPercent: 70,
        topicPaths: exam.topicPaths,
        published: false,
        ownerId: userId,
        createdAt: exam.createdAt,
        updatedAt: exam.createdAt,
      });
    }
    const selected = selectQuestions({
      pool: c.pool,
      count: exam.questionCount,
      blueprint: exam.blueprint,
      topicPaths: exam.topicPaths,
      shuffleQuestions: exam.shuffleQuestions,
      shuffleOptions: exam.shuffleOptions,
      rng,
    });
    const perQuestion = 35_000 + 60_000 * rng();
    const used = Math.min(exam.timeLimitSeconds * 1000, selected.length * perQuestion);
    const submittedAt = startedAt + used;
    const graded = selected.map((s, i) => {
      const v = c.versions.get(s.versionId)!;
      const topic = rootOf(s.topicPath);
      const curve = curves.get(topic)!;
      const seen = given.get(topic) ?? 0;
      given.set(topic, seen + 1);
      const mastery = curve.to - (curve.to - curve.from) * Math.exp(-seen / curve.scale);
      const answered = rng() > 0.015;
      const response = answered ? respond(v, s.displayOrder, rng() < chanceAt(mastery, v.difficulty), rng) : null;
      const result = gradeResponse(v.type, v.body, response, { partialCredit: exam.partialCredit, matchPattern });
      const flagged = rng() < 0.03;
      rows.items.push({
        id: randomUUID(),
        attemptId,
        position: i + 1,
        questionVersionId: s.versionId,
        topicPath: s.topicPath,
        displayOrder: s.displayOrder,
        response,
        seq: answered ? 1 + (rng() < 0.2 ? 1 : 0) : flagged ? 1 : 0,
        flagged,
        answeredAt: answered ? new Date(startedAt + ((i + 1) * used) / selected.length - 1000) : null,
        correct: result.correct,
        score: result.score,
      });
      return { topic, topicPath: s.topicPath, v, result, flagged };
    });
    const score = scoreAttempt(
      graded.map((g) => ({ topicPath: g.topic, result: g.result })),
      exam.passMarkPercent,
    );
    rows.attempts.push({
      id: attemptId,
      examId: exam.id,
      userId,
      status: "submitted",
      startedAt: new Date(startedAt),
      deadlineAt: new Date(startedAt + exam.timeLimitSeconds * 1000),
      submittedAt: new Date(submittedAt),
      submittedBy: used >= exam.timeLimitSeconds * 1000 ? "deadline" : "learner",
      scorePercent: score.scorePercent,
      passed: score.passed,
      correctCount: score.correctCount,
      timeUsedSeconds: Math.round(used / 1000),
      topicBreakdown: score.byTopic,
    });
    // The grading hooks: mastery, the readiness snapshot, review cards.
    for (const g of graded) {
      states.set(
        g.topic,
        updateMastery(states.get(g.topic) ?? initialMastery(), {
          score: g.result.score,
          difficulty: g.v.difficulty,
          at: submittedAt,
        }),
      );
    }
    const result = readiness({
      blueprint,
      questionCount: c.readinessExam.questionCount,
      passMarkPercent: c.readinessExam.passMarkPercent ?? 70,
      topics: Object.fromEntries(states),
      rng: createRng(attemptId),
      now: submittedAt,
    });
    rows.snapshots.push({ userId, attemptId, at: new Date(submittedAt), ...snapshotFields(result) });
    for (const g of graded) {
      const key = `q:${g.v.questionId}`;
      if ((g.result.correct && !g.flagged) || reviews.has(key)) continue;
      reviews.set(key, {
        id: randomUUID(),
        cardKey: key,
        cardId: null,
        questionId: g.v.questionId,
        topicPath: g.topicPath,
        origin: g.result.correct ? "flagged" : "missed",
        createdAt: submittedAt,
      });
    }
  });

  for (const [topicPath, s] of states) {
    rows.masteries.push({
      id: randomUUID(),
      userId,
      topicPath,
      alpha: s.alpha,
      beta: s.beta,
      answers: s.answers,
      lastAt: new Date(s.lastAt),
      updatedAt: new Date(s.lastAt),
    });
  }

  // Deck cards introduced along the way (about a quarter of the shipped ones per year).
  const deck = [...c.cards].sort(() => rng() - 0.5).slice(0, Math.round((c.cards.length * days) / 365 / 4));
  for (const card of deck) {
    const key = `d:${card.id}`;
    reviews.set(key, {
      id: randomUUID(),
      cardKey: key,
      cardId: card.id,
      questionId: null,
      topicPath: card.topicPath,
      origin: "deck",
      createdAt: start + rng() * (now - start),
    });
  }
  // Reviews replayed with the real scheduler: each card is reviewed when due (or a little
  // later), until the learner stopped, up to two weeks ago: what is due now piled up since then.
  const ratings: RatingValue[] = [1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4];
  for (const r of reviews.values()) {
    let state: SchedulingState = newState(new Date(r.createdAt));
    const stopAt = now - rng() * 14 * DAY;
    let t = r.createdAt + (r.origin === "deck" ? 0 : rng() * DAY);
    for (let n = 0; t < stopAt && n < 40; n += 1) {
      const version = `${state.reps}-${state.lastReview?.getTime() ?? 0}`;
      const outcome = grade(state, new Date(t), ratings[Math.floor(rng() * ratings.length)]!, 0.9);
      rows.reviewLogs.push({ reviewItemId: r.id, userId, ...outcome.log, requestKey: `${r.id}:${version}` });
      state = outcome.next;
      t = Math.max(state.due.getTime(), t + 60_000) + (rng() < 0.3 ? rng() * 2 * DAY : 0);
    }
    rows.reviewItems.push({
      id: r.id,
      userId,
      cardKey: r.cardKey,
      cardId: r.cardId,
      questionId: r.questionId,
      topicPath: r.topicPath,
      origin: r.origin,
      ...state,
      createdAt: new Date(r.createdAt),
    });
  }
  return rows;
}

/** The mock exam started ten minutes ago, a fifth answered: not graded, not counted. */
function openAttempt(c: Catalogue, userId: string, now: number): Rows {
  const rows = emptyRows();
  const rng = createRng(`open:${userId}`);
  const id = randomUUID();
  const startedAt = now - 10 * 60_000;
  const selected = selectQuestions({ ...c.mock, pool: c.pool, count: c.mock.questionCount, rng });
  rows.attempts.push({
    id,
    examId: c.mock.id,
    userId,
    status: "open",
    openKey: `${c.mock.id}:${userId}`,
    startedAt: new Date(startedAt),
    deadlineAt: new Date(startedAt + c.mock.timeLimitSeconds * 1000),
  });
  selected.forEach((s, i) => {
    const answered = i < selected.length / 5;
    rows.items.push({
      id: randomUUID(),
      attemptId: id,
      position: i + 1,
      questionVersionId: s.versionId,
      topicPath: s.topicPath,
      displayOrder: s.displayOrder,
      response: answered ? respond(c.versions.get(s.versionId)!, s.displayOrder, rng() < 0.7, rng) : null,
      seq: answered ? 1 : 0,
      flagged: false,
      answeredAt: answered ? new Date(startedAt + (i + 1) * 30_000) : null,
      correct: null,
      score: null,
    });
  });
  return rows;
}

async function writeRows(pool: Pool, rows: Rows): Promise<void> {
  const ts = "timestamp(3)";
  const schedule = `due ${ts}, stability float8, difficulty float8, elapsedDays int, scheduledDays int, learningSteps int`;
  await insertRows(
    pool,
    "exams",
    `id uuid, slug text, title text, kind "ExamKind", questionCount int, timeLimitSeconds int, passMarkPercent int,
     topicPaths text[], published boolean, ownerId uuid, createdAt ${ts}, updatedAt ${ts}`,
    rows.exams,
  );
  await insertRows(
    pool,
    "attempts",
    `id uuid, examId uuid, userId uuid, status "AttemptStatus", openKey text, startedAt ${ts}, deadlineAt ${ts},
     submittedAt ${ts}, submittedBy text, scorePercent float8, passed boolean, correctCount int, timeUsedSeconds int,
     topicBreakdown jsonb`,
    rows.attempts,
  );
  await insertRows(
    pool,
    "attempt_items",
    `id uuid, attemptId uuid, position int, questionVersionId uuid, topicPath text, displayOrder text[],
     response jsonb, seq int, flagged boolean, answeredAt ${ts}, correct boolean, score float8`,
    rows.items,
  );
  await insertRows(
    pool,
    "topic_mastery",
    `id uuid, userId uuid, topicPath text, alpha float8, beta float8, answers int, lastAt ${ts}, updatedAt ${ts}`,
    rows.masteries,
  );
  await insertRows(
    pool,
    "readiness_snapshots",
    `userId uuid, attemptId uuid, at ${ts}, status text, predictedPercent float8, predictedLow float8,
     predictedHigh float8, pPass float8, pPassLow float8, pPassHigh float8, missingTopics text[]`,
    rows.snapshots,
  );
  await insertRows(
    pool,
    "review_items",
    `id uuid, userId uuid, cardKey text, cardId uuid, questionId uuid, topicPath text, origin text, ${schedule},
     reps int, lapses int, state int, lastReview ${ts}, createdAt ${ts}`,
    rows.reviewItems,
  );
  await insertRows(
    pool,
    "review_logs",
    `reviewItemId uuid, userId uuid, rating int, state int, ${schedule}, lastElapsedDays int, review ${ts},
     requestKey text`,
    rows.reviewLogs,
  );
}

// ---------------------------------------------------------------- HTTP

/** Signs in through the login form (GET /login for the CSRF token, POST /login): the cookie. */
async function signIn(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers
    .getSetCookie()
    .find((c) => c.startsWith("stackprep="))
    ?.split(";")[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!cookie || !token) throw new Error("no session cookie or CSRF token on /login");
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }).toString(),
  });
  await res.text();
  const signedIn = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("stackprep="))
    ?.split(";")[0];
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  return signedIn ?? cookie;
}

type Reply = { id: string; status: number; body: string; clientMs: number };

/** Sequential GETs over one keep-alive connection, each tagged with x-bench-id. */
function httpClient(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(base);
  let counter = 0;
  const get = (pathname: string, cookie?: string) =>
    new Promise<Reply>((resolve, reject) => {
      const id = String((counter += 1));
      const started = performance.now();
      const req = http.request(
        { agent, hostname, port, path: pathname, headers: { "x-bench-id": id, ...(cookie ? { cookie } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () =>
            resolve({
              id,
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              clientMs: performance.now() - started,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}

// ---------------------------------------------------------------- SQL timing (instrumented run)

type Statement = {
  key: string;
  text: string;
  values: unknown[] | undefined;
  request: number;
  start: number;
  end: number;
};

/** Times every query through pg's Client (Prisma's adapter and the session store both use it). */
function timeStatements(current: () => { id: number; t0: number } | undefined) {
  const records: Statement[] = [];
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
    const text = typeof first === "string" ? first : (first?.text ?? "(submittable)");
    const values = Array.isArray(args[1])
      ? (args[1] as unknown[])
      : typeof first === "object"
        ? first.values
        : undefined;
    const req = current();
    const start = performance.now();
    const record = () => {
      if (req) {
        records.push({
          key: text.replace(/\s+/g, " ").trim(),
          text,
          values,
          request: req.id,
          start: start - req.t0,
          end: performance.now() - req.t0,
        });
      }
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...results: unknown[]) => {
        record();
        (callback as (...r: unknown[]) => void)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function")
      return (result as Promise<unknown>).finally(record);
    return result;
  };
  return { records, restore: () => (proto.query = original) };
}

/** A short name for a statement: verb, table, the start of its WHERE. */
function label(sql: string): string {
  const s = sql.replace(/"public"\./g, "").replace(/\s+/g, " ");
  const verb = /^\s*(\w+)/.exec(s)?.[1]?.toUpperCase() ?? "?";
  const from = /\b(?:FROM|UPDATE|INTO)\s+("?\w+"?)/i.exec(s)?.[1]?.replace(/"/g, "") ?? "";
  const where = /\bWHERE\s+(.*?)(?:\s+(?:ORDER BY|GROUP BY|LIMIT|OFFSET)\b|$)/i.exec(s)?.[1] ?? "";
  const tail = /\b(ORDER BY .*?)(?:\s+(?:LIMIT|OFFSET)\b|$)/i.exec(s)?.[1] ?? "";
  const limit = /\bLIMIT\s+(\S+)/i.exec(s)?.[1];
  const short = (x: string, n: number) => (x.length > n ? `${x.slice(0, n - 1)}…` : x);
  return [verb, from, where && `WHERE ${short(where.replace(/"?\w+"?\./g, ""), 70)}`, tail && short(tail, 40)]
    .filter(Boolean)
    .join(" ")
    .concat(limit ? ` LIMIT ${limit}` : "")
    .replace(/"/g, "")
    .replace(/\|/g, "\\|");
}

// ---------------------------------------------------------------- main

type Target = { name: string; path: string; cookie?: string; expect: string };
type Mark = { id: number; t0: number; render?: number; rendered?: number; finish?: number };
type Measured = {
  what: string;
  rounds: number;
  warm: number;
  load: [number[], number[]];
  results: { name: string; server: Summary; cpu: Summary; client: Summary }[];
};
type StatementSummary = {
  key: string;
  label: string;
  perRequest: number;
  start: number;
  duration: number;
  end: number;
  replayed: { ms: number; execution: number; planning: number; plan: string } | undefined;
};

async function main(): Promise<number> {
  const requests = intFlag("requests", 2000, 1);
  const warmup = intFlag("warmup", 200, 0);
  const answers = intFlag("answers", 50_000, 1_000);
  const others = intFlag("others", 4, 0);
  const profileRequests = intFlag("profile-requests", 300, 0);
  const limitSeconds = 600 + Math.ceil(((requests + warmup) * 3 * 40) / 1000);
  const hardStop = setTimeout(() => {
    log(`still running ${limitSeconds} s after the start: exiting`);
    process.exit(2);
  }, limitSeconds * 1000);
  hardStop.unref();

  const scratch = await mkdtemp(path.join(os.tmpdir(), "stackprep-bench-dashboard-"));
  await chmod(scratch, 0o755);
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let db: Database | undefined;
  let web: ReturnType<typeof createApp> | undefined;
  let server: http.Server | undefined;
  try {
    const began = performance.now();
    database = await openDatabase(scratch);
    const migrate = createPool(database.url, 2);
    await applyMigrations(migrate, migrationsDir(ROOT));
    const version = (await migrate.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    await migrate.end();
    db = connectDatabase(database.url); // the app's own default pool (10)
    // One configuration for the catalogue's SQL sandbox and the app.
    const config = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      LOG_LEVEL: "silent",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      BASE_URL: "http://127.0.0.1",
    });
    const catalogue = await loadCatalogue(db, config);

    // ---- the learners
    const seeding = performance.now();
    const now = Date.now();
    const heavy = await createUser(db.prisma, { displayName: "Heavy Learner" });
    const empty = await createUser(db.prisma, { displayName: "New Learner" });
    const heavyRows = history(catalogue, heavy.id, answers, 365, `heavy:${heavy.id}`, now);
    const open = openAttempt(catalogue, heavy.id, now);
    heavyRows.attempts.push(...open.attempts);
    heavyRows.items.push(...open.items);
    log(`generated the heavy learner's history in ${elapsed(seeding)}`);
    await writeRows(db.pool, heavyRows);
    for (let i = 0; i < others; i += 1) {
      const other = await createUser(db.prisma);
      await writeRows(db.pool, history(catalogue, other.id, 5_000, 120, `other:${other.id}`, now));
    }
    for (const table of [
      "exams",
      "attempts",
      "attempt_items",
      "topic_mastery",
      "readiness_snapshots",
      "review_items",
      "review_logs",
    ])
      await db.pool.query(`VACUUM ANALYZE ${table}`);
    const graded = heavyRows.items.filter((i) => i.score !== null).length;
    const dueNow = heavyRows.reviewItems.filter((r) => (r.due as Date).getTime() <= now).length;
    const ready = heavyRows.snapshots.filter((s) => s.status === "ready").length;
    const counts = (
      await db.pool.query<{ t: string; n: string }>(
        `SELECT 'attempts' t, count(*) n FROM attempts UNION ALL SELECT 'attempt_items', count(*) FROM attempt_items
         UNION ALL SELECT 'exams', count(*) FROM exams UNION ALL SELECT 'readiness_snapshots', count(*) FROM readiness_snapshots
         UNION ALL SELECT 'review_items', count(*) FROM review_items UNION ALL SELECT 'review_logs', count(*) FROM review_logs`,
      )
    ).rows
      .map((r) => `${r.t} ${int(Number(r.n))}`)
      .join(", ");
    const fixture =
      `heavy learner: ${int(graded)} graded answers in ${int(heavyRows.attempts.length - 1)} submitted attempts ` +
      `(+1 open), ${int(heavyRows.exams.length)} drills, ${heavyRows.masteries.length} topic_mastery rows, ` +
      `${int(heavyRows.snapshots.length)} readiness snapshots (${int(ready)} ready), ` +
      `${int(heavyRows.reviewItems.length)} review items (${int(dueNow)} due now), ${int(heavyRows.reviewLogs.length)} review logs; ` +
      `empty learner: none; ${others} other learners with 5,000 answers each`;
    const setUp = elapsed(began);
    log(`seeded in ${elapsed(seeding)}: ${fixture}`);
    log(`all tables: ${counts}`);

    // ---- the app, mounted in an outer app that times each request
    web = createApp({ config, db, logger: createLogger(config), clock: systemClock });
    const timed = new Map<string, { ms: number; cpuMs: number }>();
    let instrument: Mark[] | undefined;
    let current: Mark | undefined;
    const outer = express();
    outer.disable("x-powered-by");
    outer.use((req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const id = req.headers["x-bench-id"];
      res.once("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const used = process.cpuUsage(cpu);
        if (typeof id === "string") timed.set(id, { ms, cpuMs: (used.user + used.system) / 1000 });
        if (current) current.finish = ms;
      });
      if (instrument) {
        const mark: Mark = { id: instrument.length, t0: performance.now() };
        instrument.push(mark);
        current = mark;
        const target = res as unknown as { render: (...args: unknown[]) => void };
        const render = target.render;
        target.render = (...args: unknown[]) => {
          mark.render = performance.now() - mark.t0;
          render.apply(res, args);
          mark.rendered = performance.now() - mark.t0;
        };
      }
      next();
    });
    outer.use(web.app);
    server = outer.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const targets: Target[] = [
      { name: "GET /progress, heavy learner", path: "/progress", expect: "Chance of passing now:" },
      { name: "GET /progress, empty learner", path: "/progress", expect: "Start the diagnostic" },
      { name: "GET /healthz", path: "/healthz", expect: '"status":"ok"' },
    ];
    targets[0]!.cookie = await signIn(base, heavy.email);
    targets[1]!.cookie = await signIn(base, empty.email);
    const client = httpClient(base);
    for (const t of targets) {
      const r = await client.get(t.path, t.cookie);
      if (r.status !== 200 || !r.body.includes(t.expect))
        throw new Error(`${t.name} answered ${r.status} without "${t.expect}": ${r.body.slice(0, 300)}`);
      log(`${t.name}: 200, ${int(r.body.length)} bytes`);
    }
    log(
      `PostgreSQL ${version}, Node ${process.version}, ${os.cpus().length} cores; ` +
        `${warmup} warm-up + ${requests} measured rounds of ${targets.length} sequential requests`,
    );

    let bad = 0;
    /** Rounds of one request per target, in rotating order; the figures of the rounds after the warm-up. */
    const measure = async (what: string, rounds: number, warm: number): Promise<Measured> => {
      const wall: number[][] = targets.map(() => []);
      const cpu: number[][] = targets.map(() => []);
      const seen: number[][] = targets.map(() => []);
      const loadBefore = os.loadavg();
      const t0 = performance.now();
      for (let round = 0; round < warm + rounds; round += 1) {
        for (let k = 0; k < targets.length; k += 1) {
          const index = (round + k) % targets.length;
          const t = targets[index]!;
          const r = await client.get(t.path, t.cookie);
          const m = timed.get(r.id);
          timed.delete(r.id);
          if (r.status !== 200 || !m) bad += 1;
          else if (round >= warm) {
            wall[index]!.push(m.ms);
            cpu[index]!.push(m.cpuMs);
            seen[index]!.push(r.clientMs);
          }
        }
      }
      log(`${what}: ${rounds} rounds in ${elapsed(t0)}; non-200 answers so far: ${bad}`);
      return {
        what,
        rounds,
        warm,
        load: [loadBefore, os.loadavg()],
        results: targets.map((t, i) => ({
          name: t.name,
          server: summarise(wall[i]!),
          cpu: summarise(cpu[i]!),
          client: summarise(seen[i]!),
        })),
      };
    };
    const run = await measure("measured run", requests, warmup);

    // ---- the instrumented run: SQL statements and render of the heavy dashboard
    const timing = timeStatements(() => current);
    instrument = [];
    for (let i = 0; i < profileRequests; i += 1) {
      const r = await client.get(targets[0]!.path, targets[0]!.cookie);
      if (r.status !== 200) bad += 1;
    }
    const marks = instrument;
    instrument = undefined;
    current = undefined;
    timing.restore();

    // ---- the service calls without HTTP
    const progress = progressService({ prisma: db.prisma, clock: systemClock });
    const review = reviewService({
      prisma: db.prisma,
      clock: systemClock,
      preferences: accountsService({
        prisma: db.prisma,
        clock: systemClock,
        throttle: signInThrottle(limiterFactory(db.pool, { sweep: false })),
      }),
    });
    const timeIt = async <T>(n: number, fn: () => Promise<T> | T) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const t0 = performance.now();
        await fn();
        ms.push(performance.now() - t0);
      }
      return summarise(ms.slice(Math.floor(n / 10)));
    };
    const n = Math.max(50, profileRequests);
    const dashboardData = await progress.dashboard({ userId: heavy.id });
    const dueData = await review.dueByTopic({ userId: heavy.id });
    const services = [
      {
        name: "progress.dashboard() + review.dueByTopic() together (as the route)",
        s: await timeIt(n, () =>
          Promise.all([progress.dashboard({ userId: heavy.id }), review.dueByTopic({ userId: heavy.id })]),
        ),
      },
      { name: "progress.dashboard() alone", s: await timeIt(n, () => progress.dashboard({ userId: heavy.id })) },
      { name: "review.dueByTopic() alone", s: await timeIt(n, () => review.dueByTopic({ userId: heavy.id })) },
      { name: "presentDashboard() (CPU only)", s: await timeIt(n, () => presentDashboard(dashboardData, dueData)) },
    ];

    // ---- each SELECT alone (one connection, nothing else running), and under EXPLAIN ANALYZE
    const replay = createPool(database.url, 1);
    const alone = async (text: string, values: unknown[] | undefined) => {
      const ms: number[] = [];
      for (let i = 0; i < 120; i += 1) {
        const t0 = performance.now();
        await replay.query(text, values);
        ms.push(performance.now() - t0);
      }
      const explained = await replay.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
      const plan = explained.rows.map((row) => row["QUERY PLAN"]).join("\n");
      const time = (name: string) => Number(new RegExp(`${name} Time: ([\\d.]+) ms`).exec(plan)?.[1]);
      return { ms: median(ms.slice(20)), execution: time("Execution"), planning: time("Planning"), plan };
    };
    const byKey = new Map<string, Statement[]>();
    for (const r of timing.records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    const requestsSeen = new Set(timing.records.map((r) => r.request)).size || 1;
    const statements: StatementSummary[] = [];
    for (const [key, list] of byKey) {
      const first = list[0]!;
      let replayed: Awaited<ReturnType<typeof alone>> | undefined;
      if (/^\s*(SELECT|WITH)\b/i.test(first.text)) {
        try {
          replayed = await alone(first.text, first.values);
        } catch (error) {
          log(`replaying ${label(key)}: ${(error as Error).message}`);
        }
      }
      statements.push({
        key,
        label: label(key),
        perRequest: list.length / requestsSeen,
        start: median(list.map((r) => r.start)),
        duration: median(list.map((r) => r.end - r.start)),
        end: median(list.map((r) => r.end)),
        replayed,
      });
    }
    statements.sort((a, b) => a.start - b.start);
    const instrumentedTotal = summarise(marks.map((m) => m.finish ?? NaN).filter(Number.isFinite));
    const renderAt = median(marks.map((m) => m.render ?? NaN).filter(Number.isFinite));
    const renderedAt = median(marks.map((m) => m.rendered ?? NaN).filter(Number.isFinite));

    // ---- --variants: the recent-attempts read with an index that serves it, and as one statement
    let variant: { measured: Measured; reads: { name: string; r: Awaited<ReturnType<typeof alone>> }[] } | undefined;
    if (flag("variants")) {
      const attemptsRead = statements.find((s) => /^SELECT .*FROM "public"\."attempts" WHERE/.test(s.key));
      const joined = `SELECT a.id, a."submittedAt", a."scorePercent", a.passed, e.title, e."passMarkPercent"
        FROM attempts a JOIN exams e ON e.id = a."examId"
        WHERE a."userId" = $1::uuid AND a.status = 'submitted' ORDER BY a."submittedAt" DESC LIMIT 10`;
      const reads: { name: string; r: Awaited<ReturnType<typeof alone>> }[] = [];
      reads.push({ name: "one statement with the JOIN, no new index", r: await alone(joined, [heavy.id]) });
      await db.pool.query(`CREATE INDEX bench_attempts_recent ON attempts ("userId", status, "submittedAt" DESC)`);
      await db.pool.query("ANALYZE attempts");
      const first = attemptsRead && byKey.get(attemptsRead.key)?.[0];
      if (first)
        reads.push({ name: "Prisma's attempts read, with the index", r: await alone(first.text, first.values) });
      reads.push({ name: "one statement with the JOIN, with the index", r: await alone(joined, [heavy.id]) });
      variant = {
        reads,
        measured: await measure("with the index", Math.max(1, Math.round(requests / 2)), Math.round(warmup / 2)),
      };
    }
    await replay.end();
    client.close();

    // ---- report
    const date = new Date().toISOString().slice(0, 10);
    const heavyResult = run.results[0]!;
    const met = heavyResult.server.p95 <= TARGET_P95_MS;
    const loadText = (m: Measured) =>
      `load average ${m.load[0].map((l) => fmt(l, 1)).join(" ")} before, ${m.load[1].map((l) => fmt(l, 1)).join(" ")} after`;
    console.log(
      `\nbench/dashboard ${date}: Node ${process.version}, PostgreSQL ${version}` +
        `${process.env.BENCH_DATABASE_URL ? "" : " (embedded)"}, ${os.cpus().length} cores, ` +
        `${fmt(os.totalmem() / 2 ** 30, 0)} GiB`,
    );
    console.log(`${fixture}\n(all tables: ${counts}; database, catalogue and learners set up in ${setUp})`);
    const table = (m: Measured) => {
      console.log(
        `\n${m.what}: ${m.rounds} rounds after ${m.warm} warm-up rounds, each round one sequential request per row ` +
          `in rotating order; ${loadText(m)}. Server time: outer middleware, request in -> 'finish'; ` +
          `server CPU: process.cpuUsage() over the same span.\n`,
      );
      console.log(
        "| request | p50 ms | p95 ms | p99 ms | max ms | mean ms | CPU p50 ms | CPU p95 ms | client p50 ms |",
      );
      console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const r of m.results) {
        console.log(
          `| ${r.name} | ${fmt(r.server.p50, 2)} | ${fmt(r.server.p95, 2)} | ${fmt(r.server.p99, 2)} | ` +
            `${fmt(r.server.max, 1)} | ${fmt(r.server.mean, 2)} | ${fmt(r.cpu.p50, 2)} | ${fmt(r.cpu.p95, 2)} | ` +
            `${fmt(r.client.p50, 2)} |`,
        );
      }
      const [h, e, z] = m.results;
      console.log(
        `\nheavy - empty dashboard: p50 ${fmt(h!.server.p50 - e!.server.p50, 2)} ms, p95 ${fmt(h!.server.p95 - e!.server.p95, 2)} ms; ` +
          `heavy / empty at p95: ${fmt(h!.server.p95 / e!.server.p95, 2)}; healthz p95 ${fmt(z!.server.p95, 2)} ms`,
      );
    };
    table(run);
    console.log(
      `target: heavy learner's dashboard p95 <= ${TARGET_P95_MS} ms: ${met ? "met" : "MISSED"} (${fmt(heavyResult.server.p95, 2)} ms)`,
    );

    if (marks.length) {
      console.log(
        `\nInstrumented run (${marks.length} heavy dashboards, every pg query timed, so a little slower): ` +
          `server time p50 ${fmt(instrumentedTotal.p50, 2)} ms, p95 ${fmt(instrumentedTotal.p95, 2)} ms; ` +
          `res.render() called at ${fmt(renderAt, 2)} ms (median), returned at ${fmt(renderedAt, 2)} ms. ` +
          `"alone": the same statement replayed 120 times on one idle connection (median, round trip included).\n`,
      );
      console.log(
        "| statement (medians) | per req | starts at ms | takes ms | ends at ms | alone ms | EXPLAIN ANALYZE exec ms |",
      );
      console.log("|---|---:|---:|---:|---:|---:|---:|");
      for (const s of statements) {
        console.log(
          `| \`${s.label}\` | ${fmt(s.perRequest, 2)} | ${fmt(s.start, 2)} | ${fmt(s.duration, 2)} | ${fmt(s.end, 2)} | ` +
            `${s.replayed ? fmt(s.replayed.ms, 2) : ""} | ${s.replayed ? fmt(s.replayed.execution, 3) : ""} |`,
        );
      }
      console.log("\nService calls of the dashboard, without HTTP, session or render:\n");
      console.log("| call | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|");
      for (const c of services)
        console.log(`| ${c.name} | ${fmt(c.s.p50, 2)} | ${fmt(c.s.p95, 2)} | ${fmt(c.s.p99, 2)} |`);
      const slowest = statements
        .filter((s) => s.replayed)
        .sort((a, b) => b.replayed!.ms - a.replayed!.ms)
        .slice(0, 2);
      for (const s of slowest) console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of \`${s.label}\`:\n${s.replayed!.plan}`);
    }
    if (variant) {
      console.log(
        `\n--variants: CREATE INDEX ON attempts ("userId", status, "submittedAt" DESC), in this scratch database\n`,
      );
      console.log("| recent attempts read | alone ms | EXPLAIN ANALYZE exec ms |\n|---|---:|---:|");
      const before = statements.find((s) => /^SELECT .*FROM "public"\."attempts" WHERE/.test(s.key));
      if (before?.replayed)
        console.log(
          `| Prisma's attempts read, as shipped | ${fmt(before.replayed.ms, 2)} | ${fmt(before.replayed.execution, 3)} |`,
        );
      for (const v of variant.reads) console.log(`| ${v.name} | ${fmt(v.r.ms, 2)} | ${fmt(v.r.execution, 3)} |`);
      const indexed = variant.reads.find((v) => v.name.startsWith("Prisma's"));
      if (indexed)
        console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of Prisma's attempts read, with the index:\n${indexed.r.plan}`);
      table(variant.measured);
    }
    if (flag("json"))
      console.log(JSON.stringify({ date, version, node: process.version, run, services, statements, variant }));
    if (bad) {
      log(`${bad} requests did not answer 200: the figures are not valid`);
      return 1;
    }
    return 0;
  } finally {
    if (server) {
      server.closeAllConnections();
      server.close();
    }
    await web?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await database?.close().catch((error: Error) => log(`stopping the database: ${error.message}`));
    await rm(scratch, { recursive: true, force: true });
    clearTimeout(hardStop);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[bench] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
