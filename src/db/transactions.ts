// Interactive transactions sized to the pool, and retried when trying again can succeed:
// a serialization failure or deadlock (PostgreSQL rolled the transaction back), or no
// connection free within maxWait (nothing ran). Only for idempotent work: a retry must
// find what a committed earlier try left and change nothing twice.
import type { Db, Prisma } from "./client";

/**
 * maxWait is the wait for a pool connection. A grading transaction holds one for tens of
 * milliseconds, but on two busy cores 50 requests at once queue for a pool of 10 for
 * seconds: Prisma's 2 s default turned that queue into errors. timeout covers the work and
 * any row-lock wait behind another grading of the same learner or attempt.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;
const MAX_TRIES = 4;
const BASE_DELAY_MS = 25;

// serialization_failure, deadlock_detected, lock_not_available
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01", "55P03"]);

type PrismaError = {
  code?: unknown;
  message?: unknown;
  meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
};

/** True for failures after which the whole transaction may simply run again. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as PrismaError;
  if (e.code === "P2034") return true; // a model query's write conflict or deadlock
  if (e.code === "P2028") {
    // Not "transaction not found" and the like: only no connection in time, or rolled back by the timeout.
    const message = typeof e.message === "string" ? e.message : "";
    return message.includes("Unable to start a transaction") || message.includes("expired transaction");
  }
  if (e.meta?.driverAdapterError?.cause?.kind === "TransactionWriteConflict") return true;
  const sqlState = sqlStateOf(error);
  return sqlState !== undefined && RETRYABLE_SQLSTATES.has(sqlState);
}

/**
 * PostgreSQL's SQLSTATE of a failure: raw queries (P2010) carry the driver's error, pg's own
 * errors carry it as their code; undefined when there is none.
 */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as PrismaError;
  const sqlState = e.meta?.driverAdapterError?.cause?.originalCode ?? e.meta?.code ?? e.code;
  return typeof sqlState === "string" ? sqlState : undefined;
}

/** A unique violation, from a model query (P2002) or a raw one (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as PrismaError | null)?.code === "P2002" || sqlStateOf(error) === "23505";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff before try n (1-based): 25, 50, 100 ms, each with up to as much again of jitter. */
export function retryDelayMs(tryNumber: number, random: () => number = Math.random): number {
  const base = BASE_DELAY_MS * 2 ** (tryNumber - 1);
  return Math.round(base + random() * base);
}

/** Runs `work` again (bounded, with backoff) while it fails in a way isRetryable accepts. */
export async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let tryNumber = 1; ; tryNumber += 1) {
    try {
      return await work();
    } catch (error) {
      if (tryNumber >= MAX_TRIES || !isRetryable(error)) throw error;
      await sleep(retryDelayMs(tryNumber));
    }
  }
}

/** Runs `work` in one transaction, and again as a whole when isRetryable says so. */
export function retryingTransaction<T>(prisma: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return retrying(() => prisma.$transaction(work, TRANSACTION_OPTIONS));
}
