// Read side of the banks: what topics and how many active questions and cards there are.
import type { Actor } from "../../actor";
import type { Db } from "../../db";
import { authorizeBank, bankOwnerScope } from "./banks.policy";
import { topicSummaryRows } from "./banks.repo";

export type TopicSummary = { path: string; title: string; questionCount: number; cardCount: number };

export function catalogueService(deps: { prisma: Db }) {
  const { prisma } = deps;
  return {
    /** Top-level topics with the active questions and cards below them. */
    async topicSummaries(): Promise<TopicSummary[]> {
      return topicSummaryRows(prisma);
    },

    /** The topics an instructor may build exams on (banks.policy "use-topics"): all for admins. */
    async usableTopics(input: { actor: Actor }): Promise<TopicSummary[]> {
      authorizeBank(input.actor, "list");
      return topicSummaryRows(prisma, bankOwnerScope(input.actor));
    },

    async hasQuestions(): Promise<boolean> {
      return (await prisma.question.count({ take: 1 })) > 0;
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
