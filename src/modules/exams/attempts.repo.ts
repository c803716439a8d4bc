// Queries of the attempt engine that Prisma's API does not express well.
import type { Db, Prisma } from "../../db";
import type { PoolQuestion } from "./selection";

type Client = Db | Prisma.TransactionClient;

/** Active questions (current version, not retired) with what selection needs. */
export async function loadPool(client: Client): Promise<PoolQuestion[]> {
  const rows = await client.$queryRaw<
    {
      versionId: string;
      topicPath: string;
      externalId: string;
      type: string;
      body: { options?: { id: string }[]; items?: { id: string }[] };
    }[]
  >`
    SELECT v.id AS "versionId", t.path AS "topicPath", q."externalId", v.type::text AS type, v.body
    FROM questions q
    JOIN question_versions v ON v.id = q."currentVersionId"
    JOIN topics t ON t.id = q."topicId"
    WHERE q."retiredAt" IS NULL`;
  return rows.map((r) => ({
    versionId: r.versionId,
    topicPath: r.topicPath,
    externalId: r.externalId,
    type: r.type,
    choiceIds: (r.body.options ?? r.body.items ?? []).map((o) => o.id),
  }));
}

/** Overdue open attempts not being handled by another instance right now. */
export async function overdueAttemptIds(client: Client, before: Date, limit: number): Promise<string[]> {
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM attempts WHERE status = 'open' AND "deadlineAt" < ${before}
    ORDER BY "deadlineAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  return rows.map((r) => r.id);
}
