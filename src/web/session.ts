// Sessions in Postgres (connect-pg-simple on the app's pool), with idle and absolute
// timeouts enforced here. Requests that change nothing write nothing: the store never
// "touches", and the last-seen time is refreshed at most once per TOUCH_INTERVAL.
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import type { Pool } from "pg";
import connectPgSimple from "connect-pg-simple";
import session, { type SessionData } from "express-session";
import type { Request, RequestHandler } from "express";
import type { Clock } from "../clock";
import type { Prisma } from "../db";
import {
  ABSOLUTE_LIFETIME_MS,
  liveSessionSql,
  liveSessionUserSql,
  sessionVerdict,
  type StoredSession,
} from "../modules/sessions";
import { tokenFromRequest } from "./csrf";
import { sendProblem, wantsJson } from "./errors";

declare module "express-session" {
  interface SessionData {
    csrfToken?: string;
    /** When the user signed in (absolute lifetime) and was last seen (idle timeout). */
    authAt?: number;
    seenAt?: number;
    flash?: { kind: "info" | "success" | "error"; message: string }[];
  }
}

export type SessionOptions = { pool: Pool; secret: string; secure: boolean; prune: boolean };

export function sessionMiddleware(options: SessionOptions) {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: options.pool,
    tableName: "session",
    createTableIfMissing: false,
    disableTouch: true,
    ttl: ABSOLUTE_LIFETIME_MS / 1000,
    pruneSessionInterval: options.prune ? 15 * 60 : false,
  });
  // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
  const cookieName = options.secure ? "__Host-stackprep" : "stackprep";
  const middleware = session({
    store,
    secret: options.secret,
    name: cookieName,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/" },
  });
  const sidOf = (req: Request) => signedSessionId(req.headers.cookie, cookieName, options.secret);
  return {
    middleware,
    cookieName,
    /** What proves a request's session without loading it (see SessionProof): needs its CSRF token. */
    proof: (req: Request, now: Date): SessionProof | undefined => {
      const sid = sidOf(req);
      const token = tokenFromRequest(req);
      return sid && token ? { sql: liveSessionUserSql({ sid, csrfToken: token, now: now.getTime() }) } : undefined;
    },
    /** What reads a page request's session inside the page's own statement (see SessionRead). */
    read: (req: Request, now: Date): SessionRead | undefined => {
      const sid = sidOf(req);
      return sid ? { sql: liveSessionSql({ sid, now: now.getTime() }) } : undefined;
    },
    close: () => store.close(),
  };
}

/**
 * The session id of a request, read from its cookie the way express-session reads it (the
 * `cookie` parser, then `cookie-signature`'s unsign of the "s:" value); undefined when it is
 * absent, unsigned or forged.
 */
function signedSessionId(cookieHeader: string | undefined, cookieName: string, secret: string) {
  const raw = cookieHeader ? parseCookies(cookieHeader)[cookieName] : undefined;
  if (!raw?.startsWith("s:")) return undefined;
  return unsign(raw.slice(2), secret) || undefined;
}

/**
 * A request's claim to a signed-in session, checked by the database in the same statement
 * as the work it guards (the answer save): `sql` selects the session's user id only when the
 * session row is live, its CSRF token is the one the request sent, it is within its absolute
 * lifetime, and it was seen recently enough that no last-seen refresh is due. Anything else
 * selects no row, and the request takes the ordinary path (express-session, passport, the
 * timeouts and CSRF middleware), which gives the usual answer: sign in again, 403, a refresh.
 * Sessions stay in PostgreSQL, so a sign-out or a role change ends them at once here too.
 */
export type SessionProof = { sql: Prisma.Sql };

/**
 * A page request's session, read by the database in the same statement as the page's data (a
 * question page of a sitting): `sql` selects the stored session (as "sess") only when it is a
 * signed-in user's, live, and needs no last-seen refresh; a page changes nothing, so no CSRF
 * token is sent or proved. The caller still checks what the page needs of it (a CSRF token
 * for its forms, no flash message waiting, a well-formed user) and otherwise takes the
 * ordinary path, as for a session that selects nothing.
 */
export type SessionRead = SessionProof;

/**
 * What a page served from a SessionRead needs of the stored session, or null to take the
 * ordinary path: the signed-in user (as `userOf` reads them, passport's deserializer), the
 * CSRF token its forms carry (a session without one gets it from the ordinary path, which
 * writes it), and no flash message waiting (showing one removes it: a write).
 */
export function pageSession(
  stored: unknown,
  userOf: (stored: unknown) => Express.User | null,
): { userId: string; user: Express.User; csrfToken: string } | null {
  if (!stored || typeof stored !== "object") return null;
  const s = stored as StoredSession & { flash?: unknown };
  if (typeof s.csrfToken !== "string" || s.csrfToken === "") return null;
  if (s.flash !== undefined && !(Array.isArray(s.flash) && s.flash.length === 0)) return null;
  const user = userOf(s.passport?.user);
  return user ? { userId: user.id, user, csrfToken: s.csrfToken } : null;
}

/**
 * Ends signed-in sessions that were idle too long or are past their absolute lifetime. A page
 * goes to the sign-in form; a script gets 401 JSON, since a fetch would follow a redirect to
 * the form, get 200 and take it for success.
 */
export function sessionTimeouts(clock: Clock, cookieName: string): RequestHandler {
  return (req, res, next) => {
    const s = req.session as (typeof req.session & StoredSession) | undefined;
    if (!s) return next();
    const now = clock.now().getTime();
    const verdict = sessionVerdict(s, now);
    if (verdict === "expired-idle" || verdict === "expired-absolute") {
      s.destroy(() => {
        res.clearCookie(cookieName, { path: "/" });
        if (!wantsJson(req)) return res.redirect(303, `/login?expired=1`);
        const message = "Your session has ended. Sign in again to go on.";
        sendProblem(req, res, { status: 401, message, details: [], code: "session_expired" });
      });
      return;
    }
    if (verdict === "refresh") s.seenAt = now;
    next();
  };
}

/**
 * Signs a request in on a new session id (against session fixation: the old row is deleted)
 * holding `fields` (the signed-in user under passport's key, the timeouts, a fresh CSRF token),
 * and writes it once before the caller redirects. The write is the session's only one in this
 * request: express-session would save a regenerated session again as the response ends (it
 * compares against the id the request came with), and saveSessionBeforeRedirect would too;
 * both find it unchanged (keepSaved) and write nothing.
 */
export function signInSession(
  req: Request,
  fields: Partial<SessionData> & { passport: { user: unknown } },
): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error?: Error) => {
      if (error) return reject(error);
      Object.assign(req.session, fields);
      req.session.save((saveError?: Error) => {
        if (saveError) return reject(saveError);
        keepSaved(req.session);
        resolve();
      });
    });
  });
}

/**
 * Makes a later save of `sess` write only if it changed since it was just written: express-
 * session saves a regenerated session again when the response ends, whatever it holds.
 */
function keepSaved(sess: Request["session"]): void {
  const written = JSON.stringify(sess);
  const save = sess.save.bind(sess);
  Object.defineProperty(sess, "save", {
    configurable: true,
    enumerable: false,
    writable: true,
    value(callback?: (error?: unknown) => void) {
      if (JSON.stringify(sess) !== written) return save(callback);
      if (callback) process.nextTick(callback);
      return sess;
    },
  });
}

/**
 * express-session sends a response's headers before its session write finishes, so a browser
 * can follow a redirect and load the old session (losing, say, a flash message). After a
 * state change, write the session first, then redirect. GETs are left alone: they change
 * nothing and must not write.
 */
export const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  // A session the request left as it found it (most posts: a save, a start, a submission)
  // is not written at all, here or by express-session afterwards.
  const before = req.session ? JSON.stringify(req.session) : undefined;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = (...args: unknown[]) => {
    if (!req.session || (before !== undefined && JSON.stringify(req.session) === before)) return redirect(...args);
    req.session.save(() => redirect(...args));
  };
  next();
};
