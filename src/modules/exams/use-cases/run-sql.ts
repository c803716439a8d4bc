// Use case: run a learner's SQL statement for an open attempt's own SQL exercise, and show the
// first rows (the result grid). Nothing of the key is used or returned.
import { admitOrThrow, type LimitPolicy } from "../../../db";
import { Conflict, Invalid, NotFound, TooManyRequests } from "../../../errors";
import { GRID_ROWS, SandboxBusy, SandboxUnavailable, trimStatement, type RunOutcome } from "../../sandbox";
import { claimSqlRun, keepLastRun, sqlRunItem, type LastRun } from "../attempts.repo";
import { authorizeAttempt } from "../exams.policy";
import { isOverdue } from "../timer";
import type { AttemptsDeps } from "./deps";

/** A Run's record kept for grading (lastRun) at most this large, as JSON. */
export const LAST_RUN_MAX_BYTES = 64 * 1024;

/** Runs per learner and minute, across attempts (each run holds a sandbox connection up to 2 s). */
export const SQL_RUN_POLICY: LimitPolicy = { name: "sql-run-user", points: 30, windowSeconds: 60 };

export type RunSqlOptions = { attemptId: string; userId: string; position: number; query: string };

export type SqlRunView =
  | {
      ok: true;
      columns: { name: string; type: string }[];
      rows: (string | null)[][];
      rowCount: number;
      truncated: boolean;
      ms: number;
      runsLeft: number | null;
      note?: string;
    }
  | { ok: false; error: string; line?: number; column?: number; ms: number; runsLeft: number | null };

export async function runSql(deps: AttemptsDeps, input: RunSqlOptions): Promise<SqlRunView> {
  if (!deps.sandbox) throw new Conflict("SQL exercises cannot be run on this server.", "sandbox_unavailable");
  if (deps.sqlRunLimit)
    await admitOrThrow(
      deps.sqlRunLimit,
      input.userId,
      (s) => `You have run many queries in a short time. Try again in ${s} second(s).`,
    );
  // One statement checks everything and counts the run; only a refusal reads more, to say why.
  const claimed = await claimSqlRun(deps.prisma, { ...input, now: deps.clock.now() });
  if (!claimed) await refuseRun(deps, input);
  const { schema, kind, check, runs, limit } = claimed!;
  const runsLeft = limit === null ? null : Math.max(0, limit - runs);
  let outcome: RunOutcome;
  try {
    // With the exercise's check, as grading runs it: the record is kept (never shown) so that
    // a submission of the same statement is graded on it without running it again.
    outcome = await deps.sandbox.run({ schema, kind, statement: input.query, ...(check !== null ? { check } : {}) });
  } catch (error) {
    if (error instanceof SandboxBusy) throw new TooManyRequests(error.message, 2);
    if (error instanceof SandboxUnavailable)
      throw new Conflict(`${error.message.split(":")[0]}; try again later.`, "sandbox_unavailable");
    throw error;
  }
  // Only a success is kept: a failure may be the moment's (a timeout on a busy server), and
  // one that is not costs grading little to find again. A large result is not kept either:
  // every Run would write it (up to the sandbox's 1 MB), where grading runs it once.
  if (outcome.ok) {
    const json = JSON.stringify({ query: trimStatement(input.query), record: outcome } satisfies LastRun);
    if (Buffer.byteLength(json) <= LAST_RUN_MAX_BYTES)
      await keepLastRun(deps.prisma, { attemptId: input.attemptId, position: input.position, json });
  }
  if (!outcome.ok)
    return {
      ok: false,
      error: outcome.error,
      ...(outcome.line !== undefined ? { line: outcome.line, column: outcome.column } : {}),
      ms: outcome.ms,
      runsLeft,
    };
  const result = outcome.result ?? { columns: [], rows: [] };
  return {
    ok: true,
    columns: result.columns,
    rows: result.rows.slice(0, GRID_ROWS),
    rowCount: result.rows.length,
    truncated: result.rows.length > GRID_ROWS,
    ms: outcome.ms,
    runsLeft,
    ...(outcome.result === null ? { note: "The statement ran (and was rolled back); it returned no rows." } : {}),
  };
}

/** Why a run was not counted: always throws. */
async function refuseRun(deps: AttemptsDeps, input: RunSqlOptions): Promise<never> {
  const item = await sqlRunItem(deps.prisma, input.attemptId, input.position);
  if (!item) throw new NotFound("There is no such question in this attempt.");
  authorizeAttempt({ id: input.userId }, item.attempt);
  if (item.attempt.status !== "open" || isOverdue(item.attempt.deadlineAt, deps.clock.now()))
    throw new Conflict("This attempt is closed; queries can no longer be run.", "attempt_submitted");
  const body = item.questionVersion.body;
  if (item.questionVersion.type !== "sql" || !("exercise" in body))
    throw new Invalid("This question is not an SQL exercise.");
  const limit = body.exercise.runs;
  if (limit !== undefined && item.sqlRuns >= limit)
    throw new Conflict(`You have used all ${limit} runs of this question; submit your answer.`, "runs_used");
  throw new Conflict("This attempt is closed; queries can no longer be run.", "attempt_submitted");
}
