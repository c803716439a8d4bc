// SQL over topic_mastery, which this module owns.
import type { Prisma } from "../../db";

/** First key of the per-learner advisory lock (any fixed number, unused elsewhere). */
const PROGRESS_LOCK_SPACE = 730_211;

/** Holds this learner's progress lock to the end of the transaction. */
export async function lockLearnerProgress(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PROGRESS_LOCK_SPACE}::int, hashtext(${userId}))`;
}
