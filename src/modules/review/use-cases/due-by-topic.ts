// Use case: cards due now per top-level topic (for the dashboard and the review page).
import { dueCountsByTopic } from "../review.repo";
import { heldBack, type ReviewDeps } from "./deps";

export type DueByTopicOptions = { userId: string };

export async function dueByTopic(
  deps: ReviewDeps,
  input: DueByTopicOptions,
): Promise<{ topic: string; due: number }[]> {
  return dueCountsByTopic(deps.prisma, input.userId, deps.clock.now(), await heldBack(deps, input.userId));
}
