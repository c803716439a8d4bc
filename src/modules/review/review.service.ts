// Review use cases: cards from missed questions, the session queue, grading (idempotent
// for a repeated post), and the learner's retention setting. Each is a file of its own in
// use-cases/, taking the deps and an options object; this factory binds the deps once.
import type { Prisma } from "../../db";
import type { EssayAssessed } from "../exams";
import { cardFromSelfAssessment } from "./use-cases/card-from-self-assessment";
import { cardsFromGradedAttempt } from "./use-cases/cards-from-graded-attempt";
import type { ReviewDeps } from "./use-cases/deps";
import { dueCountsOf, lastReviewsOf } from "./review.repo";
import { dueByTopic, type DueByTopicOptions } from "./use-cases/due-by-topic";
import { gradeCard, type GradeCardOptions } from "./use-cases/grade-card";
import { reviewDays, type ReviewDaysOptions } from "./use-cases/review-days";
import { reviewSession, type ReviewSessionOptions } from "./use-cases/review-session";
import { setRetention, type SetRetentionOptions } from "./use-cases/set-retention";
import { buryCard, suspendCard, type CardStateOptions } from "./use-cases/set-card-state";
import { canUndo, undoGrade, type UndoGradeOptions } from "./use-cases/undo-grade";
import { dueCount, type DueCountOptions } from "./use-cases/due-count";
import { browseCards, type BrowseCardsOptions } from "./use-cases/browse-cards";
import { setDailyLimits, type SetDailyLimitsOptions } from "./use-cases/set-daily-limits";

export type { ReviewDeps, RetentionPreference } from "./use-cases/deps";

export function reviewService(deps: ReviewDeps) {
  return {
    /** Cards due now and the latest review of several learners (a class's gradebook). */
    learnersCards: async (input: { userIds: string[] }) => {
      const [due, lastReview] = await Promise.all([
        dueCountsOf(deps.prisma, input.userIds, deps.clock.now()),
        lastReviewsOf(deps.prisma, input.userIds),
      ]);
      return { due, lastReview };
    },
    /** Hook for the grading transaction: one card per missed or flagged question, at most. */
    cardsFromGradedAttempt,
    /** Hook for an essay's self-assessment: a card when missed or partly, a grade of one that exists. */
    cardFromSelfAssessment: (tx: Prisma.TransactionClient, assessed: EssayAssessed) =>
      cardFromSelfAssessment(deps, tx, assessed),
    session: (input: ReviewSessionOptions) => reviewSession(deps, input),
    gradeCard: (input: GradeCardOptions) => gradeCard(deps, input),
    setRetention: (input: SetRetentionOptions) => setRetention(deps, input),
    dueByTopic: (input: DueByTopicOptions) => dueByTopic(deps, input),
    /** When the learner graded cards since a moment. */
    reviewDays: (input: ReviewDaysOptions) => reviewDays(deps, input),
    setDailyLimits: (input: SetDailyLimitsOptions) => setDailyLimits(deps, input),
    browseCards: (input: BrowseCardsOptions) => browseCards(deps, input),
    dueCount: (input: DueCountOptions) => dueCount(deps, input),
    undoGrade: (input: UndoGradeOptions) => undoGrade(deps, input),
    canUndo: (input: UndoGradeOptions) => canUndo(deps, input),
    suspendCard: (input: CardStateOptions & { suspended: boolean }) => suspendCard(deps, input),
    buryCard: (input: CardStateOptions) => buryCard(deps, input),
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
