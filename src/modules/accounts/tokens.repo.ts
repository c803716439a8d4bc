// SQL of personal access tokens.
import { Prisma, type Db, type LimitPolicy } from "../../db";
import type { Role } from "../../actor";

type Client = Db | Prisma.TransactionClient;

const listed = {
  id: true,
  name: true,
  scope: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

export function insertToken(
  client: Client,
  data: {
    userId: string;
    name: string;
    scope: Role;
    tokenHash: string;
    prefix: string;
    createdAt: Date;
    expiresAt: Date | null;
  },
) {
  return client.apiToken.create({ data, select: listed });
}

export function tokensOf(client: Client, userId: string) {
  return client.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: listed });
}

/** Revokes one of the user's tokens; false when the user has no such token. */
export async function revokeTokenRow(client: Client, input: { userId: string; tokenId: string; now: Date }) {
  const { count } = await client.apiToken.updateMany({
    where: { id: input.tokenId, userId: input.userId, revokedAt: null },
    data: { revokedAt: input.now },
  });
  if (count > 0) return true;
  return (await client.apiToken.count({ where: { id: input.tokenId, userId: input.userId } })) > 0;
}

/** One indexed lookup by digest, with the user's current role and state. */
export function tokenByHash(client: Client, tokenHash: string) {
  return client.apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      scope: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { id: true, email: true, displayName: true, role: true, disabledAt: true } },
    },
  });
}

/** Stamps the last use, unless another request did within the last minute. */
export async function touchToken(client: Client, input: { tokenId: string; now: Date; everyMs: number }) {
  const since = new Date(input.now.getTime() - input.everyMs);
  await client.apiToken.updateMany({
    where: { id: input.tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: since } }] },
    data: { lastUsedAt: input.now },
  });
}

/**
 * The token proof of the API's answer save, as common table expressions ending in `s`
 * ("userId") for the save statement (exams' saveAnswerStatement): the token is live (not
 * revoked or expired, its user enabled) and was used within the last minute (so no last-used
 * write is due), and the request is counted against the token's limit in rate_limits, exactly
 * as rate-limiter-flexible's consume counts it (key "<policy>:<token id>", window from the
 * first request), and is within it. Anything else proves nobody and counts nothing, except a
 * request over the limit, which the ordinary path then counts again and refuses.
 */
export function tokenSaveCtes(input: {
  tokenHash: string;
  now: Date;
  lastUsedSince: Date;
  limit: LimitPolicy;
  /** The limiter's clock (rate-limiter-flexible reads Date.now()). */
  nowMs: number;
  /** The request was already counted (a point leased by reserveTokenPoints): prove the token only. */
  counted?: boolean;
}): Prisma.Sql {
  const windowEnd = input.nowMs + input.limit.windowSeconds * 1000;
  const tok = Prisma.sql`tok AS (
      SELECT t.id, t."userId" FROM api_tokens t JOIN users u ON u.id = t."userId"
      WHERE t."tokenHash" = ${input.tokenHash} AND t."revokedAt" IS NULL
        AND (t."expiresAt" IS NULL OR t."expiresAt" > ${input.now.toISOString()}::timestamp)
        AND t."lastUsedAt" >= ${input.lastUsedSince.toISOString()}::timestamp AND u."disabledAt" IS NULL
    )`;
  if (input.counted) return Prisma.sql`${tok}, s AS (SELECT tok."userId" FROM tok)`;
  return Prisma.sql`${tok}, counted AS (
      INSERT INTO rate_limits (key, points, expire)
      SELECT ${input.limit.name} || ':' || tok.id::text, 1, ${windowEnd}::bigint FROM tok
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN rate_limits.expire <= ${input.nowMs}::bigint THEN 1 ELSE rate_limits.points + 1 END,
        expire = CASE WHEN rate_limits.expire <= ${input.nowMs}::bigint THEN EXCLUDED.expire ELSE rate_limits.expire END
      RETURNING points
    ), s AS (SELECT tok."userId" FROM tok, counted WHERE counted.points <= ${input.limit.points})`;
}

/**
 * Counts `points` requests of a live token at once in rate_limits (the row the limiter and the
 * save statement count in), when they all fit within the limit; the window's end (ms), or null
 * when they do not fit or the token is not live (then nothing was counted).
 */
export async function reserveTokenPoints(
  client: Client,
  input: { tokenHash: string; limit: LimitPolicy; points: number; nowMs: number },
): Promise<number | null> {
  const windowEnd = input.nowMs + input.limit.windowSeconds * 1000;
  const rows = await client.$queryRaw<{ expire: bigint }[]>`
    INSERT INTO rate_limits (key, points, expire)
    SELECT ${input.limit.name} || ':' || t.id::text, ${input.points}, ${windowEnd}::bigint FROM api_tokens t
    WHERE t."tokenHash" = ${input.tokenHash} AND t."revokedAt" IS NULL
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN rate_limits.expire <= ${input.nowMs}::bigint THEN EXCLUDED.points
               ELSE rate_limits.points + EXCLUDED.points END,
      expire = CASE WHEN rate_limits.expire <= ${input.nowMs}::bigint THEN EXCLUDED.expire ELSE rate_limits.expire END
    WHERE rate_limits.expire <= ${input.nowMs}::bigint OR rate_limits.points + EXCLUDED.points <= ${input.limit.points}
    RETURNING expire`;
  return rows[0] ? Number(rows[0].expire) : null;
}
