// The attempt engine: start (selection frozen in rows), save answers (sequence-checked,
// deadline-checked), submit (graded in the same transaction, idempotent), results. Each use
// case is a file of its own in use-cases/, taking the deps and an options object; this
// factory binds the deps once. Every use case checks that the attempt belongs to the acting
// user (another user's id: 404).
import type { Prisma } from "../../db";
import { assessEssay, type AssessEssayOptions } from "./use-cases/assess-essay";
import { attemptResult, type AttemptResultOptions } from "./use-cases/attempt-result";
import { checkAnswer, type CheckAnswerOptions } from "./use-cases/check-answer";
import type { AttemptsDeps } from "./use-cases/deps";
import { heldQuestions } from "./use-cases/held-questions";
import { learnerAttempt, type LearnerAttemptOptions } from "./use-cases/learner-attempt";
import { openAttempt, openAttemptInSession, type OpenAttemptOptions } from "./use-cases/open-attempt";
import { retryMissed, type RetryMissedOptions } from "./use-cases/retry-missed";
import { saveAnswer, saveAnswerInSession, saveAnswerWithProof, type SaveAnswerOptions } from "./use-cases/save-answer";
import {
  prepareStarts,
  startAttempt,
  startAttemptInSession,
  type StartAttemptOptions,
} from "./use-cases/start-attempt";
import { startOptions, type StartOptionsOptions } from "./use-cases/stack-choices";
import { submitAttempt } from "./use-cases/submit-attempt";
import { runSql, type RunSqlOptions } from "./use-cases/run-sql";
import { sweepOverdue, type SweepOverdueOptions } from "./use-cases/sweep-overdue";

export type { AttemptsDeps, EssayAssessed, GradedAttempt, SelfAssessedHook, SubmitHook } from "./use-cases/deps";
export { SQL_RUN_POLICY, type SqlRunView } from "./use-cases/run-sql";

export function attemptsService(deps: AttemptsDeps) {
  return {
    startAttempt: (input: StartAttemptOptions) => startAttempt(deps, input),
    /** A start whose insert proves the session (exam-day start route); null: take the ordinary path. */
    startAttemptInSession: (input: Omit<StartAttemptOptions, "userId"> & { session: Prisma.Sql }) =>
      startAttemptInSession(deps, input),
    /** What the start page shows; the starts of an exam the learner may start are readied (prepareStarts). */
    startOptions: async (input: StartOptionsOptions) => {
      const options = await startOptions(deps, input);
      prepareStarts(deps, input.examSlug);
      return options;
    },
    openAttempt: (input: OpenAttemptOptions) => openAttempt(deps, input),
    /** A question page whose statement reads the session too; null: take the ordinary path. */
    openAttemptInSession: <S extends { userId: string }>(input: Parameters<typeof openAttemptInSession<S>>[1]) =>
      openAttemptInSession(deps, input),
    saveAnswer: (input: SaveAnswerOptions & { userId: string }) => saveAnswer(deps, input),
    saveAnswerInSession: (input: SaveAnswerOptions & { session: Prisma.Sql }) => saveAnswerInSession(deps, input),
    saveAnswerWithProof: (input: SaveAnswerOptions & { proof: { ctes: Prisma.Sql; name: string } }) =>
      saveAnswerWithProof(deps, input),
    checkAnswer: (input: CheckAnswerOptions) => checkAnswer(deps, input),
    /** A practice essay's self-assessment against its model answer: stored, never scored. */
    assessEssay: (input: AssessEssayOptions) => assessEssay(deps, input),
    submitAttempt: (input: { attemptId: string; userId: string }) => submitAttempt(deps, { ...input, by: "learner" }),
    runSql: (input: RunSqlOptions) => runSql(deps, input),
    result: (input: AttemptResultOptions) => attemptResult(deps, input),
    /** A learner's submitted attempt, read-only, for their instructor or an admin (its own learner: `own`). */
    learnerAttempt: (input: LearnerAttemptOptions) => learnerAttempt(deps, input),
    /** A private quiz of the questions missed in a submitted attempt, started. */
    retryMissed: (input: RetryMissedOptions) => retryMissed(deps, input),
    /** Ids of questions whose keys must not be shown to the learner now (in an attempt still open). */
    heldQuestionIds: async (input: { userId: string }) => [...(await heldQuestions(deps, input))],
    sweepOverdue: (options?: SweepOverdueOptions) => sweepOverdue(deps, options),
  };
}

export type AttemptsService = ReturnType<typeof attemptsService>;
