// Use case: the learner's daily limits (new cards introduced, reviews), as in Anki's deck options.
import { Invalid } from "../../../errors";
import type { ReviewDeps } from "./deps";

export const NEW_CARDS_MAX = 500;
export const REVIEWS_MAX = 9999;

export type SetDailyLimitsOptions = { userId: string; newCards: number; reviews: number };

export async function setDailyLimits(deps: ReviewDeps, input: SetDailyLimitsOptions): Promise<void> {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;
  if (!ok(input.newCards, NEW_CARDS_MAX) || !ok(input.reviews, REVIEWS_MAX))
    throw new Invalid("Daily limits are whole numbers from 0.");
  await deps.preferences.setDailyLimits(input);
}
