// Use case: grade and close an open attempt (by the learner, or at the deadline by the sweep).
import { retryingTransaction } from "../../../db";
import { NotFound } from "../../../errors";
import { matchPattern, type StoredBody } from "../../banks";
import { trimStatement, type SqlRecord } from "../../sandbox";
import { lockAttempt, lockItemsForGrading, submissionState, writeItemGrades, type LastRun } from "../attempts.repo";
import { scoredItems } from "../essay";
import { gradeResponse, scoreAttempt, type LearnerAnswer } from "../grading";
import type { AttemptsDeps, GradedAttempt } from "./deps";

export type SubmitAttemptOptions = {
  attemptId: string;
  /** The learner submitting; absent when the deadline submits it. */
  userId?: string;
  by: "learner" | "deadline";
};

/**
 * Grades and closes an open attempt; a submitted one is left as it is (idempotent), so the
 * transaction may be retried whole after a deadlock or a wait for a connection.
 */
export async function submitAttempt(deps: AttemptsDeps, input: SubmitAttemptOptions): Promise<void> {
  const { prisma, clock } = deps;
  // Repeated posts (a double click, 50 at once) mostly arrive after the first has graded:
  // answer them from one read, without queueing for a transaction and the row lock. The
  // same read gives the SQL statements to run before the transaction (each may take up to
  // the sandbox's timeout), with the sitting's Runs that spare running them; one changed
  // since by a save in flight runs again inside it.
  const current = await submissionState(prisma, input.attemptId);
  if (!current || (input.userId && current.userId !== input.userId)) throw new NotFound("There is no such attempt.");
  if (current.status === "submitted") return;
  const ran = await preRun(deps, input.attemptId, current.sqlItems);
  await retryingTransaction(prisma, async (tx) => {
    const locked = await lockAttempt(tx, input.attemptId);
    if (!locked || (input.userId && locked.userId !== input.userId)) throw new NotFound("There is no such attempt.");
    if (locked.status === "submitted") return;
    // Saves lock only the item they write: wait for those in flight, and make later ones
    // wait for this grading (which sets every score, so they are refused).
    const attempt = { ...locked, items: await lockItemsForGrading(tx, input.attemptId) };
    const now = clock.now();
    const records = await runSqlItems(deps, attempt.items, ran);
    // Essays are never scored: no mark, no part of the percentage, nothing to mastery or
    // review from here (their self-assessment goes to review as it is given).
    const graded = scoredItems(attempt.items).map((item) => ({
      item,
      result: gradeResponse(item.version.type, item.version.body, item.response, {
        partialCredit: attempt.partialCredit,
        matchPattern: deps.matchPattern ?? matchPattern,
        sql: records.get(item.id)?.record ?? null,
      }),
    }));
    await writeItemGrades(
      tx,
      graded.map(({ item, result }) => {
        const sql = records.get(item.id)?.record;
        return { itemId: item.id, correct: result.correct, score: result.score, ...(sql ? { sqlResult: sql } : {}) };
      }),
    );
    const score = scoreAttempt(
      graded.map(({ item, result }) => ({ topicPath: item.topicPath.split("/")[0]!, result })),
      attempt.passMarkPercent,
    );
    const gradedAttempt: GradedAttempt = {
      attemptId: attempt.id,
      userId: attempt.userId,
      at: now,
      mode: attempt.mode,
      items: graded.map(({ item, result }) => ({
        questionId: item.version.questionId,
        topicPath: item.topicPath,
        difficulty: item.version.difficulty,
        score: result.score,
        correct: result.correct,
        flagged: item.flagged,
        answered: item.response !== null,
      })),
    };
    for (const hook of deps.onGraded ?? []) await hook(tx, gradedAttempt);
    const end = input.by === "deadline" ? new Date(Math.min(now.getTime(), attempt.deadlineAt.getTime())) : now;
    await tx.attempt.update({
      select: { id: true },
      where: { id: attempt.id },
      data: {
        status: "submitted",
        openKey: null,
        submittedAt: now,
        submittedBy: input.by,
        scorePercent: score.scorePercent,
        passed: score.passed,
        correctCount: score.correctCount,
        timeUsedSeconds: Math.max(0, Math.round((end.getTime() - attempt.startedAt.getTime()) / 1000)),
        topicBreakdown: score.byTopic,
      },
    });
  });
}

type Ran = Map<string, { query: string; record: SqlRecord }>;

/**
 * Runs each answered SQL exercise's statement (those in `known`, or run by the learner in the
 * sitting, with the same text are not run again). A statement that cannot be run at all (no
 * sandbox, sandbox down) is recorded as an error, so the attempt is graded all the same.
 */
async function runSqlItems(
  deps: AttemptsDeps,
  items: {
    id: string;
    response: LearnerAnswer | null;
    checked?: SqlRecord | null;
    lastRun?: LastRun | null;
    version: { type: string; body: StoredBody };
  }[],
  known: Ran,
): Promise<Ran> {
  const out: Ran = new Map();
  for (const item of items) {
    const r = item.response;
    const body = item.version.body;
    if (item.version.type !== "sql" || r?.type !== "sql" || !("exercise" in body)) continue;
    // Checked in practice: graded on the run the learner was shown (the answer is locked).
    if (item.checked) {
      out.set(item.id, { query: r.query, record: item.checked });
      continue;
    }
    const before = known.get(item.id);
    if (before && before.query === r.query) {
      out.set(item.id, before);
      continue;
    }
    // Run (the Run button) in the sitting and saved unchanged: the exercise's data is the same
    // for every run, so that run's record is what running it again gives (a statement whose
    // result changes by itself, with random() or the clock, is graded on the rows it showed).
    if (item.lastRun && item.lastRun.query === trimStatement(r.query)) {
      out.set(item.id, { query: r.query, record: item.lastRun.record });
      continue;
    }
    let record: SqlRecord;
    try {
      record = await runStatement(deps, body, r.query);
    } catch (error) {
      record = { ok: false, error: `the statement could not be run: ${(error as Error).message}` };
    }
    out.set(item.id, { query: r.query, record });
  }
  return out;
}

/** A learner's statement for an SQL exercise, with its check, as grading records it. */
export async function runStatement(
  deps: AttemptsDeps,
  body: Extract<StoredBody, { exercise: unknown }>,
  query: string,
): Promise<SqlRecord> {
  if (!deps.sandbox) return { ok: false, error: "SQL exercises cannot be run on this server" };
  return deps.sandbox.run({
    schema: body.schema,
    kind: body.exercise.kind,
    statement: query,
    ...(body.exercise.check !== undefined ? { check: body.exercise.check } : {}),
  });
}

// Concurrent submissions of one attempt (a double click, 50 at once) share one pre-run: one
// read of the items and one run of each statement, not one per request.
const preRuns = new Map<string, Promise<Ran>>();
type SqlItems = NonNullable<Awaited<ReturnType<typeof submissionState>>>["sqlItems"];

function preRun(deps: AttemptsDeps, attemptId: string, items: SqlItems): Promise<Ran> {
  if (items.length === 0) return Promise.resolve(new Map() as Ran);
  let running = preRuns.get(attemptId);
  if (!running) {
    running = runSqlItems(deps, items, new Map()).finally(() => preRuns.delete(attemptId));
    preRuns.set(attemptId, running);
  }
  return running;
}
