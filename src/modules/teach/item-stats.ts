// Classical item statistics for the instructor workspace (pure): how hard a question is, whether
// it separates stronger learners from weaker ones, and which options were picked. The input is one
// row per graded attempt that contained the question; nothing here reads the database or the clock.

/** One graded attempt's answer to the question under study. */
export type ItemResponse = {
  attemptId: string;
  /** This item's score, 0..1 (AttemptItem.score; partial credit allowed). */
  itemScore: number;
  /**
   * The attempt's total points: the sum of ALL its item scores, this item included, so a number
   * between itemScore and the attempt's question count. Not scorePercent and not a 0..1 fraction:
   * the rest score is attemptPoints - itemScore, which only means something in points. Sum
   * AttemptItem.score rather than rescaling scorePercent, which is rounded to 0.1%.
   */
  attemptPoints: number;
  /** Option ids chosen; null (or []) when unanswered, and always null for questions without options. */
  choice: string[] | null;
};

export type ItemFlag = "too-easy" | "too-hard" | "negative-discrimination" | "low-discrimination" | "few-responses";

export type ItemStats = {
  /** Every response counts, unanswered ones included (they score 0). */
  responses: number;
  /** Mean item score (the proportion correct for 0/1 items); null only when there are no responses. */
  facility: number | null;
  /**
   * Corrected point-biserial: Pearson's r between the item score x and the rest score
   * y = attemptPoints - itemScore, so the item is not correlated with itself:
   *   r = Σ(x - x̄)(y - ȳ) / √(Σ(x - x̄)² · Σ(y - ȳ)²)
   * For 0/1 items this equals (M₁ - M₀) / s_y · √(p·q), M₁ and M₀ the mean rest scores of those who
   * got it right and wrong, s_y the population standard deviation of y, p = facility, q = 1 - p.
   * Null below MIN_RESPONSES, or when x or y has zero variance (r is undefined, not 0).
   */
  discrimination: number | null;
  /**
   * Upper-lower index: facility of the top 27% by rest score minus facility of the bottom 27%,
   * groups of g = max(1, round(0.27·n)) responses. Responses tied on the rest score across a group
   * boundary share the remaining places equally (each counts with weight places/tied), so the
   * result does not depend on input order. Null below MIN_RESPONSES.
   */
  upperLower: number | null;
  /** Option id -> number of responses that chose it; options nobody chose are absent. */
  optionCounts: Record<string, number>;
  /** Responses with no option chosen (choice null or empty). */
  unanswered: number;
  flags: ItemFlag[];
};

/**
 * Below this many responses a correlation is mostly noise: only facility, the counts and the
 * "few-responses" flag are reported, and discrimination and upperLower are null.
 */
export const MIN_RESPONSES = 10;

/**
 * too-easy: facility > tooEasy; too-hard: facility < tooHard (strict, so 9 of 10 is not too easy
 * and 3 of 10 is not too hard); negative-discrimination: discrimination < 0; low-discrimination:
 * 0 <= discrimination < lowDiscrimination (Ebel's "poor item" band). The discrimination flags use
 * the corrected point-biserial only, and are absent when it is null.
 */
export const THRESHOLDS = { tooEasy: 0.9, tooHard: 0.3, lowDiscrimination: 0.2 };

const GROUP_FRACTION = 0.27;
/** Sums of partial scores carry binary rounding; differences below this are ties, not signal. */
const EPSILON = 1e-9;

export function itemStats(responses: ItemResponse[]): ItemStats {
  responses.forEach(checkResponse);
  const n = responses.length;
  const scores = responses.map((r) => r.itemScore);
  const restScores = responses.map((r) => r.attemptPoints - r.itemScore);
  const { optionCounts, unanswered } = countChoices(responses);
  const counts = { responses: n, optionCounts, unanswered };
  if (n < MIN_RESPONSES) {
    const facility = n === 0 ? null : mean(scores);
    return { ...counts, facility, discrimination: null, upperLower: null, flags: ["few-responses"] };
  }
  const facility = mean(scores);
  const discrimination = correlation(scores, restScores);
  const upperLower = upperLowerIndex(scores, restScores);
  return { ...counts, facility, discrimination, upperLower, flags: flagsFor(facility, discrimination) };
}

function checkResponse(r: ItemResponse): void {
  const valid =
    Number.isFinite(r.itemScore) &&
    Number.isFinite(r.attemptPoints) &&
    r.itemScore >= 0 &&
    r.itemScore <= 1 &&
    r.attemptPoints - r.itemScore >= -EPSILON;
  // attemptPoints below itemScore is the tell-tale of a fraction or a percent passed as points.
  if (!valid)
    throw new RangeError(`Attempt ${r.attemptId}: itemScore must be 0..1 and attemptPoints at least itemScore.`);
}

function countChoices(responses: ItemResponse[]) {
  const counts = new Map<string, number>();
  let unanswered = 0;
  for (const { choice } of responses) {
    if (!choice || choice.length === 0) {
      unanswered += 1;
      continue;
    }
    for (const optionId of new Set(choice)) counts.set(optionId, (counts.get(optionId) ?? 0) + 1);
  }
  // fromEntries makes own properties, so ids like "constructor" cannot collide with Object's.
  return { optionCounts: Object.fromEntries(counts) as Record<string, number>, unanswered };
}

function flagsFor(facility: number, discrimination: number | null): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (facility > THRESHOLDS.tooEasy) flags.push("too-easy");
  if (facility < THRESHOLDS.tooHard) flags.push("too-hard");
  if (discrimination !== null && discrimination < -EPSILON) flags.push("negative-discrimination");
  else if (discrimination !== null && discrimination < THRESHOLDS.lowDiscrimination) flags.push("low-discrimination");
  return flags;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

const isConstant = (values: number[]) => Math.max(...values) - Math.min(...values) <= EPSILON;

function correlation(xs: number[], ys: number[]): number | null {
  if (isConstant(xs) || isConstant(ys)) return null;
  const xMean = mean(xs);
  const yMean = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const dx = x - xMean;
    const dy = ys[i]! - yMean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  });
  return sxy / Math.sqrt(sxx * syy);
}

function upperLowerIndex(scores: number[], restScores: number[]): number {
  const groupSize = Math.max(1, Math.round(GROUP_FRACTION * scores.length));
  const blocks = tieBlocks(scores, restScores); // ascending by rest score
  const lower = groupFacility(blocks, groupSize);
  const upper = groupFacility([...blocks].reverse(), groupSize);
  return upper - lower;
}

/** Item scores grouped by equal rest score, in ascending rest-score order. */
function tieBlocks(scores: number[], restScores: number[]): number[][] {
  const order = scores.map((_, i) => i).sort((a, b) => restScores[a]! - restScores[b]!);
  const blocks: number[][] = [];
  let blockRest = Number.NaN;
  for (const i of order) {
    const rest = restScores[i]!;
    if (blocks.length > 0 && rest - blockRest <= EPSILON) blocks[blocks.length - 1]!.push(scores[i]!);
    else {
      blocks.push([scores[i]!]);
      blockRest = rest;
    }
  }
  return blocks;
}

/** Mean item score of the first groupSize responses, a boundary tie block counting fractionally. */
function groupFacility(blocks: number[][], groupSize: number): number {
  let places = groupSize;
  let total = 0;
  for (const block of blocks) {
    if (places <= 0) break;
    const taken = Math.min(places, block.length);
    total += taken * mean(block);
    places -= taken;
  }
  return total / groupSize;
}
