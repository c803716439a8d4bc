// Use case: the grading transaction's hook that turns missed and flagged questions into cards.
import type { Prisma } from "../../../db";
import type { GradedAttempt } from "../../exams";

/** One card per missed or flagged question, at most (a card that exists stays as it is). */
export async function cardsFromGradedAttempt(tx: Prisma.TransactionClient, graded: GradedAttempt): Promise<void> {
  const wanted = graded.items.filter((i) => !i.correct || i.flagged);
  if (wanted.length === 0) return;
  await tx.reviewItem.createMany({
    data: wanted.map((i) => ({
      userId: graded.userId,
      cardKey: `q:${i.questionId}`,
      questionId: i.questionId,
      topicPath: i.topicPath,
      origin: i.correct ? "flagged" : "missed",
      due: graded.at,
    })),
    skipDuplicates: true,
  });
}
