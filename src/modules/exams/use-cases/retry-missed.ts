// Use case: a private quiz of the questions the learner missed (wrong or blank) in a submitted
// attempt, started at once. It shows no key: the keys appear on its own result, as always.
import { Conflict } from "../../../errors";
import { createQuestionQuiz, missedQuestionIds } from "../attempts.repo";
import type { AttemptsDeps } from "./deps";
import { ownAttempt } from "./own-attempt";
import { startAttempt } from "./start-attempt";

export type RetryMissedOptions = { attemptId: string; userId: string };

/** A minute and a half per question, at least five minutes. */
const minutesFor = (questions: number) => Math.max(5, Math.ceil(questions * 1.5));

export async function retryMissed(deps: AttemptsDeps, input: RetryMissedOptions) {
  const attempt = await ownAttempt(deps.prisma, input.attemptId, input.userId);
  if (attempt.status !== "submitted")
    throw new Conflict("Submit this attempt first: its missed questions are known then.");
  const questionIds = await missedQuestionIds(deps.prisma, attempt.id);
  if (questionIds.length === 0)
    throw new Conflict("You missed no question in this attempt: there is nothing to retry.");
  const exam = await createQuestionQuiz(deps.prisma, {
    userId: input.userId,
    title: `Retry: ${questionIds.length} missed in ${attempt.exam.title}`,
    questionIds,
    seconds: minutesFor(questionIds.length) * 60,
  });
  return startAttempt(deps, { examSlug: exam.slug, userId: input.userId });
}
