// Use cases: personal access tokens (create, list, revoke) and authenticating an API request
// by one. The token itself is returned once, at creation; only its digest is stored.
import type { Role } from "../../../actor";
import { Invalid, NotFound } from "../../../errors";
import { authorizeTokenScope } from "../accounts.policy";
import type { LimitPolicy, Prisma } from "../../../db";
import { leaseSize, maxLeaseSize } from "../token-leases";
import {
  insertToken,
  reserveTokenPoints,
  revokeTokenRow,
  tokenByHash,
  tokenSaveCtes,
  tokensOf,
  touchToken,
} from "../tokens.repo";
import {
  effectiveRole,
  LAST_USED_EVERY_MS,
  lastUsedDue,
  newToken,
  TOKEN_PATTERN,
  tokenHash,
  tokenPrefix,
  tokenUsable,
} from "../tokens";
import type { AccountsDeps, SessionUser } from "./deps";

export type CreateTokenOptions = {
  userId: string;
  name: string;
  /** Defaults to the user's role. */
  scope?: Role;
  /** Days until it expires; none: it lasts until revoked. */
  expiresInDays?: number;
};

export async function createToken(deps: AccountsDeps, input: CreateTokenOptions) {
  const user = await deps.prisma.user.findUnique({
    where: { id: input.userId },
    select: { role: true, disabledAt: true },
  });
  if (!user || user.disabledAt) throw new NotFound("There is no such account.");
  const scope = input.scope ?? user.role;
  authorizeTokenScope({ id: input.userId, role: user.role }, scope);
  const name = input.name.trim();
  if (!name) throw new Invalid("Give the token a name.", [{ field: "name", message: "Give the token a name." }]);
  const now = deps.clock.now();
  const token = newToken();
  const row = await insertToken(deps.prisma, {
    userId: input.userId,
    name,
    scope,
    tokenHash: tokenHash(token),
    prefix: tokenPrefix(token),
    createdAt: now,
    expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
  });
  return { token, ...row };
}

export async function createTokenByEmail(
  deps: AccountsDeps,
  input: Omit<CreateTokenOptions, "userId"> & { email: string },
) {
  const user = await deps.prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (!user) throw new NotFound(`There is no account with the email ${input.email}.`);
  return createToken(deps, { ...input, userId: user.id });
}

export async function listTokens(deps: AccountsDeps, input: { userId: string }) {
  const now = deps.clock.now();
  return (await tokensOf(deps.prisma, input.userId)).map((t) => ({ ...t, usable: tokenUsable(t, now) }));
}

export async function revokeToken(deps: AccountsDeps, input: { userId: string; tokenId: string }) {
  if (!(await revokeTokenRow(deps.prisma, { ...input, now: deps.clock.now() })))
    throw new NotFound("There is no such token.");
}

export type TokenUser = SessionUser & { tokenId: string; scope: Role };

/**
 * The user an Authorization token stands for, with the role it may act as (its scope narrowed
 * to the user's current role), or null when it is malformed, unknown, revoked, expired, or its
 * user is disabled. Checked in the database on every request, so a revocation holds at once in
 * every instance; the last-used time is written at most once a minute.
 */
export async function authenticateToken(deps: AccountsDeps, input: { token: string }): Promise<TokenUser | null> {
  if (!TOKEN_PATTERN.test(input.token)) return null;
  const row = await tokenByHash(deps.prisma, tokenHash(input.token));
  const now = deps.clock.now();
  if (!row || !tokenUsable(row, now) || row.user.disabledAt) return null;
  if (lastUsedDue(row.lastUsedAt, now))
    await touchToken(deps.prisma, { tokenId: row.id, now, everyMs: LAST_USED_EVERY_MS });
  const role = effectiveRole(row.scope, row.user.role);
  return {
    id: row.user.id,
    email: row.user.email,
    displayName: row.user.displayName,
    role,
    tokenId: row.id,
    scope: role,
  };
}

/**
 * The answer save's proof of a token (see tokenSaveCtes): checked inside the save statement, so
 * the API's hottest request is one statement, like the page's autosave. The request is counted
 * against the token's limit from a lease of points this process reserved in rate_limits (one
 * write per lease of saves; token-leases.ts), or, when none can be reserved, inside the
 * statement itself. undefined for a string that cannot be a token.
 */
export async function tokenSaveProof(
  deps: AccountsDeps,
  input: { token: string; limit: LimitPolicy },
): Promise<{ ctes: Prisma.Sql; name: string } | undefined> {
  if (!TOKEN_PATTERN.test(input.token)) return undefined;
  const now = deps.clock.now();
  const nowMs = Date.now(); // the limiter's clock, as rate-limiter-flexible's
  const digest = tokenHash(input.token);
  const sizes = { first: leaseSize(input.limit.points), max: maxLeaseSize(input.limit.points) };
  const counted = await deps.leases.spend(digest, Date.now, sizes, (points) =>
    reserveTokenPoints(deps.prisma, { tokenHash: digest, limit: input.limit, points, nowMs }),
  );
  const ctes = tokenSaveCtes({
    tokenHash: digest,
    now,
    lastUsedSince: new Date(now.getTime() - LAST_USED_EVERY_MS),
    limit: input.limit,
    nowMs,
    counted,
  });
  return { ctes, name: counted ? "stackprep_save_answer_with_leased_token" : "stackprep_save_answer_with_token" };
}
