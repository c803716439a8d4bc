// Use case: how many cards are due now, for the navigation (one count per page view).
import { dueCountsByTopic } from "../review.repo";
import { heldBack, type ReviewDeps } from "./deps";

export type DueCountOptions = { userId: string };

export async function dueCount(deps: ReviewDeps, input: DueCountOptions): Promise<number> {
  const rows = await dueCountsByTopic(deps.prisma, input.userId, deps.clock.now(), await heldBack(deps, input.userId));
  return rows.reduce((sum, r) => sum + r.due, 0);
}
