// Sign-in throttling rules (pure). Failures live in Postgres so every instance sees them.
export const ACCOUNT_LIMIT = 10; // failures for one account from one address...
export const ACCOUNT_WINDOW_MS = 15 * 60_000; // ...within 15 minutes
export const ADDRESS_LIMIT = 100; // failures from one address...
export const ADDRESS_WINDOW_MS = 60 * 60_000; // ...within an hour

/**
 * Seconds until another attempt is allowed, or 0. `oldest` is the time of the failure
 * that leaves the window first once the count is at the limit (the Nth most recent).
 */
export function retryAfterSeconds(options: {
  count: number;
  limit: number;
  oldestCounted: Date | undefined;
  windowMs: number;
  now: Date;
}): number {
  if (options.count < options.limit || !options.oldestCounted) return 0;
  const freeAt = options.oldestCounted.getTime() + options.windowMs;
  return Math.max(1, Math.ceil((freeAt - options.now.getTime()) / 1000));
}
