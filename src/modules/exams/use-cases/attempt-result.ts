// Use case: a submitted attempt's result (an overdue open one is submitted first).
import { topicTitles } from "../../banks";
import { resultItems, topicTitleMap } from "../attempts.repo";
import { isOverdue } from "../timer";
import type { AttemptsDeps } from "./deps";
import { heldQuestions } from "./held-questions";
import { ownAttempt } from "./own-attempt";
import { submitAttempt } from "./submit-attempt";

export type AttemptResultOptions = { attemptId: string; userId: string };

export async function attemptResult(deps: AttemptsDeps, input: AttemptResultOptions) {
  const { prisma, clock } = deps;
  let attempt = await ownAttempt(prisma, input.attemptId, input.userId);
  if (attempt.status === "open") {
    if (!isOverdue(attempt.deadlineAt, clock.now())) return { open: true as const };
    await submitAttempt(deps, { attemptId: attempt.id, by: "deadline" });
    attempt = await ownAttempt(prisma, input.attemptId, input.userId);
  }
  const items = await resultItems(prisma, attempt.id);
  const [stack] = attempt.stack ? await topicTitles(prisma, [attempt.stack]) : [];
  // Questions also in an attempt still open: their keys wait until it closes.
  const heldBack = await heldQuestions(deps, { userId: input.userId, exceptAttempt: attempt.id });
  const titles = await topicTitleMap(prisma, [
    ...items.map((i) => i.topicPath),
    ...attempt.topicBreakdown.map((t) => t.topicPath),
  ]);
  return {
    open: false as const,
    attempt,
    stackTitle: attempt.stack ? (stack?.title ?? attempt.stack) : null,
    topicTitles: titles,
    items: items.map((item) => ({ ...item, held: heldBack.has(item.questionVersion.questionId) })),
    now: clock.now(),
  };
}
