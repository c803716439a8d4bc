// Use case: the learner's review session: what is due, what is new today, the next card.
import { NotFound } from "../../../errors";
import { buildQueue, type QueueCandidate } from "../queue";
import { cardContent, freshCards, weakTopicOrder } from "../review.repo";
import { newState, preview } from "../scheduler";
import { heldBack, versionOf, visible, type ReviewDeps } from "./deps";
import { deckCardIdOf, deckCardKey } from "../card-key";

export type ReviewSessionOptions = {
  userId: string;
  /** Only cards under this top-level topic. */
  topic?: string;
  /** Weakest topics first (from the learner's graded answers). */
  weak?: boolean;
};

const FRESH_LOOKAHEAD = 200;
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

export async function reviewSession(deps: ReviewDeps, input: ReviewSessionOptions) {
  const { prisma } = deps;
  const now = deps.clock.now();
  const [retention, limits] = await Promise.all([
    deps.preferences.desiredRetention({ userId: input.userId }),
    deps.preferences.dailyLimits({ userId: input.userId }),
  ]);
  const held = await heldBack(deps, input.userId);
  const [dueItems, introducedToday, reviewedToday, fresh, weakTopics] = await Promise.all([
    prisma.reviewItem.findMany({
      where: { userId: input.userId, due: { lte: now }, ...visible(held, now) },
      orderBy: { due: "asc" },
      take: 500,
    }),
    prisma.reviewItem.count({
      where: { userId: input.userId, origin: "deck", createdAt: { gte: startOfDay(now) } },
    }),
    prisma.reviewLog.count({ where: { userId: input.userId, review: { gte: startOfDay(now) } } }),
    freshCards(prisma, {
      userId: input.userId,
      ...(input.topic ? { topic: input.topic } : {}),
      ...(held.reach ? { bankIds: held.reach } : {}),
      limit: FRESH_LOOKAHEAD,
    }),
    input.weak ? weakTopicOrder(prisma, input.userId) : Promise.resolve(undefined),
  ]);
  // The daily review limit counts every grade given today (UTC).
  const reviewsLeft = Math.max(0, limits.reviews - reviewedToday);
  const due: QueueCandidate[] = dueItems.slice(0, reviewsLeft).map((i) => ({
    cardKey: i.cardKey,
    topicPath: i.topicPath,
    due: i.due,
    origin: i.origin,
  }));
  const freshCandidates: QueueCandidate[] = fresh.map((c) => ({
    cardKey: deckCardKey(c.id),
    topicPath: c.topicPath,
    due: null,
    origin: "deck",
  }));
  const queue = buildQueue({
    due,
    fresh: freshCandidates,
    introducedToday,
    dailyNewLimit: limits.newCards,
    ...(input.topic ? { topic: input.topic } : {}),
    ...(weakTopics ? { weakTopics } : {}),
  });
  const next = queue[0];
  const counts = { due: queue.filter((q) => q.due).length, fresh: queue.filter((q) => !q.due).length };
  const limited = dueItems.length > reviewsLeft;
  if (!next) return { now, retention, limits, limited, counts, card: null, weakTopics: weakTopics ?? [] };
  const item = dueItems.find((i) => i.cardKey === next.cardKey) ?? null;
  const content = await cardContent(prisma, {
    cardId: item?.cardId ?? deckCardIdOf(next.cardKey),
    questionId: item?.questionId ?? null,
  });
  if (!content) throw new NotFound("That card no longer exists.");
  const state = item ?? newState(now);
  return {
    now,
    retention,
    limits,
    limited,
    counts,
    weakTopics: weakTopics ?? [],
    card: {
      cardKey: next.cardKey,
      origin: next.origin,
      isNew: !item,
      version: versionOf(item),
      ...content,
      buttons: preview(state, now, retention),
    },
  };
}
