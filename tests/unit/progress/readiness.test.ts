import { createRng, type Rng } from "../../../src/modules/exams/rng";
import {
  initialMastery,
  masteryEstimate,
  updateMastery,
  type MasteryState,
} from "../../../src/modules/progress/mastery";
import {
  DEFAULT_DIFFICULTY_MIX,
  EARLY_ANSWERS_PER_TOPIC,
  MIN_ANSWERS_PER_TOPIC,
  readiness,
  type Readiness,
  type ReadinessInput,
} from "../../../src/modules/progress/readiness";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const MEDIUM_ONLY = { 1: 0, 2: 1, 3: 0 } as const;

/** The mock exam's blueprint (question-banks/exams.yaml). */
const MOCK = {
  http: 8,
  "rest-api": 7,
  sql: 8,
  "database-design": 8,
  "nosql-caching": 7,
  "web-security": 8,
  auth: 7,
  languages: 6,
  frameworks: 6,
  git: 5,
  "linux-networking": 6,
  "cloud-deployment": 6,
  scalability: 6,
  testing: 6,
  dsa: 6,
};

/** n medium answers on one day, a share `rate` of them right. */
function practised(n: number, rate: number, at = T0): MasteryState {
  let state = initialMastery();
  for (let i = 0; i < n; i += 1)
    state = updateMastery(state, { score: i < Math.round(n * rate) ? 1 : 0, difficulty: 2, at });
  return state;
}

const everyTopic = (state: MasteryState) => Object.fromEntries(Object.keys(MOCK).map((t) => [t, state]));

const mock = (topics: ReadinessInput["topics"], extra: Partial<ReadinessInput> = {}): Readiness =>
  readiness({ blueprint: MOCK, questionCount: 60, passMarkPercent: 70, topics, rng: createRng("readiness"), ...extra });

function ready(result: Readiness) {
  if (result.status !== "ready") throw new Error(`expected ready, got ${JSON.stringify(result)}`);
  return result;
}

function early(result: Readiness) {
  if (result.status !== "early") throw new Error(`expected early, got ${JSON.stringify(result)}`);
  return result;
}

/** n medium answers on one day (right ones first), then `blanks` questions left blank. */
function withBlanks(n: number, rate: number, blanks: number, at = T0): MasteryState {
  let state = practised(n, rate, at);
  for (let i = 0; i < blanks; i += 1) state = updateMastery(state, { score: 0, difficulty: 2, at, blank: true });
  return state;
}

describe("readiness: not enough data yet", () => {
  it(`gives no figure below ${EARLY_ANSWERS_PER_TOPIC} answers in any topic the exam draws from, naming those topics`, () => {
    expect(EARLY_ANSWERS_PER_TOPIC).toBe(2);
    const topics: ReadinessInput["topics"] = everyTopic(practised(5, 0.8));
    topics.sql = practised(1, 1);
    delete topics.git;
    topics.dsa = undefined;
    expect(mock(topics)).toEqual({ status: "not-enough-data", missingTopics: ["sql", "git", "dsa"] });
    expect(mock({})).toEqual({ status: "not-enough-data", missingTopics: Object.keys(MOCK) });
  });

  it("does not count blanks as answers: two blanks and one answer is not enough for a first estimate", () => {
    const topics: ReadinessInput["topics"] = everyTopic(practised(2, 0.5));
    topics.git = withBlanks(1, 1, 2);
    expect(topics.git.answers).toBe(3);
    expect(mock(topics)).toEqual({ status: "not-enough-data", missingTopics: ["git"] });
  });

  it("counts answers, not decayed evidence: five answers long ago still count, with a wide interval", () => {
    const old = everyTopic(practised(5, 0.8, T0));
    const result = ready(mock(old, { now: T0 + 365 * DAY }));
    expect(result.pPassHigh - result.pPassLow).toBeGreaterThan(0.5);
  });

  it("does not ask for answers in a topic the exam draws no question from", () => {
    const blueprint = { sql: 50, http: 50, git: 0 };
    const result = readiness({
      blueprint,
      questionCount: 10,
      passMarkPercent: 70,
      topics: { sql: practised(6, 0.8), http: practised(6, 0.8) },
      rng: createRng("x"),
    });
    expect(ready(result).byTopic.map((t) => t.topic)).toEqual(["sql", "http"]);
  });
});

describe("readiness: the early estimate", () => {
  it(`gives a first estimate from ${EARLY_ANSWERS_PER_TOPIC} answers in every topic, early until each has ${MIN_ANSWERS_PER_TOPIC}`, () => {
    expect(MIN_ANSWERS_PER_TOPIC).toBe(5);
    // After the diagnostic: two answers in every topic.
    const diagnostic = early(mock(everyTopic(practised(2, 0.5))));
    expect(diagnostic.missingTopics).toEqual(Object.keys(MOCK));
    expect(diagnostic.byTopic).toHaveLength(Object.keys(MOCK).length);
    // Some topics at five, others still short of them: early, naming those in blueprint order.
    const topics: ReadinessInput["topics"] = everyTopic(practised(5, 0.8));
    topics.sql = practised(4, 1);
    topics.dsa = practised(2, 0.5);
    expect(early(mock(topics)).missingTopics).toEqual(["sql", "dsa"]);
    // Five answered in every topic: ready, nothing missing. Blanks on top do not count.
    topics.sql = withBlanks(4, 1, 3);
    topics.dsa = practised(5, 0.6);
    expect(early(mock(topics)).missingTopics).toEqual(["sql"]);
    topics.sql = withBlanks(5, 1, 3);
    expect(ready(mock(topics)).missingTopics).toEqual([]);
  });

  it("computes an early estimate as any other, with wide ranges that narrow as answers come in", () => {
    const first = early(mock(everyTopic(practised(2, 0.5))));
    const later = ready(mock(everyTopic(practised(6, 0.5))));
    const scoreWidth = (r: { predictedLow: number; predictedHigh: number }) => r.predictedHigh - r.predictedLow;
    const passWidth = (r: { pPassLow: number; pPassHigh: number }) => r.pPassHigh - r.pPassLow;
    expect(first.predictedLow).toBeLessThanOrEqual(first.predictedPercent);
    expect(first.predictedPercent).toBeLessThanOrEqual(first.predictedHigh);
    expect(first.pPassLow).toBeLessThanOrEqual(first.pPass);
    expect(first.pPass).toBeLessThanOrEqual(first.pPassHigh);
    // One right of two per topic: about 57%, a sitting likely anywhere in 43-70%.
    expect(scoreWidth(first)).toBeGreaterThan(scoreWidth(later));
    expect(passWidth(first)).toBeGreaterThan(passWidth(later));
    const topicWidth = (r: { byTopic: { low: number; high: number }[] }) => r.byTopic[0]!.high - r.byTopic[0]!.low;
    expect(topicWidth(first)).toBeGreaterThan(0.75);
    expect(topicWidth(first)).toBeGreaterThan(topicWidth(later));
  });

  it("reads blanks as weaker evidence than wrong answers: the prediction falls less", () => {
    // Both: 3 right and 2 wrong in every topic; a sixth question wrong in one, blank in the other.
    const wrong = ready(mock(everyTopic(practised(6, 0.5))));
    const blank = ready(mock(everyTopic(withBlanks(5, 0.6, 1))));
    expect(blank.predictedPercent).toBeGreaterThan(wrong.predictedPercent);
    expect(blank.pPass).toBeGreaterThan(wrong.pPass);
  });
});

describe("readiness: the predicted score and P(pass)", () => {
  it("matches the Beta-Binomial answer for one topic (computed independently)", () => {
    const result = ready(
      readiness({
        blueprint: { sql: 1 },
        questionCount: 10,
        passMarkPercent: 70,
        topics: { sql: { alpha: 7, beta: 3, answers: 8, lastAt: T0 } },
        rng: createRng("x"),
        difficultyMix: MEDIUM_ONLY,
      }),
    );
    // P(X >= 7) for X ~ BetaBinomial(10, 7, 3), by lgamma in Python: 0.6300309597523199.
    expect(result.pPass).toBeCloseTo(0.63003096, 5);
    expect(result.predictedPercent).toBeCloseTo(70, 3); // a 64-cell quadrature, exact to ~1e-5
  });

  it("adds the topics' score distributions up (two topics, computed independently)", () => {
    const result = ready(
      readiness({
        blueprint: { sql: 1, http: 1 },
        questionCount: 10,
        passMarkPercent: 70,
        topics: {
          sql: { alpha: 8, beta: 2, answers: 9, lastAt: T0 },
          http: { alpha: 3, beta: 3, answers: 5, lastAt: T0 },
        },
        rng: createRng("x"),
        difficultyMix: MEDIUM_ONLY,
      }),
    );
    // Σ over k1 + k2 >= 7 of BetaBin(5, 8, 2)(k1) × BetaBin(5, 3, 3)(k2): 0.5099186527757944.
    expect(result.pPass).toBeCloseTo(0.50991865, 5);
    expect(result.predictedPercent).toBeCloseTo(65, 3);
  });

  it("uses the pass mark as grading shows it: 42 of 60 is 70.0%, 41 is 68.3%", () => {
    // A learner whose every answer is right with probability exactly 0.7 (nearly certain belief).
    const sure = { alpha: 7e6, beta: 3e6, answers: 99, lastAt: T0 };
    const topics = everyTopic(sure);
    const result = ready(mock(topics, { difficultyMix: MEDIUM_ONLY }));
    // P(Binomial(60, 0.7) >= 42) = Σ C(60, k) 0.7^k 0.3^(60-k) over k >= 42 = 0.56324 (Python).
    expect(result.pPass).toBeCloseTo(0.56324, 3);
    expect(result.predictedPercent).toBeCloseTo(70, 3);
  });

  it("gives the same figures for the same seed, and pPass and the score independent of the seed", () => {
    const topics = everyTopic(practised(8, 0.75));
    expect(mock(topics)).toEqual(mock(topics));
    const a = ready(mock(topics, { rng: createRng("one") }));
    const b = ready(mock(topics, { rng: createRng("two") }));
    expect(b.pPass).toBe(a.pPass);
    expect(b.predictedPercent).toBe(a.predictedPercent);
    expect(Math.abs(b.pPassLow - a.pPassLow)).toBeLessThan(0.05);
  });

  it("orders its figures: low <= predicted <= high, for the score and for the pass chance", () => {
    for (const rate of [0, 0.4, 0.7, 0.85, 1]) {
      const r = ready(mock(everyTopic(practised(10, rate))));
      expect(r.predictedLow).toBeLessThanOrEqual(r.predictedPercent);
      expect(r.predictedPercent).toBeLessThanOrEqual(r.predictedHigh);
      expect(r.pPassLow).toBeLessThanOrEqual(r.pPass);
      expect(r.pPass).toBeLessThanOrEqual(r.pPassHigh);
      expect(r.pPassLow).toBeGreaterThanOrEqual(0);
      expect(r.pPassHigh).toBeLessThanOrEqual(1);
    }
  });

  it("says pass for all-right answers and fail for all-wrong ones", () => {
    const strong = ready(mock(everyTopic(practised(20, 1))));
    expect(strong.pPass).toBeGreaterThan(0.99);
    expect(strong.predictedHigh).toBe(100);
    const weak = ready(mock(everyTopic(practised(20, 0))));
    expect(weak.pPass).toBeLessThan(1e-6);
    expect(weak.predictedLow).toBe(0);
  });

  it("rises with a topic's mastery, and a heavier topic moves it more", () => {
    const base = everyTopic(practised(10, 0.7));
    const pass = (changes: Record<string, MasteryState>) => ready(mock({ ...base, ...changes })).pPass;
    const before = pass({});
    expect(pass({ git: practised(10, 1) })).toBeGreaterThan(before);
    expect(pass({ git: practised(10, 0.3) })).toBeLessThan(before);
    // sql (weight 8, 5 questions) outweighs git (weight 5, 3 questions).
    expect(pass({ sql: practised(10, 1) })).toBeGreaterThan(pass({ git: practised(10, 1) }));
  });

  it("narrows the pass-chance interval as answers accumulate", () => {
    const spread = (n: number) => {
      const r = ready(mock(everyTopic(practised(n, 0.72))));
      return r.pPassHigh - r.pPassLow;
    };
    expect(spread(40)).toBeLessThan(spread(10));
    expect(spread(160)).toBeLessThan(spread(40));
  });

  it("reads the mastery at `now`: later, with old evidence faded, it is less sure", () => {
    const topics = everyTopic(practised(20, 0.9));
    const today = ready(mock(topics, { now: T0 }));
    const later = ready(mock(topics, { now: T0 + 60 * DAY }));
    expect(later.pPass).toBeLessThan(today.pPass);
    expect(later.predictedHigh - later.predictedLow).toBeGreaterThan(today.predictedHigh - today.predictedLow);
  });

  it("predicts less for an exam of hard questions than for one of easy questions", () => {
    const topics = everyTopic(practised(10, 0.75));
    const hard = ready(mock(topics, { difficultyMix: { 1: 0, 2: 0, 3: 1 } }));
    const easy = ready(mock(topics, { difficultyMix: { 1: 1, 2: 0, 3: 0 } }));
    const usual = ready(mock(topics, { difficultyMix: DEFAULT_DIFFICULTY_MIX }));
    expect(hard.predictedPercent).toBeLessThan(usual.predictedPercent);
    expect(usual.predictedPercent).toBeLessThan(easy.predictedPercent);
  });

  it("reports each topic with its weight, its questions by the blueprint, and its mastery", () => {
    const topics = everyTopic(practised(10, 0.8));
    topics.sql = practised(10, 0.5);
    const result = ready(mock(topics));
    expect(result.byTopic.map((t) => t.topic)).toEqual(Object.keys(MOCK));
    expect(result.byTopic.reduce((sum, t) => sum + t.count, 0)).toBe(60);
    const sql = result.byTopic.find((t) => t.topic === "sql")!;
    const estimate = masteryEstimate(topics.sql);
    expect(sql).toEqual({
      topic: "sql",
      weight: 8,
      count: 5,
      mean: estimate.mean,
      low: estimate.low,
      high: estimate.high,
    });
    expect(result.byTopic.find((t) => t.topic === "git")!.count).toBe(3);
  });

  it("copes with an rng that returns its extremes", () => {
    const topics = everyTopic(practised(10, 0.7));
    for (const value of [0, 0.999999999, 1]) {
      const constant: Rng = () => value;
      const r = ready(mock(topics, { rng: constant, samples: 10 }));
      expect(Number.isFinite(r.pPassLow) && Number.isFinite(r.pPassHigh)).toBe(true);
    }
  });

  it("rejects an impossible exam or sample count", () => {
    const topics = everyTopic(practised(10, 0.7));
    expect(() => mock(topics, { questionCount: 0 })).toThrow(RangeError);
    expect(() => mock(topics, { questionCount: 2.5 })).toThrow(RangeError);
    expect(() => mock(topics, { passMarkPercent: 120 })).toThrow(RangeError);
    expect(() => mock(topics, { passMarkPercent: Number.NaN })).toThrow(RangeError);
    expect(() => mock(topics, { samples: 0 })).toThrow(RangeError);
    expect(() => mock(topics, { difficultyMix: { 1: 0, 2: 0, 3: 0 } })).toThrow(RangeError);
  });
});
