// Use case: the grading transaction's hook that turns missed and flagged questions into cards.
import type { Prisma } from "../../../db";
import type { GradedAttempt } from "../../exams";
import { insertQuestionCards } from "../review.repo";

/**
 * One card per missed or flagged question, at most (a card that exists stays as it is). A
 * question left blank in a timed exam is not "missed": it says the learner did not get to it,
 * not what they got wrong, and an abandoned mock exam would otherwise bury the queue under
 * cards (docs/scoring.md). It still becomes a card when the learner flagged it. In practice
 * mode a blank is missed, as before.
 */
export async function cardsFromGradedAttempt(tx: Prisma.TransactionClient, graded: GradedAttempt): Promise<void> {
  const blank = (i: GradedAttempt["items"][number]) => graded.mode === "timed" && !i.answered;
  const wanted = graded.items.filter((i) => i.flagged || (!i.correct && !blank(i)));
  if (wanted.length === 0) return;
  await insertQuestionCards(tx, {
    userId: graded.userId,
    due: graded.at,
    cards: wanted.map((i) => ({
      questionId: i.questionId,
      topicPath: i.topicPath,
      origin: i.correct || blank(i) ? "flagged" : "missed",
    })),
  });
}
