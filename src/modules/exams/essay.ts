// Essays (pure): an open answer the learner compares with the model answer, in practice only.
// Their self-assessment is never a score: graded attempts leave essays out of every mark,
// percentage and mastery, and it reaches review alone (docs/scoring.md).

/** Longest essay answer kept, in characters (a page or two of text). */
export const ESSAY_MAX = 10_000;

export const SELF_ASSESSMENTS = ["had", "partly", "missed"] as const;
export type SelfAssessment = (typeof SELF_ASSESSMENTS)[number];

export const SELF_ASSESSMENT_LABELS: Record<SelfAssessment, string> = {
  had: "I had it",
  partly: "Partly",
  missed: "Missed it",
};

export const isEssay = (type: string) => type === "essay";

/** The items grading marks: every one but essays, which are never scored. */
export const scoredItems = <T extends { version: { type: string } }>(items: T[]): T[] =>
  items.filter((item) => !isEssay(item.version.type));

/** How many learners assessed themselves each way (the item statistics of an essay); unknown values are left out. */
export function assessmentCounts(
  rows: { assessment: string; learners: number }[],
): Record<SelfAssessment, number> & { total: number } {
  const counts = { had: 0, partly: 0, missed: 0, total: 0 };
  for (const row of rows) {
    const known = SELF_ASSESSMENTS.find((v) => v === row.assessment);
    if (!known) continue;
    counts[known] += row.learners;
    counts.total += row.learners;
  }
  return counts;
}
