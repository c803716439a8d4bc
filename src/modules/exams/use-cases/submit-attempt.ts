// Use case: grade and close an open attempt (by the learner, or at the deadline by the sweep).
import { retryingTransaction } from "../../../db";
import { NotFound } from "../../../errors";
import { matchPattern } from "../../banks";
import { attemptForGrading, lockAttempt, lockAttemptItems } from "../attempts.repo";
import { gradeResponse, scoreAttempt } from "../grading";
import type { AttemptsDeps, GradedAttempt } from "./deps";

export type SubmitAttemptOptions = {
  attemptId: string;
  /** The learner submitting; absent when the deadline submits it. */
  userId?: string;
  by: "learner" | "deadline";
};

/**
 * Grades and closes an open attempt; a submitted one is returned as it is (idempotent), so
 * the transaction may be retried whole after a deadlock or a wait for a connection.
 */
export async function submitAttempt(deps: AttemptsDeps, input: SubmitAttemptOptions) {
  const { prisma, clock } = deps;
  // Repeated posts (a double click, 50 at once) mostly arrive after the first has graded:
  // answer them from one read, without queueing for a transaction and the row lock.
  const current = await prisma.attempt.findUnique({ where: { id: input.attemptId } });
  if (!current || (input.userId && current.userId !== input.userId)) throw new NotFound("There is no such attempt.");
  if (current.status === "submitted") return current;
  return retryingTransaction(prisma, async (tx) => {
    const locked = await lockAttempt(tx, input.attemptId);
    if (!locked || (input.userId && locked.userId !== input.userId)) throw new NotFound("There is no such attempt.");
    if (locked.status === "submitted") return tx.attempt.findUniqueOrThrow({ where: { id: input.attemptId } });
    // Saves lock only the item they write: wait for those in flight, and make later ones
    // wait for this grading (which sets every score, so they are refused).
    await lockAttemptItems(tx, input.attemptId);
    const attempt = await attemptForGrading(tx, input.attemptId);
    const now = clock.now();
    const graded = attempt.items.map((item) => ({
      item,
      result: gradeResponse(item.version.type, item.version.body, item.response, {
        partialCredit: attempt.exam.partialCredit,
        matchPattern: deps.matchPattern ?? matchPattern,
      }),
    }));
    for (const { item, result } of graded) {
      await tx.attemptItem.update({ where: { id: item.id }, data: { correct: result.correct, score: result.score } });
    }
    const score = scoreAttempt(
      graded.map(({ item, result }) => ({ topicPath: item.topicPath.split("/")[0]!, result })),
      attempt.exam.passMarkPercent,
    );
    const gradedAttempt: GradedAttempt = {
      attemptId: attempt.id,
      userId: attempt.userId,
      at: now,
      items: graded.map(({ item, result }) => ({
        questionId: item.version.questionId,
        topicPath: item.topicPath,
        difficulty: item.version.difficulty,
        score: result.score,
        correct: result.correct,
        flagged: item.flagged,
      })),
    };
    for (const hook of deps.onGraded ?? []) await hook(tx, gradedAttempt);
    const end = input.by === "deadline" ? new Date(Math.min(now.getTime(), attempt.deadlineAt.getTime())) : now;
    return tx.attempt.update({
      where: { id: attempt.id },
      data: {
        status: "submitted",
        openKey: null,
        submittedAt: now,
        submittedBy: input.by,
        scorePercent: score.scorePercent,
        passed: score.passed,
        correctCount: score.correctCount,
        timeUsedSeconds: Math.max(0, Math.round((end.getTime() - attempt.startedAt.getTime()) / 1000)),
        topicBreakdown: score.byTopic,
      },
    });
  });
}
