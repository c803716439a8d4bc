// Review use cases: cards from missed questions, the session queue, grading (idempotent
// for a repeated post), and the learner's retention setting.
import { dueCountsByTopic, freshCards, weakTopicOrder } from "./review.repo";
import type { Clock } from "../../clock";
import type { Db, Prisma } from "../../db";
import { Invalid, NotFound } from "../../errors";
import { keyHtml, type StoredBody } from "../banks";
import type { GradedAttempt } from "../exams";
import { buildQueue, DAILY_NEW_LIMIT, type QueueCandidate } from "./queue";
import {
  grade,
  newState,
  preview,
  RETENTION_MAX,
  RETENTION_MIN,
  type RatingValue,
  type SchedulingState,
} from "./scheduler";

const FRESH_LOOKAHEAD = 200;
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const versionOf = (item: { reps: number; lastReview: Date | null } | null) =>
  `${item?.reps ?? 0}-${item?.lastReview?.getTime() ?? 0}`;

type ItemRow = SchedulingState & {
  id: string;
  cardKey: string;
  topicPath: string;
  origin: string;
  cardId: string | null;
  questionId: string | null;
};

/** The learner's retention preference, kept with their account (accounts' index). */
export type RetentionPreference = {
  desiredRetention(input: { userId: string }): Promise<number>;
  setDesiredRetention(input: { userId: string; retention: number }): Promise<void>;
};

export type ReviewDeps = {
  prisma: Db;
  clock: Clock;
  preferences: RetentionPreference;
  /**
   * Questions whose keys the learner must not see now (they are in an attempt still open):
   * their cards are neither shown nor counted due until it closes. Given by the exams module.
   */
  heldQuestionIds?: (userId: string) => Promise<string[]>;
};

export function reviewService(deps: ReviewDeps) {
  const { prisma, clock } = deps;
  const held = async (userId: string) => (deps.heldQuestionIds ? await deps.heldQuestionIds(userId) : []);
  /** Review items the learner may see now: not those of questions held back. */
  const visible = (held: string[]): Prisma.ReviewItemWhereInput =>
    held.length ? { OR: [{ questionId: null }, { questionId: { notIn: held } }] } : {};

  async function cardContent(key: { cardId: string | null; questionId: string | null }) {
    if (key.cardId) {
      const card = await prisma.card.findUnique({ where: { id: key.cardId }, include: { topic: true } });
      if (!card) return null;
      return {
        topicTitle: card.topic.title,
        frontHtml: card.frontHtml,
        backHtml: card.backHtml,
        choicesHtml: [] as string[],
        explanationHtml: "",
      };
    }
    const question = await prisma.question.findUnique({
      where: { id: key.questionId! },
      include: { currentVersion: true, topic: true },
    });
    const v = question?.currentVersion;
    if (!question || !v) return null;
    const body = v.body as StoredBody;
    return {
      topicTitle: question.topic.title,
      frontHtml: v.stemHtml,
      choicesHtml: "options" in body ? body.options.map((o) => o.html) : [],
      backHtml: keyHtml(body),
      explanationHtml: v.explanationHtml,
    };
  }

  return {
    /** Hook for the grading transaction: one card per missed or flagged question, at most. */
    async cardsFromGradedAttempt(tx: Prisma.TransactionClient, graded: GradedAttempt): Promise<void> {
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
    },

    async session(input: { userId: string; topic?: string; weak?: boolean }) {
      const now = clock.now();
      const user = { desiredRetention: await deps.preferences.desiredRetention({ userId: input.userId }) };
      const heldBack = await held(input.userId);
      const [dueItems, introducedToday, fresh, weakTopics] = await Promise.all([
        prisma.reviewItem.findMany({
          where: { userId: input.userId, due: { lte: now }, ...visible(heldBack) },
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
      if (!next) return { now, retention: user.desiredRetention, counts, card: null, weakTopics: weakTopics ?? [] };
      const item = dueItems.find((i) => i.cardKey === next.cardKey) ?? null;
      const content = await cardContent({
        cardId: item?.cardId ?? (next.cardKey.startsWith("d:") ? next.cardKey.slice(2) : null),
        questionId: item?.questionId ?? null,
      });
      if (!content) throw new NotFound("That card no longer exists.");
      const state = item ?? newState(now);
      return {
        now,
        retention: user.desiredRetention,
        counts,
        weakTopics: weakTopics ?? [],
        card: {
          cardKey: next.cardKey,
          origin: next.origin,
          isNew: !item,
          version: versionOf(item),
          ...content,
          buttons: preview(state, now, user.desiredRetention),
        },
      };
    },

    /** Grades a card. A repeated post (same state version) changes nothing. */
    async gradeCard(input: {
      userId: string;
      cardKey: string;
      rating: RatingValue;
      version: string;
    }): Promise<{ repeated: boolean; due?: Date }> {
      const now = clock.now();
      return prisma.$transaction(async (tx) => {
        const user = { desiredRetention: await deps.preferences.desiredRetention({ userId: input.userId }) };
        let item: ItemRow | null = await tx.reviewItem.findUnique({
          where: { userId_cardKey: { userId: input.userId, cardKey: input.cardKey } },
        });
        if (!item) {
          // Only deck cards are introduced by grading; question cards exist once missed.
          const cardId = input.cardKey.startsWith("d:") ? input.cardKey.slice(2) : null;
          const card =
            cardId && /^[0-9a-f-]{36}$/.test(cardId)
              ? await tx.card.findFirst({ where: { id: cardId, retiredAt: null }, include: { topic: true } })
              : null;
          if (!card) throw new NotFound("There is no such card.");
          const created = await tx.reviewItem.createMany({
            data: [
              {
                userId: input.userId,
                cardKey: input.cardKey,
                cardId: card.id,
                topicPath: card.topic.path,
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
        if (item.questionId && (await held(input.userId)).includes(item.questionId))
          throw new NotFound("There is no such card.");
        const outcome = grade(item, now, input.rating, user.desiredRetention);
        const logged = await tx.reviewLog.createMany({
          data: [
            { reviewItemId: item.id, userId: input.userId, requestKey: `${item.id}:${input.version}`, ...outcome.log },
          ],
          skipDuplicates: true,
        });
        if (logged.count === 0) return { repeated: true };
        await tx.reviewItem.update({ where: { id: item.id }, data: { ...outcome.next } });
        return { repeated: false, due: outcome.next.due };
      });
    },

    async setRetention(input: { userId: string; retention: number }): Promise<void> {
      if (!(input.retention >= RETENTION_MIN && input.retention <= RETENTION_MAX)) {
        throw new Invalid(`Choose a retention between ${RETENTION_MIN} and ${RETENTION_MAX}.`);
      }
      await deps.preferences.setDesiredRetention({ userId: input.userId, retention: input.retention });
    },

    /** Cards due now per top-level topic (for the dashboard and the review page). */
    async dueByTopic(input: { userId: string }): Promise<{ topic: string; due: number }[]> {
      return dueCountsByTopic(prisma, input.userId, clock.now(), await held(input.userId));
    },
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
