// SQL over the banks' tables (topics, questions, cards) that Prisma's query API does not say
// as well; the import's bulk writes are in import.repo.ts.
import type { Db, Prisma } from "../../db";

type Client = Db | Prisma.TransactionClient;

/**
 * Top-level topics with their active questions and cards, in one pass grouped by root
 * segment. With `usableBy`, only topics whose every question is in a shipped bank or one of
 * that user's banks (so an exam over them reaches nobody else's keys).
 */
export async function topicSummaryRows(client: Client, usableBy?: string) {
  const rows = await client.$queryRaw<{ path: string; title: string; questions: bigint; cards: bigint }[]>`
    WITH q AS (
      SELECT split_part(t.path, '/', 1) AS root, count(*) AS n,
        bool_and(b."ownerId" IS NULL OR b."ownerId" = ${usableBy ?? null}::uuid) AS usable
      FROM questions q JOIN topics t ON t.id = q."topicId" JOIN banks b ON b.id = q."bankId"
      WHERE q."retiredAt" IS NULL AND q."currentVersionId" IS NOT NULL GROUP BY 1
    ), c AS (
      SELECT split_part(t.path, '/', 1) AS root, count(*) AS n FROM cards c JOIN topics t ON t.id = c."topicId"
      WHERE c."retiredAt" IS NULL GROUP BY 1
    )
    SELECT r.path, r.title, coalesce(q.n, 0) AS questions, coalesce(c.n, 0) AS cards
    FROM topics r LEFT JOIN q ON q.root = r.path LEFT JOIN c ON c.root = r.path
    WHERE r."parentId" IS NULL AND coalesce(q.n, 0) + coalesce(c.n, 0) > 0
      AND (${usableBy === undefined} OR coalesce(q.usable, false))
    ORDER BY r.title`;
  return rows.map((r) => ({
    path: r.path,
    title: r.title,
    questionCount: Number(r.questions),
    cardCount: Number(r.cards),
  }));
}

/** Locks a question's row for the rest of the transaction (one writer of version n+1). */
export async function lockQuestion(tx: Prisma.TransactionClient, questionId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM questions WHERE id = ${questionId}::uuid FOR UPDATE`;
}
