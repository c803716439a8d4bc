// The SQL sandbox's use cases: prepare an exercise at import (schema, setup, the reference's
// results) and run a learner's statement under every limit. docs/security.md describes it.
import { createHash, createHmac } from "node:crypto";
import type { Pool } from "pg";
import type { ResultSet, SqlExercise, SqlValidation } from "../banks";
import { SANDBOX_LIMITS, type SandboxLimits } from "./limits";
import {
  createExerciseSchema,
  provisionDatabase,
  provisionRoles,
  resetRunnerPassword,
  runInSandbox,
  RUNNER_ROLE,
  SandboxUnavailable,
  schemaExists,
  type RunFailure,
} from "./sandbox.repo";

export { SandboxUnavailable };

/** The schema of an exercise: named after its setup, so a changed setup gets a fresh one. */
export const schemaFor = (setup: string) =>
  `sqlx_${createHash("sha256").update(setup.trim()).digest("hex").slice(0, 24)}`;

/** Where a 1-based offset falls in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset - 1));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** A failure as the learner (or author) reads it: PostgreSQL's message, said plainly where it is one of ours. */
export function describeFailure(failure: { code: string; message: string }, limits: SandboxLimits): string {
  if (failure.code === "57014") return `stopped: the statement ran longer than ${limits.statementMs / 1000} s`;
  if (failure.code === "55P03") return "stopped: the statement waited for a lock";
  if (failure.code === "53400") return "stopped: the statement needed more temporary disk space than allowed";
  if (failure.message.startsWith("stackprep: ")) return `refused: ${failure.message.slice("stackprep: ".length)}`;
  if (failure.code === "42601" && /multiple commands/.test(failure.message))
    return "refused: only one statement can be run";
  if (failure.code === "25006") return "refused: this exercise only reads (one SELECT, WITH, VALUES or TABLE query)";
  return failure.message;
}

const QUERY_WORDS = new Set(["select", "with", "values", "table"]);
const WRITE_WORDS = new Set([...QUERY_WORDS, "insert", "update", "delete"]);

/** The statement's first word, past comments, white space and opening parentheses. */
export function firstWord(statement: string): string {
  const rest = statement.replace(/^(?:\s+|\(|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/u, "");
  return /^[A-Za-z_]+/.exec(rest)?.[0]?.toLowerCase() ?? "";
}

/**
 * A syntax error said plainly when it is one of the sandbox's rules: one statement only, and
 * only a query (read) or a query, INSERT, UPDATE or DELETE (write). PostgreSQL itself refused
 * the statement; this only words the refusal.
 */
export function refusalOf(
  failure: { code: string; message: string },
  statement: string,
  kind: "read" | "write",
): string | undefined {
  if (failure.code === "0A000" && /data-modifying statement must be at the top level/.test(failure.message))
    return kind === "read"
      ? "refused: this exercise only reads; a WITH that changes data (INSERT, UPDATE or DELETE inside WITH) belongs to exercises that ask for a change"
      : "refused: a WITH that changes data must be the statement itself, not inside a subquery or another WITH";
  if (failure.code !== "42601") return undefined;
  const word = firstWord(statement);
  const allowed = kind === "read" ? QUERY_WORDS : WRITE_WORDS;
  if (word && !allowed.has(word))
    return kind === "read"
      ? `refused: this exercise takes one query (SELECT, WITH, VALUES or TABLE); ${word.toUpperCase()} cannot be run here (${failure.message})`
      : `refused: this exercise takes one INSERT, UPDATE or DELETE statement (or a query); ${word.toUpperCase()} cannot be run here (${failure.message})`;
  if (/at or near ";"/.test(failure.message))
    return "refused: only one statement can be run (remove the ';' and what follows it)";
  return undefined;
}

export type RunOutcome =
  | { ok: true; result: ResultSet | null; check?: ResultSet; ms: number }
  | { ok: false; error: string; line?: number; column?: number; where: "statement" | "check"; ms: number };

export type SqlSandbox = ReturnType<typeof sqlSandbox>;

/** The runner role's password: derived from the app's secret, so every instance agrees on it. */
export const runnerPassword = (secret: string) =>
  createHmac("sha256", secret).update("stackprep sql sandbox runner").digest("hex");

/** A single statement: trailing semicolons and white space are dropped (the server refuses more). */
export const trimStatement = (text: string) => text.replace(/[\s;]+$/u, "").replace(/^\s+/u, "");

export function sqlSandbox(deps: {
  /** The app's pool (its user makes roles and schemas). */
  admin: Pool;
  /** Makes the sandbox pool, logged in as the runner role with this password. */
  runnerPool: (credentials: { user: string; password: string }, options: { max: number; waitMs: number }) => Pool;
  secret: string;
  limits?: SandboxLimits;
  log?: (message: string) => void;
}) {
  const limits = deps.limits ?? SANDBOX_LIMITS;
  const password = runnerPassword(deps.secret);
  let ready: Promise<void> | undefined;
  let pool: Pool | undefined;
  let closed = false;

  const provision = () => {
    ready ??= (async () => {
      await provisionRoles(deps.admin, password, limits);
      await provisionDatabase(deps.admin, limits);
    })().catch((error: unknown) => {
      ready = undefined; // try again on the next use
      throw error instanceof SandboxUnavailable
        ? error
        : new SandboxUnavailable(`SQL exercises are unavailable: ${(error as Error).message}`);
    });
    return ready;
  };

  async function connect() {
    await provision();
    if (closed) throw new SandboxUnavailable("the SQL sandbox is shut down");
    pool ??= deps.runnerPool({ user: RUNNER_ROLE, password }, { max: limits.poolSize, waitMs: limits.waitMs });
    try {
      return await pool.connect();
    } catch (error) {
      const e = error as Error & { code?: string };
      if (e.code === "28P01") {
        // The role was made with another secret: set ours and try once more.
        await resetRunnerPassword(deps.admin, password);
        return pool.connect();
      }
      if (/timeout/i.test(e.message)) throw new SandboxBusy();
      // Refused or unreachable (a connection pooler that does not know the runner role, say).
      deps.log?.(`the SQL sandbox cannot connect as ${RUNNER_ROLE}: ${e.message}`);
      throw new SandboxUnavailable("SQL exercises cannot be run right now");
    }
  }

  async function run(options: {
    schema: string;
    kind: "read" | "write";
    statement: string;
    check?: string;
  }): Promise<RunOutcome> {
    const statement = trimStatement(options.statement);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    if (statement === "") return { ok: false, error: "write a statement first", where: "statement", ms: 0 };
    const client = await connect();
    let broken: Error | undefined;
    try {
      const output = await runInSandbox(client, { ...options, statement, limits });
      if (output.ok)
        return { ok: true, result: output.result, ...(output.check ? { check: output.check } : {}), ms: ms() };
      return failureOutcome(output.failure, statement, options.kind, ms());
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  function failureOutcome(failure: RunFailure, text: string, kind: "read" | "write", ms: number): RunOutcome {
    const at =
      failure.position !== undefined && failure.position > 0 && failure.where === "statement"
        ? lineColumn(text, failure.position)
        : undefined;
    const refusal = failure.where === "statement" ? refusalOf(failure, text, kind) : undefined;
    return { ok: false, error: refusal ?? describeFailure(failure, limits), where: failure.where, ...(at ?? {}), ms };
  }

  return {
    limits,

    /** Makes roles and this database's helpers now (start-up), instead of at the first use. */
    provision,

    /**
     * At import: the exercise's schema (made when missing), then the reference (and check)
     * run as a learner's statement would. Problems come back as messages with the field and
     * the line and column within it.
     */
    async prepare(
      exercise: SqlExercise,
    ): Promise<
      | { ok: true; validation: SqlValidation }
      | { ok: false; field: "setup" | "reference" | "check"; message: string; line?: number; column?: number }
    > {
      await provision();
      const schema = schemaFor(exercise.setup);
      if (!(await schemaExists(deps.admin, schema))) {
        const failure = await createExerciseSchema(deps.admin, schema, exercise.setup.trim(), limits);
        if (failure) {
          const at = failure.position ? lineColumn(exercise.setup.trim(), failure.position) : undefined;
          return { ok: false, field: "setup", message: describeFailure(failure, limits), ...(at ?? {}) };
        }
      }
      const outcome = await run({
        schema,
        kind: exercise.kind,
        statement: exercise.reference,
        ...(exercise.check !== undefined ? { check: exercise.check } : {}),
      });
      if (!outcome.ok)
        return {
          ok: false,
          field: outcome.where === "check" ? "check" : "reference",
          message: outcome.error,
          ...(outcome.line !== undefined ? { line: outcome.line, column: outcome.column } : {}),
        };
      if (exercise.kind === "read" && outcome.result === null)
        return { ok: false, field: "reference", message: "a read exercise's reference must return rows" };
      if (exercise.kind === "write" && outcome.result === null && outcome.check === undefined)
        return {
          ok: false,
          field: "reference",
          message: "a write exercise needs RETURNING in its reference, a check query, or both",
        };
      return {
        ok: true,
        validation: {
          schema,
          expected: outcome.result ?? { columns: [], rows: [] },
          ...(outcome.check ? { expectedCheck: outcome.check } : {}),
        },
      };
    },

    run,

    async close() {
      closed = true;
      const p = pool;
      pool = undefined;
      await p?.end().catch((error: Error) => deps.log?.(`closing the SQL sandbox: ${error.message}`));
    },
  };
}

/** Every sandbox connection is in use and none came free in time. */
export class SandboxBusy extends Error {
  constructor() {
    super("the SQL sandbox is busy; run the query again in a moment");
  }
}
