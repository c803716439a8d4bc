// What the review use cases are given, and the one rule they share: a question held back
// (in an attempt still open) shows no card.
import type { Clock } from "../../../clock";
import type { Db, Prisma } from "../../../db";
import { outOfReach } from "../review.repo";

/** The learner's retention preference, kept with their account (accounts' index). */
export type RetentionPreference = {
  desiredRetention(input: { userId: string }): Promise<number>;
  setDesiredRetention(input: { userId: string; retention: number }): Promise<void>;
  /** Daily limits: new deck cards introduced, and reviews, per day (UTC). */
  dailyLimits(input: { userId: string }): Promise<{ newCards: number; reviews: number }>;
  setDailyLimits(input: { userId: string; newCards: number; reviews: number }): Promise<void>;
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
  /**
   * The banks that reach the learner (the public ones, and what their classes share): cards
   * of other banks (a class they left) are neither shown nor counted. Given by the banks module.
   */
  bankReach?: (userId: string) => Promise<string[]>;
};

/** What the learner may not see now: questions held back, and cards out of their reach. */
export type Hidden = { questionIds: string[]; cardIds: string[]; reach?: string[] | undefined };

export const heldBack = async (deps: ReviewDeps, userId: string): Promise<Hidden> => {
  const [held, reach] = await Promise.all([
    deps.heldQuestionIds ? deps.heldQuestionIds(userId) : Promise.resolve([]),
    deps.bankReach ? deps.bankReach(userId) : Promise.resolve(undefined),
  ]);
  const away = reach ? await outOfReach(deps.prisma, userId, reach) : { questionIds: [], cardIds: [] };
  return { questionIds: [...held, ...away.questionIds], cardIds: away.cardIds, reach };
};

/**
 * Review items the learner may see now: not those of questions held back or out of reach, not suspended,
 * not buried until later.
 */
export const visible = (hidden: Hidden, now: Date): Prisma.ReviewItemWhereInput => ({
  suspendedAt: null,
  OR: [{ buriedUntil: null }, { buriedUntil: { lte: now } }],
  AND: [
    ...(hidden.questionIds.length
      ? [{ OR: [{ questionId: null }, { questionId: { notIn: hidden.questionIds } }] }]
      : []),
    ...(hidden.cardIds.length ? [{ OR: [{ cardId: null }, { cardId: { notIn: hidden.cardIds } }] }] : []),
  ],
});

/** The start of the next day (UTC): when a buried card comes back. */
export const startOfNextDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

/** A review item's state version: a grade posted for an older one is a repeat. */
export const versionOf = (item: { reps: number; lastReview: Date | null } | null) =>
  `${item?.reps ?? 0}-${item?.lastReview?.getTime() ?? 0}`;
