// Read side of the banks: what topics and how many active questions and cards there are.
import type { Db } from "../../db";

export type TopicSummary = { path: string; title: string; questionCount: number; cardCount: number };

export function catalogueService(deps: { prisma: Db }) {
  const { prisma } = deps;
  return {
    /** Top-level topics with the active questions and cards below them. */
    async topicSummaries(): Promise<TopicSummary[]> {
      const rows = await prisma.$queryRaw<{ path: string; title: string; questions: bigint; cards: bigint }[]>`
        SELECT t.path, t.title,
          (SELECT count(*) FROM questions q JOIN topics qt ON qt.id = q."topicId"
            WHERE q."retiredAt" IS NULL AND (qt.path = t.path OR qt.path LIKE t.path || '/%')) AS questions,
          (SELECT count(*) FROM cards c JOIN topics ct ON ct.id = c."topicId"
            WHERE c."retiredAt" IS NULL AND (ct.path = t.path OR ct.path LIKE t.path || '/%')) AS cards
        FROM topics t WHERE t."parentId" IS NULL ORDER BY t.title`;
      return rows
        .map((r) => ({ path: r.path, title: r.title, questionCount: Number(r.questions), cardCount: Number(r.cards) }))
        .filter((t) => t.questionCount + t.cardCount > 0);
    },

    async hasQuestions(): Promise<boolean> {
      return (await prisma.question.count({ take: 1 })) > 0;
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
