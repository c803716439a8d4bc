// Personal access tokens, the pure part: how a token looks, how it is stored, and which
// scopes a role may hand out. No I/O; the clock and the random bytes come from callers.
import { createHash, randomBytes } from "node:crypto";
import { ROLES, type Role } from "../../actor";

/** Tokens start with this, so secret scanners and people can tell them apart. */
export const TOKEN_PREFIX = "spat_";
/** 32 random bytes, base64url: 43 characters after the prefix. */
export const TOKEN_PATTERN = /^spat_[A-Za-z0-9_-]{43}$/;
/** How often the last-used time is written: at most once a minute per token. */
export const LAST_USED_EVERY_MS = 60_000;

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** The stored digest: a token is 256 random bits, so a fast hash is enough (no guessing). */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What lists show of a token: its first characters. */
export const tokenPrefix = (token: string): string => token.slice(0, TOKEN_PREFIX.length + 6);

const rank = (role: Role) => ROLES.indexOf(role);

/** A scope is allowed when it is no wider than the role. */
export const scopeWithin = (scope: Role, role: Role): boolean => rank(scope) <= rank(role);

/** What a token may do now: its scope, narrowed to the user's current role (a demotion narrows it). */
export const effectiveRole = (scope: Role, role: Role): Role => (rank(scope) <= rank(role) ? scope : role);

export type TokenState = { revokedAt: Date | null; expiresAt: Date | null };

export const tokenUsable = (token: TokenState, now: Date): boolean =>
  token.revokedAt === null && (token.expiresAt === null || token.expiresAt > now);

export const lastUsedDue = (lastUsedAt: Date | null, now: Date): boolean =>
  lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_EVERY_MS;
