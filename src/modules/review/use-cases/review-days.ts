// Use case: when the learner graded cards since a moment (for the home page's activity map).
import { reviewTimes } from "../review.repo";
import type { ReviewDeps } from "./deps";

export type ReviewDaysOptions = { userId: string; since: Date };

export function reviewDays(deps: ReviewDeps, input: ReviewDaysOptions): Promise<Date[]> {
  return reviewTimes(deps.prisma, input.userId, input.since);
}
