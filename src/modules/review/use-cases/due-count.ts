// Use case: how many cards are due now, for the navigation (one count per page view).
import { anyDue, dueCountsByTopic } from "../review.repo";
import { heldBack, type ReviewDeps } from "./deps";

export type DueCountOptions = { userId: string };

export async function dueCount(deps: ReviewDeps, input: DueCountOptions): Promise<number> {
  // What is held back or out of reach only takes cards away: with nothing due before it is
  // left out, nothing is due after (one indexed read, where the full count takes five).
  const now = deps.clock.now();
  if (!(await anyDue(deps.prisma, input.userId, now))) return 0;
  const rows = await dueCountsByTopic(deps.prisma, input.userId, now, await heldBack(deps, input.userId));
  return rows.reduce((sum, r) => sum + r.due, 0);
}
