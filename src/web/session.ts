// Sessions in Postgres (connect-pg-simple on the app's pool), with idle and absolute
// timeouts enforced here. Requests that change nothing write nothing: the store never
// "touches", and the last-seen time is refreshed at most once per TOUCH_INTERVAL.
import type { Pool } from "pg";
import connectPgSimple from "connect-pg-simple";
import session from "express-session";
import type { RequestHandler } from "express";
import type { Clock } from "../clock";

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
export const TOUCH_INTERVAL_MS = 5 * 60_000;

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
  const middleware = session({
    store,
    secret: options.secret,
    // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
    name: options.secure ? "__Host-stackprep" : "stackprep",
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/" },
  });
  return { middleware, close: () => store.close() };
}

/** Ends signed-in sessions that were idle too long or are past their absolute lifetime. */
export function sessionTimeouts(clock: Clock): RequestHandler {
  return (req, res, next) => {
    const s = req.session as (typeof req.session & { passport?: { user?: unknown } }) | undefined;
    if (!s?.passport?.user) return next();
    const now = clock.now().getTime();
    const authAt = s.authAt ?? now;
    const seenAt = s.seenAt ?? authAt;
    if (now - seenAt > IDLE_TIMEOUT_MS || now - authAt > ABSOLUTE_LIFETIME_MS) {
      s.destroy(() => {
        res.clearCookie(req.app.get("session cookie name") as string);
        res.redirect(303, `/login?expired=1`);
      });
      return;
    }
    if (now - seenAt > TOUCH_INTERVAL_MS) s.seenAt = now;
    next();
  };
}

/**
 * express-session sends a response's headers before its session write finishes, so a browser
 * can follow a redirect and load the old session (losing, say, a flash message). After a
 * state change, write the session first, then redirect. GETs are left alone: they change
 * nothing and must not write.
 */
export const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = (...args: unknown[]) => {
    if (!req.session) return redirect(...args);
    req.session.save(() => redirect(...args));
  };
  next();
};
