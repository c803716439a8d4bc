// Use case: grade a card (idempotent for a repeated post of the same state version).
import { NotFound } from "../../../errors";
import { activeCard } from "../../banks";
import { grade, type RatingValue, type SchedulingState } from "../scheduler";
import { heldBack, versionOf, type ReviewDeps } from "./deps";
import { priorState } from "./undo-grade";
import { deckCardIdOf } from "../card-key";

export type GradeCardOptions = {
  userId: string;
  cardKey: string;
  rating: RatingValue;
  /** The state version the page showed (versionOf). */
  version: string;
};

type ItemRow = SchedulingState & {
  id: string;
  cardKey: string;
  topicPath: string;
  origin: string;
  cardId: string | null;
  questionId: string | null;
};

/** Grades a card. A repeated post (same state version) changes nothing. */
export async function gradeCard(deps: ReviewDeps, input: GradeCardOptions): Promise<{ repeated: boolean; due?: Date }> {
  const now = deps.clock.now();
  const hidden = await heldBack(deps, input.userId);
  return deps.prisma.$transaction(async (tx) => {
    const retention = await deps.preferences.desiredRetention({ userId: input.userId });
    let item: ItemRow | null = await tx.reviewItem.findUnique({
      where: { userId_cardKey: { userId: input.userId, cardKey: input.cardKey } },
    });
    if (!item) {
      // Only deck cards are introduced by grading; question cards exist once missed.
      const cardId = deckCardIdOf(input.cardKey);
      const card = cardId && /^[0-9a-f-]{36}$/.test(cardId) ? await activeCard(tx, cardId) : null;
      if (!card || (hidden.reach && !hidden.reach.includes(card.bankId))) throw new NotFound("There is no such card.");
      const created = await tx.reviewItem.createMany({
        data: [
          {
            userId: input.userId,
            cardKey: input.cardKey,
            cardId: card.id,
            topicPath: card.topicPath,
            origin: "deck",
            due: now,
          },
        ],
        skipDuplicates: true,
      });
      item = await tx.reviewItem.findUniqueOrThrow({
        where: { userId_cardKey: { userId: input.userId, cardKey: input.cardKey } },
      });
      if (created.count === 0 && versionOf(item) !== input.version) return { repeated: true };
    }
    if (versionOf(item) !== input.version) return { repeated: true };
    if (
      (item.questionId && hidden.questionIds.includes(item.questionId)) ||
      (item.cardId && hidden.cardIds.includes(item.cardId))
    )
      throw new NotFound("There is no such card.");
    const outcome = grade(item, now, input.rating, retention);
    const logged = await tx.reviewLog.createMany({
      data: [
        {
          reviewItemId: item.id,
          userId: input.userId,
          requestKey: `${item.id}:${input.version}`,
          ...outcome.log,
          prior: priorState(item),
        },
      ],
      skipDuplicates: true,
    });
    if (logged.count === 0) return { repeated: true };
    await tx.reviewItem.update({ where: { id: item.id }, data: { ...outcome.next } });
    return { repeated: false, due: outcome.next.due };
  });
}
