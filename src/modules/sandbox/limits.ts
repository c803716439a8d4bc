// The sandbox's limits (docs/security.md, "SQL exercises: the sandbox"). Pure constants.
import { availableParallelism } from "node:os";

export type SandboxLimits = {
  /** statement_timeout of a learner's statement and of a check query, ms. */
  statementMs: number;
  /** lock_timeout, ms. */
  lockMs: number;
  /** idle_in_transaction_session_timeout, ms. */
  idleMs: number;
  /** work_mem, kB. */
  workMemKb: number;
  /** temp_file_limit of the sandbox role (set when the role is made), kB. */
  tempFileKb: number;
  /** At most this many rows in a result; more is refused. */
  maxRows: number;
  /** At most this many bytes of a result (its rows as text); more is refused. */
  maxBytes: number;
  /**
   * Connections of the sandbox pool: half the cores (at least one). A heavy learner query
   * keeps a PostgreSQL backend busy for its whole time limit, so the sandbox may take at
   * most half the machine and the answer saves of everyone else keep the rest.
   */
  poolSize: number;
  /** How long a run waits for a connection before "busy", ms. */
  waitMs: number;
  /** statement_timeout of an exercise's setup at import, ms. */
  setupMs: number;
};

export const SANDBOX_LIMITS: SandboxLimits = {
  statementMs: 2_000,
  lockMs: 200,
  idleMs: 5_000,
  workMemKb: 4_096,
  tempFileKb: 16_384,
  maxRows: 1_000,
  maxBytes: 1_048_576,
  poolSize: Math.max(1, Math.floor(availableParallelism() / 2)),
  waitMs: 8_000,
  setupMs: 10_000,
};

/** Rows shown on the run's result grid. */
export const GRID_ROWS = 50;
