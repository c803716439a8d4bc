// Use case: the learner's review session: what is due, what is new today, the next card.
import { NotFound } from "../../../errors";
import { buildQueue, DAILY_NEW_LIMIT, type QueueCandidate } from "../queue";
import { cardContent, freshCards, weakTopicOrder } from "../review.repo";
import { newState, preview } from "../scheduler";
import { heldBack, versionOf, visible, type ReviewDeps } from "./deps";

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
  const retention = await deps.preferences.desiredRetention({ userId: input.userId });
  const held = await heldBack(deps, input.userId);
  const [dueItems, introducedToday, fresh, weakTopics] = await Promise.all([
    prisma.reviewItem.findMany({
      where: { userId: input.userId, due: { lte: now }, ...visible(held, now) },
      orderBy: { due: "asc" },
      take: 500,
    }),
    prisma.reviewItem.count({
      where: { userId: input.userId, origin: "deck", createdAt: { gte: startOfDay(now) } },
    }),
    freshCards(prisma, {
      userId: input.userId,
      ...(input.topic ? { topic: input.topic } : {}),
      limit: FRESH_LOOKAHEAD,
    }),
    input.weak ? weakTopicOrder(prisma, input.userId) : Promise.resolve(undefined),
  ]);
  const due: QueueCandidate[] = dueItems.map((i) => ({
    cardKey: i.cardKey,
    topicPath: i.topicPath,
    due: i.due,
    origin: i.origin,
  }));
  const freshCandidates: QueueCandidate[] = fresh.map((c) => ({
    cardKey: `d:${c.id}`,
    topicPath: c.topicPath,
    due: null,
    origin: "deck",
  }));
  const queue = buildQueue({
    due,
    fresh: freshCandidates,
    introducedToday,
    dailyNewLimit: DAILY_NEW_LIMIT,
    ...(input.topic ? { topic: input.topic } : {}),
    ...(weakTopics ? { weakTopics } : {}),
  });
  const next = queue[0];
  const counts = { due: queue.filter((q) => q.due).length, fresh: queue.filter((q) => !q.due).length };
  if (!next) return { now, retention, counts, card: null, weakTopics: weakTopics ?? [] };
  const item = dueItems.find((i) => i.cardKey === next.cardKey) ?? null;
  const content = await cardContent(prisma, {
    cardId: item?.cardId ?? (next.cardKey.startsWith("d:") ? next.cardKey.slice(2) : null),
    questionId: item?.questionId ?? null,
  });
  if (!content) throw new NotFound("That card no longer exists.");
  const state = item ?? newState(now);
  return {
    now,
    retention,
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
