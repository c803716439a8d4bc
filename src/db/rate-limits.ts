// Rate limits kept in PostgreSQL (rate-limiter-flexible's store on the app's pool), so every
// app instance counts against the same numbers. A consume is one INSERT ... ON CONFLICT DO
// UPDATE ... RETURNING: concurrent requests each get a distinct count, so a limit cannot be
// raced. The table is `rate_limits`, modelled in schema.prisma and created by a migration;
// the store is told it exists and never creates tables itself. Windows run on the server's
// real clock (the library reads Date.now()), not on the injected Clock.
import type { Pool } from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequests } from "../errors";
import { forLibraries } from "./client";

export const RATE_LIMIT_TABLE = "rate_limits";

export type LimitPolicy = {
  /** The key prefix: one name per limit, so limits share the table without sharing counts. */
  name: string;
  points: number;
  windowSeconds: number;
};

export type LimitResult =
  { allowed: true; consumed: number } | { allowed: false; consumed: number; retryAfterSeconds: number };

export type Limiter = {
  readonly policy: LimitPolicy;
  /** Counts one attempt and says whether it is within the limit. */
  consume(key: string): Promise<LimitResult>;
  /** Takes one counted attempt back (it turned out not to be one the limit is about). */
  refund(key: string): Promise<void>;
  /** Forgets the key's count (a success that ends a run of failures). */
  reset(key: string): Promise<void>;
  /** Refuses the key for `seconds` from now, whatever its count. */
  block(key: string, seconds: number): Promise<void>;
};

export type LimiterFactory = (policy: LimitPolicy) => Limiter;

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Limiters on `pool`. With `sweep`, one of them deletes counters expired over an hour ago
 * every five minutes (one sweeper per process is enough: they share the table).
 */
export function limiterFactory(pool: Pool, options: { sweep?: boolean } = {}): LimiterFactory {
  let sweeping = false;
  return (policy) => {
    const store = new RateLimiterPostgres({
      storeClient: forLibraries(pool),
      storeType: "pool",
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: options.sweep === true && !sweeping,
      keyPrefix: policy.name,
      points: policy.points,
      duration: policy.windowSeconds,
    });
    sweeping ||= options.sweep === true;
    return {
      policy,
      async consume(key) {
        try {
          const res = await store.consume(key);
          return { allowed: true, consumed: res.consumedPoints };
        } catch (error) {
          // Over the limit the store rejects with its result; anything else is a real failure.
          if (!(error instanceof RateLimiterRes)) throw error;
          return { allowed: false, consumed: error.consumedPoints, retryAfterSeconds: retryAfter(error) };
        }
      },
      async refund(key) {
        await store.reward(key, 1);
      },
      async reset(key) {
        await store.delete(key);
      },
      async block(key, seconds) {
        await store.block(key, seconds);
      },
    };
  };
}

/** Counts one attempt under `key`, or throws TooManyRequests with the message for the wait. */
export async function admitOrThrow(limiter: Limiter, key: string, message: (seconds: number) => string) {
  const result = await limiter.consume(key);
  if (!result.allowed) throw new TooManyRequests(message(result.retryAfterSeconds), result.retryAfterSeconds);
}
