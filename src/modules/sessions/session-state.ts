// The one description of a stored session (the JSON the session store keeps in "session".sess)
// and of when it is still good. The session middleware applies `sessionVerdict` to a loaded
// session; the answer save proves a session in SQL (sessions.repo.ts) with the same limits.
// Pure: no I/O, the time comes in.

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
/** The last-seen time is written at most this often, so most requests write nothing. */
export const TOUCH_INTERVAL_MS = 5 * 60_000;

/** The fields of the stored JSON that sign-in rules read (keys as stored). */
export type StoredSession = {
  csrfToken?: string;
  /** When the user signed in (absolute lifetime) and was last seen (idle timeout), ms. */
  authAt?: number;
  seenAt?: number;
  passport?: { user?: { id?: string } };
};

/** JSON paths of the same fields, for SQL over the stored JSON (sessions.repo.ts). */
export const SESSION_JSON = {
  userId: "{passport,user,id}",
  csrfToken: "csrfToken",
  authAt: "authAt",
  seenAt: "seenAt",
} as const;

export type SessionVerdict = "anonymous" | "live" | "refresh" | "expired-idle" | "expired-absolute";

/**
 * What a stored session is worth now: anonymous (nobody signed in), live, live but due a
 * last-seen refresh, or expired (idle too long, or past its absolute lifetime).
 */
export function sessionVerdict(session: StoredSession, now: number): SessionVerdict {
  if (!session.passport?.user) return "anonymous";
  const authAt = session.authAt ?? now;
  const seenAt = session.seenAt ?? authAt;
  if (now - authAt > ABSOLUTE_LIFETIME_MS) return "expired-absolute";
  if (now - seenAt > IDLE_TIMEOUT_MS) return "expired-idle";
  return now - seenAt > TOUCH_INTERVAL_MS ? "refresh" : "live";
}
