// Bearer tokens for /api: every request is authenticated by its Authorization header alone
// (cookies are never read here, so a browser session cannot authorise an API call and no CSRF
// token is needed), then counted against the token's rate limit.
import type { RequestHandler } from "express";
import type { Limiter } from "../db";
import { DomainError, TooManyRequests } from "../errors";
import type { TokenUser } from "../modules/accounts";
import type { ApiActor } from "./endpoint";

export class Unauthenticated extends DomainError {
  override readonly status = 401;
  constructor(message: string, code = "unauthenticated") {
    super(message);
    this.code = code;
  }
}

/** Requests per token per minute, shared by every instance (rate-limiter-flexible on PostgreSQL). */
export const apiLimitPolicy = (perMinute: number) => ({ name: "api-token", points: perMinute, windowSeconds: 60 });

const BEARER = /^Bearer +([^\s]+) *$/i;

export function bearerAuth(deps: {
  authenticate: (input: { token: string }) => Promise<TokenUser | null>;
  limiter: Limiter;
}): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) {
      res.set("WWW-Authenticate", 'Bearer realm="stackprep"');
      return next(
        new Unauthenticated(
          header
            ? "Send the token as `Authorization: Bearer <token>`."
            : "This API needs a personal access token: `Authorization: Bearer <token>` (create one on your account page).",
        ),
      );
    }
    const user = await deps.authenticate({ token });
    if (!user) {
      res.set("WWW-Authenticate", 'Bearer realm="stackprep", error="invalid_token"');
      return next(new Unauthenticated("This token is not valid: unknown, revoked or expired.", "invalid_token"));
    }
    const limit = await deps.limiter.consume(user.tokenId);
    res.set("RateLimit-Policy", `${deps.limiter.policy.points};w=${deps.limiter.policy.windowSeconds}`);
    if (!limit.allowed)
      return next(
        new TooManyRequests(
          `Too many requests with this token: at most ${deps.limiter.policy.points} a minute. Try again in ${limit.retryAfterSeconds} s.`,
          limit.retryAfterSeconds,
        ),
      );
    const actor: ApiActor = { id: user.id, role: user.scope, tokenId: user.tokenId };
    res.locals.apiActor = actor;
    next();
  };
}
