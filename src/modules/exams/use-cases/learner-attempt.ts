// Use case: a learner's submitted attempt as their instructor (or an admin) reads it, from a
// class's gradebook: read-only, keys and explanations shown, whatever the exam's review policy
// (the attempt is submitted, so nothing is given away). An open attempt, or one of a learner
// the actor does not teach for that exam, is to them not there.
import type { Actor } from "../../../actor";
import { NotFound } from "../../../errors";
import { topicTitles } from "../../banks";
import { attemptWithExam, resultItems, topicTitleMap } from "../attempts.repo";
import { teachesAttempt } from "../exam-access";
import { authorizeLearnerAttempt } from "../exams.policy";
import type { AttemptsDeps } from "./deps";

export type LearnerAttemptOptions = { actor: Actor; attemptId: string };

export async function learnerAttempt(deps: AttemptsDeps, input: LearnerAttemptOptions) {
  const { prisma } = deps;
  const attempt = await attemptWithExam(prisma, input.attemptId);
  if (!attempt) throw new NotFound("There is no such attempt.");
  // Its own learner reads it on the result page, under the exam's review policy.
  if (attempt.userId === input.actor.id) return { own: true as const };
  const teachesIt =
    input.actor.role === "instructor" &&
    attempt.status === "submitted" &&
    (await teachesAttempt(prisma, input.actor.id, attempt));
  authorizeLearnerAttempt(input.actor, attempt, teachesIt);
  const [items, learner, stack] = await Promise.all([
    resultItems(prisma, attempt.id),
    prisma.attempt.findUniqueOrThrow({
      where: { id: attempt.id },
      select: { user: { select: { displayName: true, email: true } } },
    }),
    attempt.stack ? topicTitles(prisma, [attempt.stack]) : Promise.resolve([]),
  ]);
  const titles = await topicTitleMap(prisma, [
    ...items.map((i) => i.topicPath),
    ...attempt.topicBreakdown.map((t) => t.topicPath),
  ]);
  return {
    own: false as const,
    attempt,
    learner: learner.user,
    stackTitle: attempt.stack ? (stack[0]?.title ?? attempt.stack) : null,
    topicTitles: titles,
    items: items.map((item) => ({ ...item, held: false })),
  };
}
