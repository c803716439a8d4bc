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

/**
 * Writes a learner's mastery of several topics in one statement (grading folds in up to 15
 * topics: one upsert each was 15 round trips in the grading transaction).
 */
export async function writeMasteries(
  tx: Prisma.TransactionClient,
  userId: string,
  rows: { topicPath: string; alpha: number; beta: number; answers: number; blanks: number; lastAt: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO topic_mastery (id, "userId", "topicPath", alpha, beta, answers, blanks, "lastAt", "updatedAt")
    SELECT gen_random_uuid(), ${userId}::uuid, m.path, m.alpha, m.beta, m.answers, m.blanks, m.at, now()
    FROM unnest(${rows.map((r) => r.topicPath)}::text[], ${rows.map((r) => r.alpha)}::float8[],
                ${rows.map((r) => r.beta)}::float8[], ${rows.map((r) => r.answers)}::int[],
                ${rows.map((r) => r.blanks)}::int[], ${rows.map((r) => r.lastAt.toISOString())}::timestamp[])
      AS m(path, alpha, beta, answers, blanks, at)
    ON CONFLICT ("userId", "topicPath") DO UPDATE SET alpha = EXCLUDED.alpha, beta = EXCLUDED.beta,
      answers = EXCLUDED.answers, blanks = EXCLUDED.blanks, "lastAt" = EXCLUDED."lastAt", "updatedAt" = now()`;
}
