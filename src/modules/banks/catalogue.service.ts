// Read side of the banks: what topics and how many active questions and cards there are.
import type { Db } from "../../db";

export type TopicSummary = { path: string; title: string; questionCount: number; cardCount: number };

export function catalogueService(deps: { prisma: Db }) {
  const { prisma } = deps;
  return {
    /** Top-level topics with the active questions and cards below them. */
    async topicSummaries(): Promise<TopicSummary[]> {
      // One pass over questions and cards, grouped by the root segment of their topic path.
      const rows = await prisma.$queryRaw<{ path: string; title: string; questions: bigint; cards: bigint }[]>`
        WITH q AS (
          SELECT split_part(t.path, '/', 1) AS root, count(*) AS n FROM questions q JOIN topics t ON t.id = q."topicId"
          WHERE q."retiredAt" IS NULL AND q."currentVersionId" IS NOT NULL GROUP BY 1
        ), c AS (
          SELECT split_part(t.path, '/', 1) AS root, count(*) AS n FROM cards c JOIN topics t ON t.id = c."topicId"
          WHERE c."retiredAt" IS NULL GROUP BY 1
        )
        SELECT r.path, r.title, coalesce(q.n, 0) AS questions, coalesce(c.n, 0) AS cards
        FROM topics r LEFT JOIN q ON q.root = r.path LEFT JOIN c ON c.root = r.path
        WHERE r."parentId" IS NULL AND coalesce(q.n, 0) + coalesce(c.n, 0) > 0
        ORDER BY r.title`;
      return rows.map((r) => ({
        path: r.path,
        title: r.title,
        questionCount: Number(r.questions),
        cardCount: Number(r.cards),
      }));
    },

    async hasQuestions(): Promise<boolean> {
      return (await prisma.question.count({ take: 1 })) > 0;
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
