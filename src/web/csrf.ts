// Synchronizer-token CSRF protection: one random token per session, sent back in the
// `_csrf` form field or the `x-csrf-token` header on every state-changing request.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { Forbidden } from "../errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** A new random token (a session gets one on first use, or when it signs in). */
export const newCsrfToken = () => randomBytes(32).toString("base64url");

/** The session's token, made on first use (so pages without a form create no session). */
export function csrfToken(req: Request): string {
  req.session.csrfToken ??= newCsrfToken();
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenFromRequest(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body._csrf === "string" ? body._csrf : undefined;
  const fromHeader = req.get("x-csrf-token");
  return fromBody ?? fromHeader;
}

export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    // A function, not a value: only pages that render a form create the token (and session).
    res.locals.csrf = () => csrfToken(req);
    if (SAFE.has(req.method)) return next();
    const expected = req.session?.csrfToken;
    const sent = tokenFromRequest(req);
    if (!expected || !sent || !sameToken(expected, sent)) {
      return next(
        new Forbidden("This form has expired or did not come from this site. Go back, reload the page and try again."),
      );
    }
    next();
  };
}
