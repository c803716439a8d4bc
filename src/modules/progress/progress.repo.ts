// SQL over topic_mastery, which this module owns.
import type { Prisma } from "../../db";

/** Locks a learner's mastery rows of these topics: two submissions at once fold in one by one. */
export async function lockMastery(tx: Prisma.TransactionClient, userId: string, topics: string[]): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM topic_mastery WHERE "userId" = ${userId}::uuid AND "topicPath" = ANY(${topics}) FOR UPDATE`;
}
