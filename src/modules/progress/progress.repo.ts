// SQL over topic_mastery, which this module owns.
import type { Db, Prisma } from "../../db";

/** First key of the per-learner advisory lock (any fixed number, unused elsewhere). */
const PROGRESS_LOCK_SPACE = 730_211;

/** Holds this learner's progress lock to the end of the transaction. */
export async function lockLearnerProgress(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PROGRESS_LOCK_SPACE}::int, hashtext(${userId}))`;
}

/** Some learners' mastery rows in some top-level topics (a class's gradebook). */
export function masteriesOf(client: Db, input: { userIds: string[]; topics: string[] }) {
  return client.topicMastery.findMany({
    where: { userId: { in: input.userIds }, topicPath: { in: input.topics } },
  });
}

/** Each learner's latest readiness snapshot. */
export function latestSnapshotsOf(client: Db, userIds: string[]) {
  return client.readinessSnapshot.findMany({
    where: { userId: { in: userIds } },
    orderBy: [{ userId: "asc" }, { at: "desc" }],
    distinct: ["userId"],
    select: { userId: true, status: true, predictedPercent: true, pPass: true, at: true },
  });
}
