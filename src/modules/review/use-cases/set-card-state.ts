// Use cases: suspend a card (out of every session until unsuspended) and bury it (hidden
// until the start of the next day, UTC), as Anki's Suspend and Bury do. A deck card the
// learner has not met yet is introduced first, so it can carry the mark.
import { NotFound } from "../../../errors";
import { activeCard } from "../../banks";
import { startOfNextDay, type ReviewDeps } from "./deps";
import { deckCardIdOf } from "../card-key";

export type CardStateOptions = { userId: string; cardKey: string };

async function itemFor(deps: ReviewDeps, input: CardStateOptions) {
  const { prisma } = deps;
  const where = { userId_cardKey: { userId: input.userId, cardKey: input.cardKey } };
  const found = await prisma.reviewItem.findUnique({ where, select: { id: true } });
  if (found) return found.id;
  const cardId = deckCardIdOf(input.cardKey);
  const card = cardId ? await activeCard(prisma, cardId) : null;
  if (!card) throw new NotFound("There is no such card.");
  await prisma.reviewItem.createMany({
    data: [
      {
        userId: input.userId,
        cardKey: input.cardKey,
        cardId: card.id,
        topicPath: card.topicPath,
        origin: "deck",
        due: deps.clock.now(),
      },
    ],
    skipDuplicates: true,
  });
  return (await prisma.reviewItem.findUniqueOrThrow({ where, select: { id: true } })).id;
}

export async function suspendCard(deps: ReviewDeps, input: CardStateOptions & { suspended: boolean }) {
  const id = await itemFor(deps, input);
  await deps.prisma.reviewItem.update({
    where: { id },
    data: { suspendedAt: input.suspended ? deps.clock.now() : null },
  });
}

export async function buryCard(deps: ReviewDeps, input: CardStateOptions): Promise<Date> {
  const id = await itemFor(deps, input);
  const until = startOfNextDay(deps.clock.now());
  await deps.prisma.reviewItem.update({ where: { id }, data: { buriedUntil: until } });
  return until;
}
