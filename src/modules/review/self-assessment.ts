// What a practice essay's self-assessment does to its review card (pure). Not a score: the
// learner's own judgement of their recall, which is what a flashcard rating is anyway.
import type { RatingValue } from "./scheduler";

export type SelfAssessmentValue = "had" | "partly" | "missed";

/**
 * "Missed it" and "Partly" make a card, as a missed question does; on a card that exists they
 * are graded Again and Hard. "I had it" makes no card (nothing was missed) and is a Good
 * recall on a card that exists.
 */
export function selfAssessmentEffect(
  assessment: SelfAssessmentValue,
  cardExists: boolean,
): { kind: "none" } | { kind: "create" } | { kind: "grade"; rating: RatingValue } {
  if (!cardExists) return assessment === "had" ? { kind: "none" } : { kind: "create" };
  return { kind: "grade", rating: assessment === "had" ? 3 : assessment === "partly" ? 2 : 1 };
}
