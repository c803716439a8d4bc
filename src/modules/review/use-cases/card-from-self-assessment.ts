// Use case: the hook of an essay's self-assessment transaction: a card for an essay the
// learner missed (or partly), or a grade of the card that exists (self-assessment.ts).
import type { Prisma } from "../../../db";
import type { EssayAssessed } from "../../exams";
import { grade } from "../scheduler";
import { selfAssessmentEffect } from "../self-assessment";
import { versionOf, type ReviewDeps } from "./deps";
import { priorState } from "./undo-grade";
import { questionCardKey } from "../card-key";

export async function cardFromSelfAssessment(
  deps: ReviewDeps,
  tx: Prisma.TransactionClient,
  assessed: EssayAssessed,
): Promise<void> {
  const cardKey = questionCardKey(assessed.questionId);
  const item = await tx.reviewItem.findUnique({ where: { userId_cardKey: { userId: assessed.userId, cardKey } } });
  const effect = selfAssessmentEffect(assessed.assessment, item !== null);
  if (effect.kind === "none") return;
  if (effect.kind === "create" || !item) {
    await tx.reviewItem.createMany({
      data: [
        {
          userId: assessed.userId,
          cardKey,
          questionId: assessed.questionId,
          topicPath: assessed.topicPath,
          origin: "missed",
          due: assessed.at,
        },
      ],
      skipDuplicates: true,
    });
    return;
  }
  const retention = await deps.preferences.desiredRetention({ userId: assessed.userId });
  const outcome = grade(item, assessed.at, effect.rating, retention);
  const logged = await tx.reviewLog.createMany({
    data: [
      {
        reviewItemId: item.id,
        userId: assessed.userId,
        requestKey: `${item.id}:${versionOf(item)}`,
        ...outcome.log,
        prior: priorState(item),
      },
    ],
    skipDuplicates: true,
  });
  if (logged.count > 0) await tx.reviewItem.update({ where: { id: item.id }, data: { ...outcome.next } });
}
