// Readiness (pure): the predicted mock-exam score and the chance of reaching the pass mark,
// from the exam's blueprint and the learner's per-topic mastery. The score distribution is
// computed exactly from the mastery beliefs (no sampling noise in pPass); the seeded rng only
// draws masteries for the interval around pPass, so the same inputs and seed give the same
// figures. docs/scoring.md explains it in plain words.
import { allocate, type Rng } from "../exams";
import { answeredCount, decayTo, masteryEstimate, oddsDivisor, type MasteryState } from "./mastery";

// Math's members are reached through module constants: in jest's vm context every lookup of a
// global goes through an interceptor (about 25 times slower), and the calibration simulation
// makes millions of these calls. In production it makes no difference.
const { SQRT2, abs, exp, floor, log, log1p, max, min, round, sqrt } = Math;

/**
 * From five answered questions in every topic the exam draws from, readiness is an estimate
 * ("ready"). Five answers outweigh the prior five times over, and the calibration simulation
 * (5-20 answers per topic) vouches for five and up.
 */
export const MIN_ANSWERS_PER_TOPIC = 5;

/**
 * From two answered questions in every drawn topic (what the diagnostic gives), readiness is a
 * first estimate, "early": the same computation, whose ranges are wide because the evidence is
 * thin; it is shown as early until every topic has MIN_ANSWERS_PER_TOPIC. Below two in any
 * topic, "not enough data yet": one answer is no more than the prior's worth.
 */
export const EARLY_ANSWERS_PER_TOPIC = 2;

/** Mastery draws for the pPass interval: its ends then vary by about 0.01 from seed to seed. */
export const DEFAULT_SAMPLES = 2000;

/** Share of exam questions per difficulty: the shipped banks' mix (295 / 454 / 245 of 994). */
export const DEFAULT_DIFFICULTY_MIX: Readonly<Record<1 | 2 | 3, number>> = { 1: 0.3, 2: 0.45, 3: 0.25 };

export type ReadinessInput = {
  /** Topic -> weight, as in the exam definition. */
  blueprint: Record<string, number>;
  questionCount: number;
  passMarkPercent: number;
  topics: Record<string, MasteryState | undefined>;
  rng: Rng;
  /** Mastery draws for the pPass interval; default DEFAULT_SAMPLES. */
  samples?: number;
  /** Epoch ms to read the mastery at (evidence decays until then); default: as stored. */
  now?: number;
  /** Share of the exam's questions at each difficulty; default DEFAULT_DIFFICULTY_MIX. */
  difficultyMix?: Readonly<Record<1 | 2 | 3, number>>;
};

export type TopicReadiness = { topic: string; weight: number; count: number; mean: number; low: number; high: number };

export type Readiness =
  /** `missingTopics`: those with fewer than EARLY_ANSWERS_PER_TOPIC answers, in blueprint order. */
  | { status: "not-enough-data"; missingTopics: string[] }
  | {
      /**
       * "early" while some topic has fewer than MIN_ANSWERS_PER_TOPIC answers (those are
       * `missingTopics`, in blueprint order); "ready" (and `missingTopics` empty) after.
       */
      status: "early" | "ready";
      missingTopics: string[];
      /** Expected score, in percent. */
      predictedPercent: number;
      /** 90% prediction interval of one sitting's score (what we know of you, and the luck of the draw). */
      predictedLow: number;
      predictedHigh: number;
      /** Chance of reaching the pass mark in one sitting. */
      pPass: number;
      /** 90% interval of the pass chance your true mastery would give: what more answers could reveal. */
      pPassLow: number;
      pPassHigh: number;
      /** The topics the exam draws from, in blueprint order. */
      byTopic: TopicReadiness[];
    };

/** The score percent the exam shows: one decimal, as grading rounds it. */
const percentOf = (correct: number, total: number) => round((1000 * correct) / total) / 10;

/** The fewest right answers of `total` whose shown percent reaches the pass mark. */
function passingCount(total: number, passMarkPercent: number): number {
  for (let correct = 0; correct <= total; correct += 1) {
    if (percentOf(correct, total) >= passMarkPercent) return correct;
  }
  return total + 1;
}

/** Φ(x), the standard normal CDF (Abramowitz-Stegun 7.1.26 erf; error below 1.5e-7). */
function normalCdf(x: number): number {
  const z = abs(x) / SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** ψ(x) and ψ'(x) for x > 0: the recurrence up to x >= 6, then the asymptotic series. */
function digammas(x: number): { di: number; tri: number } {
  let di = 0;
  let tri = 0;
  let z = x;
  for (; z < 6; z += 1) {
    di -= 1 / z;
    tri += 1 / (z * z);
  }
  const r = 1 / z;
  const r2 = r * r;
  di += log(z) - 0.5 * r - r2 * (1 / 12 - r2 * (1 / 120 - r2 / 252));
  tri += r + 0.5 * r2 + r * r2 * (1 / 6 - r2 * (1 / 30 - r2 / 42));
  return { di, tri };
}

const GRID = 64;
const TABLE = 256;

type Level = { share: number; divisor: number };

/**
 * A topic's belief as a grid over the log-odds y = ln(p / (1 - p)), where the Beta density is
 * smooth and bounded whatever its shape (on p it is infinite at 0 or 1 when a parameter is
 * below 1): GRID cells over the log-odds mean ± 8 sd, each with its probability and the chance
 * of a right answer on an exam question there (averaged over the difficulty mix); and a table
 * of that chance at TABLE evenly spaced quantiles, for drawing.
 */
function beliefGrid(state: MasteryState, levels: readonly Level[]) {
  const { alpha, beta } = state;
  const a = digammas(alpha);
  const b = digammas(beta);
  const spread = sqrt(a.tri + b.tri);
  const from = a.di - b.di - 8 * spread;
  const width = (16 * spread) / GRID;
  const weight = new Float64Array(GRID);
  const chance = new Float64Array(GRID);
  let top = -Infinity;
  for (let j = 0; j < GRID; j += 1) {
    const y = from + (j + 0.5) * width;
    // ln p and ln(1 - p), written to stay finite for large |y|.
    const logP = y > 0 ? -log1p(exp(-y)) : y - log1p(exp(y));
    const logDensity = alpha * logP + beta * (logP - y); // the Beta density on y, up to a constant
    weight[j] = logDensity;
    top = max(top, logDensity);
    const p = exp(logP);
    for (const { share, divisor } of levels) chance[j]! += (share * p) / (p + (1 - p) * divisor);
  }
  let sum = 0;
  for (let j = 0; j < GRID; j += 1) {
    const w = exp(weight[j]! - top);
    weight[j] = w;
    sum += w;
  }
  const table = new Float64Array(TABLE);
  let cell = 0;
  let below = 0;
  for (let j = 0; j < GRID; j += 1) weight[j]! /= sum;
  for (let i = 0; i < TABLE; i += 1) {
    const quantile = (i + 0.5) / TABLE;
    while (cell < GRID - 1 && below + weight[cell]! < quantile) below += weight[cell++]!;
    table[i] = chance[cell]!;
  }
  return { weight, chance, table };
}

type Grid = ReturnType<typeof beliefGrid>;

/** P(k right of n) for each k, averaged over the belief: the topic's score distribution. */
function topicScores(grid: Grid, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  const logChoose = new Float64Array(n + 1);
  for (let k = 1; k <= n; k += 1) logChoose[k] = logChoose[k - 1]! + log((n - k + 1) / k);
  for (let j = 0; j < GRID; j += 1) {
    const w = grid.weight[j]!;
    if (w < 1e-15) continue;
    const logRight = log(grid.chance[j]!);
    const logWrong = log1p(-grid.chance[j]!);
    for (let k = 0; k <= n; k += 1) out[k]! += w * exp(logChoose[k]! + k * logRight + (n - k) * logWrong);
  }
  return out;
}

function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < b.length; j += 1) out[i + j]! += a[i]! * b[j]!;
  }
  return out;
}

function assertInput(input: ReadinessInput, samples: number, mixTotal: number): void {
  if (!Number.isInteger(input.questionCount) || input.questionCount < 1)
    throw new RangeError(`questionCount must be a whole number >= 1, got ${input.questionCount}`);
  if (!(input.passMarkPercent >= 0 && input.passMarkPercent <= 100))
    throw new RangeError(`passMarkPercent must be within 0..100, got ${input.passMarkPercent}`);
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`samples must be a whole number >= 1, got ${samples}`);
  if (!(mixTotal > 0 && Number.isFinite(mixTotal)))
    throw new RangeError("difficultyMix needs shares >= 0 with a positive sum");
}

/** The k-distribution's q-quantile, as the percent the exam would show. */
function percentAt(scores: Float64Array, q: number): number {
  const total = scores.length - 1;
  let seen = 0;
  for (let k = 0; k <= total; k += 1) {
    seen += scores[k]!;
    if (seen >= q) return percentOf(k, total);
  }
  return 100;
}

/**
 * How far the pass chance could move if the true mastery were known: draw a mastery per topic
 * from its belief, take that draw's pass chance (normal approximation to the sum of the topics'
 * binomials, continuity-corrected), and report the 5% and 95% points over the draws.
 */
function passChanceInterval(grids: Grid[], counts: number[], needed: number, samples: number, rng: Rng) {
  const chances = new Float64Array(samples);
  for (let i = 0; i < samples; i += 1) {
    let mean = 0;
    let variance = 0;
    for (let t = 0; t < grids.length; t += 1) {
      const p = grids[t]!.table[min(TABLE - 1, floor(rng() * TABLE))]!;
      mean += counts[t]! * p;
      variance += counts[t]! * p * (1 - p);
    }
    chances[i] = variance > 0 ? normalCdf((mean - needed + 0.5) / sqrt(variance)) : mean >= needed ? 1 : 0;
  }
  chances.sort();
  const at = (q: number) => chances[min(samples - 1, floor(q * samples))]!;
  return { low: at(0.05), high: at(0.95) };
}

export function readiness(input: ReadinessInput): Readiness {
  const samples = input.samples ?? DEFAULT_SAMPLES;
  const mix = input.difficultyMix ?? DEFAULT_DIFFICULTY_MIX;
  const mixTotal = mix[1] + mix[2] + mix[3];
  assertInput(input, samples, mixTotal);
  const allocated = allocate(input.questionCount, input.blueprint);
  const drawn = Object.keys(input.blueprint).filter((topic) => (allocated[topic] ?? 0) > 0);
  const answered = (topic: string) => {
    const state = input.topics[topic];
    return state ? answeredCount(state) : 0;
  };
  const tooFew = drawn.filter((topic) => answered(topic) < EARLY_ANSWERS_PER_TOPIC);
  if (tooFew.length > 0) return { status: "not-enough-data", missingTopics: tooFew };
  const missingTopics = drawn.filter((topic) => answered(topic) < MIN_ANSWERS_PER_TOPIC);

  const states = drawn.map((topic) => {
    const state = input.topics[topic]!;
    return input.now === undefined ? state : decayTo(state, input.now);
  });
  const levels = ([1, 2, 3] as const).map((level) => ({ share: mix[level] / mixTotal, divisor: oddsDivisor(level) }));
  const grids = states.map((state) => beliefGrid(state, levels));
  const counts = drawn.map((topic) => allocated[topic]!);
  const needed = passingCount(input.questionCount, input.passMarkPercent);

  // Exact given the beliefs: the exam score's distribution is the sum of the topics' scores.
  const scores = grids.reduce<Float64Array>(
    (sum, grid, t) => convolve(sum, topicScores(grid, counts[t]!)),
    new Float64Array([1]),
  );
  let expected = 0;
  grids.forEach((grid, t) => {
    for (let j = 0; j < GRID; j += 1) expected += counts[t]! * grid.weight[j]! * grid.chance[j]!;
  });
  let pPass = 0;
  for (let k = needed; k < scores.length; k += 1) pPass += scores[k]!;
  const clampedPass = min(1, max(0, pPass));
  const interval = passChanceInterval(grids, counts, needed, samples, input.rng);

  return {
    status: missingTopics.length > 0 ? "early" : "ready",
    missingTopics,
    predictedPercent: (100 * expected) / input.questionCount,
    predictedLow: percentAt(scores, 0.05),
    predictedHigh: percentAt(scores, 0.95),
    pPass: clampedPass,
    // The interval is drawn, pPass exact: widen the interval to hold it in the rare lopsided case.
    pPassLow: min(interval.low, clampedPass),
    pPassHigh: max(interval.high, clampedPass),
    byTopic: drawn.map((topic, t) => {
      const { mean, low, high } = masteryEstimate(states[t]!);
      return { topic, weight: input.blueprint[topic]!, count: counts[t]!, mean, low, high };
    }),
  };
}

/** The stored columns of a readiness result (readiness_snapshots), whatever its status. */
export function snapshotFields(result: Readiness) {
  return result.status === "not-enough-data"
    ? { status: result.status, missingTopics: result.missingTopics }
    : {
        status: result.status,
        predictedPercent: result.predictedPercent,
        predictedLow: result.predictedLow,
        predictedHigh: result.predictedHigh,
        pPass: result.pPass,
        pPassLow: result.pPassLow,
        pPassHigh: result.pPassHigh,
        missingTopics: result.missingTopics,
      };
}
