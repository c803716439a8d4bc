import { createRng, shuffle } from "../../../src/modules/exams/rng";
import {
  answeredCount,
  BLANK_EVIDENCE,
  betaCdf,
  betaQuantile,
  chanceAt,
  decayTo,
  HALF_LIFE_DAYS,
  initialMastery,
  masteryEstimate,
  PRIOR,
  updateMastery,
  type GradedAnswer,
  type MasteryState,
} from "../../../src/modules/progress/mastery";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

const replay = (answers: GradedAnswer[], from: MasteryState = initialMastery()) =>
  answers.reduce((state, answer) => updateMastery(state, answer), from);

/** n answers on one day, a share `rate` of them right (right ones first). */
const steady = (n: number, rate: number, difficulty = 2, at = T0): GradedAnswer[] =>
  Array.from({ length: n }, (_, i) => ({ score: i < Math.round(n * rate) ? 1 : 0, difficulty, at }));

const width = (state: MasteryState) => {
  const { low, high } = masteryEstimate(state);
  return high - low;
};

describe("initialMastery", () => {
  it("is the weak prior: worth one answer, centred on 70%, no answers, and says it knows little", () => {
    const state = initialMastery();
    expect(state).toEqual({ alpha: 0.7, beta: 0.3, answers: 0, lastAt: 0 });
    expect(PRIOR.alpha + PRIOR.beta).toBe(1);
    const estimate = masteryEstimate(state);
    expect(estimate.mean).toBeCloseTo(0.7, 10);
    expect(estimate.answers).toBe(0);
    expect(estimate.low).toBeLessThan(0.1);
    expect(estimate.high).toBeGreaterThan(0.99);
  });
});

describe("updateMastery", () => {
  it("adds a right medium answer to alpha and a wrong one to beta, one each", () => {
    const right = updateMastery(initialMastery(), { score: 1, difficulty: 2, at: T0 });
    expect(right).toEqual({ alpha: 1.7, beta: 0.3, answers: 1, lastAt: T0 });
    const wrong = updateMastery(initialMastery(), { score: 0, difficulty: 2, at: T0 });
    expect(wrong).toEqual({ alpha: 0.7, beta: 1.3, answers: 1, lastAt: T0 });
  });

  it("moves the estimate up with a right answer, down with a wrong one, and in between for partial credit", () => {
    const before = replay(steady(6, 0.5)); // mean (0.7 + 3) / 7
    const after = (score: number) => masteryEstimate(updateMastery(before, { score, difficulty: 2, at: T0 })).mean;
    const mean = masteryEstimate(before).mean;
    expect(after(1)).toBeGreaterThan(mean);
    expect(after(0)).toBeLessThan(mean);
    expect(after(0.5)).toBeGreaterThan(after(0));
    expect(after(0.5)).toBeLessThan(after(1));
  });

  it("weighs difficulty: a right hard answer counts √2 right answers, a right easy one 1/√2; wrong ones the other way round", () => {
    const prior = initialMastery();
    const at = (score: number, difficulty: number) => updateMastery(prior, { score, difficulty, at: T0 });
    expect(at(1, 3).alpha - PRIOR.alpha).toBeCloseTo(Math.SQRT2, 12);
    expect(at(1, 1).alpha - PRIOR.alpha).toBeCloseTo(Math.SQRT1_2, 12);
    expect(at(0, 1).beta - PRIOR.beta).toBeCloseTo(Math.SQRT2, 12);
    expect(at(0, 3).beta - PRIOR.beta).toBeCloseTo(Math.SQRT1_2, 12);
    const mean = (s: MasteryState) => masteryEstimate(s).mean;
    expect(mean(at(1, 3))).toBeGreaterThan(mean(at(1, 2)));
    expect(mean(at(1, 2))).toBeGreaterThan(mean(at(1, 1)));
    expect(mean(at(0, 1))).toBeLessThan(mean(at(0, 2)));
    expect(mean(at(0, 2))).toBeLessThan(mean(at(0, 3)));
  });

  it("reads the same medium-question mastery whatever difficulty a learner practises at", () => {
    // A learner with a 75% chance on medium questions scores chanceAt(0.75, d) on average at
    // difficulty d: 60% on hard, 85.7% on easy. Feeding those averages as partial credit, the
    // estimate comes back to 75% at every difficulty (the raw percent correct would not).
    for (const difficulty of [1, 2, 3]) {
      const expected = chanceAt(0.75, difficulty);
      const state = replay(Array.from({ length: 2000 }, () => ({ score: expected, difficulty, at: T0 })));
      expect(masteryEstimate(state).mean).toBeCloseTo(0.75, 3);
    }
    expect(chanceAt(0.75, 3)).toBeCloseTo(0.6, 10);
    expect(chanceAt(0.5, 3)).toBeCloseTo(1 / 3, 10);
    expect(chanceAt(0.5, 1)).toBeCloseTo(2 / 3, 10);
  });

  it("clamps a difficulty outside 1..3 and a score outside 0..1, and rejects non-numbers", () => {
    const prior = initialMastery();
    expect(updateMastery(prior, { score: 1, difficulty: 7, at: T0 })).toEqual(
      updateMastery(prior, { score: 1, difficulty: 3, at: T0 }),
    );
    expect(updateMastery(prior, { score: 1.5, difficulty: 2, at: T0 })).toEqual(
      updateMastery(prior, { score: 1, difficulty: 2, at: T0 }),
    );
    expect(() => updateMastery(prior, { score: Number.NaN, difficulty: 2, at: T0 })).toThrow(RangeError);
    expect(() => updateMastery(prior, { score: 1, difficulty: Number.NaN, at: T0 })).toThrow(RangeError);
    expect(() => updateMastery(prior, { score: 1, difficulty: 2, at: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it("counts every answer and keeps the newest time", () => {
    const state = replay([
      { score: 1, difficulty: 2, at: T0 + 5 * DAY },
      { score: 0, difficulty: 2, at: T0 },
    ]);
    expect(state.answers).toBe(2);
    expect(state.lastAt).toBe(T0 + 5 * DAY);
  });
});

describe("a question left blank in a timed exam", () => {
  it(`adds ${BLANK_EVIDENCE} of a wrong answer to beta, nothing to alpha, and counts as a blank, not an answer`, () => {
    expect(BLANK_EVIDENCE).toBe(0.5);
    const blank = updateMastery(initialMastery(), { score: 0, difficulty: 2, at: T0, blank: true });
    expect(blank).toEqual({ alpha: 0.7, beta: 0.8, answers: 1, blanks: 1, lastAt: T0 });
    expect(answeredCount(blank)).toBe(0);
    // Whatever score came with it: a blank has none.
    expect(updateMastery(initialMastery(), { score: 1, difficulty: 2, at: T0, blank: true })).toEqual(blank);
    const then = updateMastery(blank, { score: 1, difficulty: 2, at: T0 });
    expect(then).toEqual({ alpha: 1.7, beta: 0.8, answers: 2, blanks: 1, lastAt: T0 });
    expect(answeredCount(then)).toBe(1);
  });

  it("weighs a blank by difficulty as a wrong answer is, at half its weight", () => {
    const wrongEasy = updateMastery(initialMastery(), { score: 0, difficulty: 1, at: T0 });
    const blankEasy = updateMastery(initialMastery(), { score: 0, difficulty: 1, at: T0, blank: true });
    expect(blankEasy.beta - 0.3).toBeCloseTo((wrongEasy.beta - 0.3) * BLANK_EVIDENCE, 12);
    const blankHard = updateMastery(initialMastery(), { score: 0, difficulty: 3, at: T0, blank: true });
    expect(blankHard.beta - 0.3).toBeCloseTo(Math.SQRT1_2 * BLANK_EVIDENCE, 12);
  });

  it("lowers mastery less than a wrong answer, and more than nothing", () => {
    const before = replay(steady(6, 0.5));
    const mean = (state: MasteryState) => masteryEstimate(state).mean;
    const wrong = updateMastery(before, { score: 0, difficulty: 2, at: T0 });
    const blank = updateMastery(before, { score: 0, difficulty: 2, at: T0, blank: true });
    expect(mean(blank)).toBeLessThan(mean(before));
    expect(mean(blank)).toBeGreaterThan(mean(wrong));
    // Two blanks weigh what one wrong answer does.
    const twoBlanks = updateMastery(blank, { score: 0, difficulty: 2, at: T0, blank: true });
    expect(mean(twoBlanks)).toBeCloseTo(mean(wrong), 12);
  });

  it("decays like any evidence and keeps its count, in any order", () => {
    const answers: GradedAnswer[] = [
      { score: 1, difficulty: 2, at: T0 },
      { score: 0, difficulty: 3, at: T0 + 3 * DAY, blank: true },
      { score: 0, difficulty: 1, at: T0 + 9 * DAY },
      { score: 0, difficulty: 2, at: T0 + 20 * DAY, blank: true },
    ];
    const inOrder = replay(answers);
    const reversed = replay([...answers].reverse());
    expect(reversed.alpha).toBeCloseTo(inOrder.alpha, 12);
    expect(reversed.beta).toBeCloseTo(inOrder.beta, 12);
    expect({ answers: reversed.answers, blanks: reversed.blanks }).toEqual({ answers: 4, blanks: 2 });
    const later = decayTo(inOrder, T0 + 60 * DAY);
    expect(later.blanks).toBe(2);
    expect(later.beta).toBeLessThan(inOrder.beta);
  });
});

describe("recency", () => {
  it(`halves old evidence every ${HALF_LIFE_DAYS} days, toward the prior`, () => {
    const state = replay(steady(10, 0.8)); // evidence: 8 right, 2 wrong
    const later = decayTo(state, T0 + HALF_LIFE_DAYS * DAY);
    expect(later.alpha - PRIOR.alpha).toBeCloseTo(4, 10);
    expect(later.beta - PRIOR.beta).toBeCloseTo(1, 10);
    expect(later.answers).toBe(10);
    const muchLater = decayTo(state, T0 + 20 * HALF_LIFE_DAYS * DAY);
    expect(masteryEstimate(muchLater).mean).toBeCloseTo(0.7, 4);
  });

  it("never decays backwards in time, and leaves an empty state alone", () => {
    const state = replay(steady(4, 0.5, 2, T0 + DAY));
    expect(decayTo(state, T0)).toBe(state);
    expect(decayTo(initialMastery(), T0 + 100 * DAY)).toEqual(initialMastery());
  });

  it("reads a topic at a later moment as less certain, the mean drifting toward the prior", () => {
    const state = replay(steady(20, 0.9));
    const now = masteryEstimate(state);
    const later = masteryEstimate(state, T0 + 30 * DAY);
    expect(later.sd).toBeGreaterThan(now.sd);
    expect(later.high - later.low).toBeGreaterThan(now.high - now.low);
    expect(later.mean).toBeLessThan(now.mean);
    expect(later.mean).toBeGreaterThan(0.7);
    expect(masteryEstimate(state, T0)).toEqual(now);
  });

  it("lets recent answers outweigh old ones", () => {
    const old = (score: number) => Array.from({ length: 5 }, () => ({ score, difficulty: 2, at: T0 }));
    const recent = (score: number) => Array.from({ length: 5 }, () => ({ score, difficulty: 2, at: T0 + 28 * DAY }));
    const improving = masteryEstimate(replay([...old(0), ...recent(1)])).mean;
    const slipping = masteryEstimate(replay([...old(1), ...recent(0)])).mean;
    expect(improving).toBeGreaterThan(0.6);
    expect(slipping).toBeLessThan(0.4);
  });

  it("gives the same state whatever order the answers are applied in", () => {
    const rng = createRng("order");
    const answers = Array.from({ length: 30 }, (_, i) => ({
      score: rng() < 0.6 ? 1 : rng() < 0.5 ? 0.5 : 0,
      difficulty: 1 + (i % 3),
      at: T0 + Math.floor(rng() * 40) * DAY,
    }));
    const inOrder = replay([...answers].sort((a, b) => a.at - b.at));
    const shuffled = replay(shuffle(answers, createRng("shuffle")));
    expect(shuffled.answers).toBe(inOrder.answers);
    expect(shuffled.lastAt).toBe(inOrder.lastAt);
    expect(shuffled.alpha).toBeCloseTo(inOrder.alpha, 9);
    expect(shuffled.beta).toBeCloseTo(inOrder.beta, 9);
  });
});

describe("masteryEstimate", () => {
  it("narrows the interval as answers at the same rate accumulate", () => {
    const widths = [5, 20, 80, 320].map((n) => width(replay(steady(n, 0.75))));
    for (let i = 1; i < widths.length; i += 1) expect(widths[i]).toBeLessThan(widths[i - 1]!);
    const many = masteryEstimate(replay(steady(320, 0.75)));
    expect(many.mean).toBeCloseTo(0.75, 2);
    expect(many.low).toBeLessThan(0.75);
    expect(many.high).toBeGreaterThan(0.75);
    expect(many.high - many.low).toBeLessThan(0.1);
  });

  it("gives a 90% interval: 5% of the belief below low and 5% above high", () => {
    const state = replay(steady(12, 2 / 3));
    const { low, high, mean, sd } = masteryEstimate(state);
    expect(betaCdf(low, state.alpha, state.beta)).toBeCloseTo(0.05, 8);
    expect(betaCdf(high, state.alpha, state.beta)).toBeCloseTo(0.95, 8);
    expect(low).toBeLessThan(mean);
    expect(high).toBeGreaterThan(mean);
    const { alpha: a, beta: b } = state;
    expect(sd).toBeCloseTo(Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))), 12);
  });

  it("stays inside 0..1 and short of certainty after all-right or all-wrong answers", () => {
    const allRight = masteryEstimate(replay(steady(20, 1)));
    expect(allRight.mean).toBeGreaterThan(0.98);
    expect(allRight.mean).toBeLessThan(1);
    expect(allRight.high).toBeLessThanOrEqual(1);
    expect(allRight.low).toBeGreaterThan(0.85);
    const allWrong = masteryEstimate(replay(steady(20, 0)));
    expect(allWrong.mean).toBeGreaterThan(0);
    expect(allWrong.mean).toBeLessThan(0.05);
    expect(allWrong.low).toBeGreaterThanOrEqual(0);
    expect(allWrong.high).toBeLessThan(0.15);
    for (const e of [allRight, allWrong]) for (const v of Object.values(e)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe("betaQuantile", () => {
  it("matches the closed forms of Beta(1, 1), Beta(2, 1), Beta(1, 2) and Beta(½, ½)", () => {
    for (const q of [0.01, 0.05, 0.3, 0.5, 0.95, 0.99]) {
      expect(betaQuantile(q, 1, 1)).toBeCloseTo(q, 8);
      expect(betaQuantile(q, 2, 1)).toBeCloseTo(Math.sqrt(q), 8);
      expect(betaQuantile(q, 1, 2)).toBeCloseTo(1 - Math.sqrt(1 - q), 8);
      expect(betaQuantile(q, 0.5, 0.5)).toBeCloseTo(Math.sin((Math.PI * q) / 2) ** 2, 8);
    }
    expect(betaQuantile(0, 3, 4)).toBe(0);
    expect(betaQuantile(1, 3, 4)).toBe(1);
  });
});
