// Per-topic mastery (pure): a Beta belief about the chance of answering a medium-difficulty
// question of the topic correctly, updated in O(1) per graded answer inside the grading
// transaction, so a page view never replays history. The rules and their reasons are in
// docs/scoring.md; the constants below are the ones it quotes.

// Math's members are reached through module constants: in jest's vm context every lookup of a
// global goes through an interceptor (about 25 times slower), and the calibration simulation
// makes millions of these calls. In production it makes no difference.
const { LN2, PI, abs, exp, log, max, min, pow, sin, sqrt } = Math;

/** Stored per learner and topic: four numbers, enough to update and to read. */
export type MasteryState = {
  /** Prior plus (decayed, difficulty-weighted) evidence of right answers. */
  alpha: number;
  /** Prior plus (decayed, difficulty-weighted) evidence of wrong answers. */
  beta: number;
  /** Graded questions counted so far, undecayed, blanks included. */
  answers: number;
  /**
   * Of `answers`, questions left unanswered in a timed exam (absent: none). The minimum-answers
   * rule reads `answers - blanks`: a blank is evidence, but not an answer (`answeredCount`).
   */
  blanks?: number;
  /** Epoch ms of the newest answer counted; the evidence is decayed to this moment. */
  lastAt: number;
};

export type GradedAnswer = {
  /** 0..1: 1 right, 0 wrong, between for partial credit. */
  score: number;
  /** The question's difficulty, 1 (easy) .. 3 (hard); 2 is medium. */
  difficulty: number;
  /** Epoch ms when the answer was graded. */
  at: number;
  /**
   * Left unanswered in a timed exam: it scored 0 there, but counts as BLANK_EVIDENCE of a wrong
   * answer here (and `score` is ignored).
   */
  blank?: boolean;
};

export type MasteryEstimate = {
  /** Expected chance of a right answer on a medium question of the topic. */
  mean: number;
  sd: number;
  /** The central 90% interval of the belief. */
  low: number;
  high: number;
  answers: number;
};

/**
 * Beta(0.7, 0.3): worth one answer, centred on 70%, the mock exam's pass mark. One answer's
 * worth is weak enough that the five answers a full readiness estimate waits for outweigh it
 * five times over (the two of an early one, twice); centred on the pass mark, it pulls a topic with thin evidence toward the borderline and never
 * across it. (Beta(1, 1), centred on 50%, was tried: with evidence thinned by recency it read
 * learners as weaker than they were, and the simulation's calibration error rose from about
 * 0.02 to 0.20-0.26; docs/scoring.md.)
 */
export const PRIOR = { alpha: 0.7, beta: 0.3 } as const;

/**
 * Evidence loses half its weight every 14 days, so a topic reads as it stands now. Learners
 * improve while they practise and a longer memory lags behind them: in the simulation with
 * learning, the calibration error was 0.017 at 14 days and 0.032 at 30 (0.056 and 0.083 for fast
 * learners); without learning, 30 days is a little sharper (Brier 0.104 against 0.108).
 */
export const HALF_LIFE_DAYS = 14;
const HALF_LIFE_MS = HALF_LIFE_DAYS * 24 * 60 * 60 * 1000;

/**
 * Log-odds between adjacent difficulty levels: the odds of a right answer on a hard question are
 * half those on a medium one (and on an easy question, double). A starting value until item
 * statistics measure it.
 */
export const DIFFICULTY_STEP = LN2;

/**
 * A question left blank in a timed exam counts as half a wrong answer. A blank is often time
 * running out or a question skipped to come back to, not a wrong belief; but learners skip more
 * of what they do not know, so it is not nothing either. Half keeps an abandoned exam from
 * sinking a topic (a wrong answer is evidence of a wrong answer; a blank, of not getting to it)
 * while a topic left blank again and again still falls. docs/scoring.md.
 */
export const BLANK_EVIDENCE = 0.5;

/** The central interval masteryEstimate reports. */
export const INTERVAL = 0.9;

export function initialMastery(): MasteryState {
  return { alpha: PRIOR.alpha, beta: PRIOR.beta, answers: 0, lastAt: 0 };
}

function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/** Weight left to evidence that is `ms` old. */
const decayFactor = (ms: number) => pow(0.5, max(0, ms) / HALF_LIFE_MS);

/** The state as it stands at `at`: older evidence faded toward the prior. Later `at` only. */
export function decayTo(state: MasteryState, at: number): MasteryState {
  if (state.answers === 0 || at <= state.lastAt) return state;
  const keep = decayFactor(at - state.lastAt);
  return {
    ...state,
    alpha: PRIOR.alpha + keep * (state.alpha - PRIOR.alpha),
    beta: PRIOR.beta + keep * (state.beta - PRIOR.beta),
    lastAt: at,
  };
}

/** Log-odds offset of a difficulty (1..3, clamped) from medium. */
const offsetOf = (difficulty: number) => (min(3, max(1, difficulty)) - 2) * DIFFICULTY_STEP;

/** How a difficulty divides the odds of a right answer: 2 for hard, 1 for medium, 0.5 for easy. */
export const oddsDivisor = (difficulty: number) => exp(offsetOf(difficulty));

/** The chance of a right answer at a difficulty for a mastery (medium-question chance) p. */
export function chanceAt(mastery: number, difficulty: number): number {
  return mastery / (mastery + (1 - mastery) * oddsDivisor(difficulty));
}

/** Questions actually answered (blanks left out): what the minimum-answers rule counts. */
export const answeredCount = (state: MasteryState) => state.answers - (state.blanks ?? 0);

/**
 * Adds one graded answer. A right answer counts e^(offset/2) right answers (1.41 on a hard
 * question, 0.71 on an easy one) and a wrong answer e^(-offset/2) wrong answers (1.41 on an easy
 * question). Under the odds model of `chanceAt` this keeps alpha/beta an unbiased reading of
 * the medium-question odds whatever mix of difficulties a learner happens to practise. A blank
 * adds BLANK_EVIDENCE of a wrong answer at its difficulty (0.5 on a medium question) and nothing
 * to alpha. O(1); order-independent: an answer older than the state is decayed itself instead.
 */
export function updateMastery(state: MasteryState, answer: GradedAnswer): MasteryState {
  assertFinite("score", answer.score);
  assertFinite("difficulty", answer.difficulty);
  assertFinite("at", answer.at);
  const blank = answer.blank === true;
  const score = blank ? 0 : min(1, max(0, answer.score));
  const wrong = blank ? BLANK_EVIDENCE : 1 - score;
  const half = offsetOf(answer.difficulty) / 2;
  const current = decayTo(state, answer.at);
  const weight = state.answers === 0 ? 1 : decayFactor(current.lastAt - answer.at);
  const blanks = (state.blanks ?? 0) + (blank ? 1 : 0);
  return {
    alpha: current.alpha + weight * score * exp(half),
    beta: current.beta + weight * wrong * exp(-half),
    answers: current.answers + 1,
    ...(blanks > 0 ? { blanks } : {}),
    lastAt: state.answers === 0 ? answer.at : max(current.lastAt, answer.at),
  };
}

/** The belief as numbers to show; with `now`, decayed to that moment first. */
export function masteryEstimate(state: MasteryState, now?: number): MasteryEstimate {
  const { alpha, beta, answers } = now === undefined ? state : decayTo(state, now);
  const total = alpha + beta;
  const tail = (1 - INTERVAL) / 2;
  return {
    mean: alpha / total,
    sd: sqrt((alpha * beta) / (total * total * (total + 1))),
    low: betaQuantile(tail, alpha, beta),
    high: betaQuantile(1 - tail, alpha, beta),
    answers,
  };
}

// --- The Beta distribution's quantile (no library has it here) ---------------------------------

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return log(PI / sin(PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i += 1) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * log(2 * PI) + (z + 0.5) * log(t) - t + log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m += 1) {
    const m2 = 2 * m;
    for (const numerator of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (abs(d * c - 1) < 1e-12) break;
  }
  return h;
}

/** ln(1 / B(a, b)): the Beta density's normalising constant, in logs. */
const logNormOf = (a: number, b: number) => logGamma(a + b) - logGamma(a) - logGamma(b);

function cdfWith(x: number, a: number, b: number, logNorm: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = exp(logNorm + a * log(x) + b * log(1 - x));
  // The fraction converges fast on the side of the mean; use the symmetry on the other side.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(X <= x) for X ~ Beta(a, b). */
export const betaCdf = (x: number, a: number, b: number) => cdfWith(x, a, b, logNormOf(a, b));

/**
 * The q-quantile of Beta(a, b): Newton steps on the CDF, kept inside a bracket that shrinks
 * every step (a bisection whenever Newton would leave it), until the CDF is within 1e-10 of q.
 */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  const logNorm = logNormOf(a, b);
  let low = 0;
  let high = 1;
  let x = a / (a + b);
  for (let step = 0; step < 100 && high - low > 1e-12; step += 1) {
    const error = cdfWith(x, a, b, logNorm) - q;
    if (abs(error) < 1e-10) break;
    if (error < 0) low = x;
    else high = x;
    const next = x - error / exp(logNorm + (a - 1) * log(x) + (b - 1) * log(1 - x));
    x = next > low && next < high ? next : (low + high) / 2;
  }
  return x;
}
