// SQL over the "session" table, which this module owns (the store writes its rows; the
// layout is session-state.ts). Other modules end sessions through index.ts.
import { Prisma, type Db } from "../../db";
import { ABSOLUTE_LIFETIME_MS, SESSION_JSON, TOUCH_INTERVAL_MS } from "./session-state";

type SqlClient = Pick<Db | Prisma.TransactionClient, "$executeRaw">;

/** Ends a user's sessions, optionally keeping one (the one that asked, after a password change). */
export function endSessionsOf(client: SqlClient, userId: string, keepSessionId = "") {
  return client.$executeRaw`DELETE FROM "session" WHERE sess #>> ${SESSION_JSON.userId}::text[] = ${userId} AND sid <> ${keepSessionId}`;
}

/**
 * A statement selecting the user id of session `sid` only when it is live, carries the CSRF
 * token the request sent, is within its absolute lifetime and needs no last-seen refresh:
 * sessionVerdict(...) === "live", decided by the database inside the statement it guards.
 * The tokens are compared as SHA-256 digests, so timing says nothing about how much matched.
 */
export function liveSessionUserSql(input: { sid: string; csrfToken: string; now: number }): Prisma.Sql {
  return Prisma.sql`
      SELECT (sess #>> ${SESSION_JSON.userId}::text[])::uuid AS "userId" FROM "session"
      WHERE ${live(input)}
        AND sha256(convert_to(sess ->> ${SESSION_JSON.csrfToken}::text, 'UTF8')) = sha256(convert_to(${input.csrfToken}::text, 'UTF8'))`;
}

/**
 * A statement selecting the stored session `sid` (its JSON, as "sess") only when a signed-in
 * user's session is live and needs no last-seen refresh, as liveSessionUserSql decides it, for
 * a page that changes nothing (so no CSRF token to prove) and reads the session with its data.
 */
export function liveSessionSql(input: { sid: string; now: number }): Prisma.Sql {
  return Prisma.sql`
      SELECT sess FROM "session"
      WHERE ${live(input)} AND sess #>> ${SESSION_JSON.userId}::text[] IS NOT NULL`;
}

const live = (input: { sid: string; now: number }) => Prisma.sql`sid = ${input.sid} AND expire >= now()
        AND (sess ->> ${SESSION_JSON.authAt}::text)::numeric >= ${input.now - ABSOLUTE_LIFETIME_MS}
        AND coalesce((sess ->> ${SESSION_JSON.seenAt}::text)::numeric, (sess ->> ${SESSION_JSON.authAt}::text)::numeric) >= ${input.now - TOUCH_INTERVAL_MS}`;
