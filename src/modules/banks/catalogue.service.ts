// Read side of the banks: what topics and how many active questions and cards reach a person.
import type { Actor } from "../../actor";
import type { Db } from "../../db";
import { classIdsOf } from "../classes";
import { publicBankIds, usableBankIds, visibleBankIds } from "./access.repo";
import { authorizeBank } from "./banks.policy";
import { topicSummaryRows } from "./banks.repo";

export type TopicSummary = { path: string; title: string; questionCount: number; cardCount: number };

/**
 * The banks that reach a person (null: a visitor, who sees the public ones): the public
 * catalogue, their own and co-owned banks, and what their classes share.
 */
export async function bankReach(prisma: Db, userId: string | null): Promise<string[]> {
  if (!userId) return publicBankIds(prisma);
  return visibleBankIds(prisma, userId, await classIdsOf(prisma, userId));
}

export function catalogueService(deps: { prisma: Db }) {
  const { prisma } = deps;
  return {
    /** Top-level topics with the active questions and cards below them, of the banks that reach the actor. */
    async topicSummaries(input: { userId: string | null }): Promise<TopicSummary[]> {
      return topicSummaryRows(prisma, await bankReach(prisma, input.userId));
    },

    /** The topics an instructor may build exams on (banks.policy "use-topics"): all for admins. */
    async usableTopics(input: { actor: Actor }): Promise<TopicSummary[]> {
      authorizeBank(input.actor, "list");
      return topicSummaryRows(prisma, await usableBankIds(prisma, input.actor));
    },

    async hasQuestions(): Promise<boolean> {
      return (await prisma.question.count({ take: 1 })) > 0;
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
