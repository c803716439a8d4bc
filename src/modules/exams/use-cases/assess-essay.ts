// Use case: a learner's self-assessment of a practice essay against its model answer. It is
// stored on the item and handed to the self-assessment hooks (review's cards) in the same
// transaction; it is never a score (essay.ts, docs/scoring.md).
import { retryingTransaction } from "../../../db";
import { Conflict, NotFound } from "../../../errors";
import { lockedItemForCheck } from "../attempts.repo";
import type { SelfAssessment } from "../essay";
import type { AttemptsDeps } from "./deps";
import { ownAttempt } from "./own-attempt";

export type AssessEssayOptions = {
  attemptId: string;
  userId: string;
  position: number;
  assessment: SelfAssessment;
};

/**
 * Stores the assessment once. A repeat of the same one (a double click, a resent form)
 * changes nothing; another one is refused, so review gets one judgement per essay shown.
 * Allowed only once the model answer was shown (the item checked), while the practice is
 * open or after it was submitted.
 */
export async function assessEssay(
  deps: AttemptsDeps,
  input: AssessEssayOptions,
): Promise<{ position: number; assessment: SelfAssessment; repeated: boolean }> {
  const attempt = await ownAttempt(deps.prisma, input.attemptId, input.userId);
  return retryingTransaction(deps.prisma, async (tx) => {
    const item = await lockedItemForCheck(tx, attempt.id, input.position);
    if (!item) throw new NotFound("There is no such question in this attempt.");
    if (item.version.type !== "essay") throw new Conflict("Only essays are assessed by the learner.", "not_an_essay");
    if (!item.checkedAt)
      throw new Conflict("Show the model answer first, then say how your answer compared.", "essay_not_shown");
    const done = { position: item.position, assessment: input.assessment };
    if (item.selfAssessment === input.assessment) return { ...done, repeated: true };
    if (item.selfAssessment) throw new Conflict("This essay was already assessed.", "already_assessed");
    await tx.attemptItem.update({ where: { id: item.id }, data: { selfAssessment: input.assessment } });
    const event = {
      userId: attempt.userId,
      questionId: item.version.questionId,
      topicPath: item.topicPath,
      assessment: input.assessment,
      at: deps.clock.now(),
    };
    for (const hook of deps.onSelfAssessed ?? []) await hook(tx, event);
    return { ...done, repeated: false };
  });
}
