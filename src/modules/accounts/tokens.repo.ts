// SQL of personal access tokens.
import type { Db, Prisma } from "../../db";
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
