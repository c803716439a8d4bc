// The validation simulation of docs/scoring.md: learners with known per-topic ability practise,
// their mastery is updated answer by answer, readiness predicts P(pass), and then they sit the
// mock exam. The predictions must be calibrated (ECE <= 0.05) and beat the naive extrapolation
// of percent correct (Brier). The response model here is deliberately not the scoring model's:
// a three-parameter IRT model with guessing, items that vary within a difficulty level,
// learners who choose their own mix of difficulties and who improve while they practise.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { allocate } from "../../../src/modules/exams/blueprint";
import { createRng, type Rng } from "../../../src/modules/exams/rng";
import { initialMastery, updateMastery, type MasteryState } from "../../../src/modules/progress/mastery";
import { readiness } from "../../../src/modules/progress/readiness";

// Math's members held locally: jest's vm context makes every global lookup about 25x slower.
const { PI, abs, cos, exp, floor, imul, log, min, pow, round, sqrt } = Math;

type Scenario = {
  name: string;
  seed: number;
  learners: number;
  /** Mock-exam sittings per learner (fresh questions and luck each time). */
  sittings: number;
  /** General ability on the log-odds scale of a medium question: mean and sd across learners. */
  abilityMean: number;
  abilitySd: number;
  /** A learner's topics scatter around their general ability with this sd. */
  topicSd: number;
  /** Each learner's ability rises by Uniform(0, this) log-odds across their practice period. */
  maxGrowth: number;
};

const DAY = 24 * 60 * 60 * 1000;
const EXAM_DAY = 1000 * DAY;
const BANK_MIX = [0.3, 0.45, 0.25]; // easy, medium, hard: the shipped banks' shares

const mock = (() => {
  const file = parseYaml(readFileSync(join(__dirname, "../../../question-banks/exams.yaml"), "utf8")) as {
    exams: {
      slug: string;
      questionCount: number;
      passMarkPercent: number;
      blueprint?: Record<string, number>;
      counts?: Record<string, number>;
    }[];
  };
  const exam = file.exams.find((e) => e.slug === "backend-mock-exam");
  // The mock exam states its counts; weights (older definitions) read the same way.
  const blueprint = exam?.counts ?? exam?.blueprint;
  if (!exam || !blueprint) throw new Error("backend-mock-exam has no counts");
  return { ...exam, blueprint, counts: allocate(exam.questionCount, blueprint, exam.slug) };
})();
const TOPICS = Object.keys(mock.blueprint);
const percentOf = (correct: number) => round((1000 * correct) / mock.questionCount) / 10; // as grading shows it
/** The fewest right answers that pass: 42 of 60. */
const PASSING = Array.from({ length: mock.questionCount + 1 }, (_, k) => k).find(
  (k) => percentOf(k) >= mock.passMarkPercent,
)!;

/**
 * The simulation's own noise: a Weyl sequence through the murmur3 finaliser. Not createRng,
 * only because that one reads the global Math on every call, which jest's vm context makes
 * about 20 times slower; readiness() itself still gets createRng, as in production.
 */
function simulationRng(seed: number): Rng {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = imul(state ^ (state >>> 16), 0x85ebca6b);
    z = imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

const normal = (rng: Rng) => sqrt(-2 * log(1 - rng())) * cos(2 * PI * rng());
const uniformInt = (rng: Rng, from: number, to: number) => from + floor(rng() * (to - from + 1));

function pickLevel(rng: Rng, mix: readonly number[]): 1 | 2 | 3 {
  const u = rng();
  return u < mix[0]! ? 1 : u < mix[0]! + mix[1]! ? 2 : 3;
}

/**
 * One question at a difficulty level, answered by ability theta: 3PL, P = c + (1 - c) / (1 +
 * e^-a(theta - b)). b = -1 / 0 / +1 by level plus N(0, 0.4) per question; discrimination a in
 * [0.7, 1.6]; 70% of questions are single-choice with a 0.2 guessing floor, the rest none.
 */
function answer(rng: Rng, theta: number, level: 1 | 2 | 3): 0 | 1 {
  const b = level - 2 + 0.4 * normal(rng);
  const a = 0.7 + 0.9 * rng();
  const c = rng() < 0.7 ? 0.2 : 0;
  const p = c + (1 - c) / (1 + exp(-a * (theta - b)));
  return rng() < p ? 1 : 0;
}

type Outcome = { pPass: number; passed: number[]; naive: number; naiveBinomial: number; inInterval: number };

/** P(Binomial(n, p) >= k). */
function binomialAtLeast(n: number, p: number, k: number): number {
  let term = pow(1 - p, n);
  let sum = k <= 0 ? term : 0;
  for (let i = 1; i <= n; i += 1) {
    term *= ((n - i + 1) / i) * (p / (1 - p));
    if (i >= k) sum += term;
  }
  return p >= 1 ? 1 : sum;
}

function simulateLearner(rng: Rng, scenario: Scenario, id: number): Outcome {
  const general = scenario.abilityMean + scenario.abilitySd * normal(rng);
  const growth = scenario.maxGrowth * rng();
  const span = (14 + 76 * rng()) * DAY; // practice over the last 2 to 13 weeks
  const weights = [0, 1, 2].map(() => -log(1 - rng())); // a Dirichlet(1, 1, 1) difficulty preference
  const mix = weights.map((w) => w / (weights[0]! + weights[1]! + weights[2]!));
  const topics: Record<string, MasteryState> = {};
  const ability: Record<string, number> = {};
  let right = 0;
  let seen = 0;
  for (const topic of TOPICS) {
    const theta = general + scenario.topicSd * normal(rng);
    ability[topic] = theta;
    const times = Array.from({ length: uniformInt(rng, 5, 20) }, () => EXAM_DAY - span * rng()).sort((x, y) => x - y);
    let state = initialMastery();
    for (const at of times) {
      const level = pickLevel(rng, mix);
      const score = answer(rng, theta - (growth * (EXAM_DAY - at)) / span, level);
      state = updateMastery(state, { score, difficulty: level, at });
      right += score;
      seen += 1;
    }
    topics[topic] = state;
  }
  const predicted = readiness({
    blueprint: mock.blueprint,
    questionCount: mock.questionCount,
    passMarkPercent: mock.passMarkPercent,
    topics,
    rng: createRng(`learner-${id}`),
    samples: 50, // pPass is exact; the draws only set its interval, not checked here
    now: EXAM_DAY,
  });
  if (predicted.status !== "ready") throw new Error("every simulated learner has >= 5 answers per topic");
  const passed: number[] = [];
  let inInterval = 0;
  for (let sitting = 0; sitting < scenario.sittings; sitting += 1) {
    let correct = 0;
    for (const topic of TOPICS) {
      for (let q = 0; q < mock.counts[topic]!; q += 1)
        correct += answer(rng, ability[topic]!, pickLevel(rng, BANK_MIX));
    }
    const percent = percentOf(correct);
    passed.push(percent >= mock.passMarkPercent ? 1 : 0);
    if (percent >= predicted.predictedLow && percent <= predicted.predictedHigh) inInterval += 1;
  }
  const percentCorrect = right / seen;
  return {
    pPass: predicted.pPass,
    passed,
    naive: percentCorrect * 100 >= mock.passMarkPercent ? 1 : 0,
    naiveBinomial: binomialAtLeast(mock.questionCount, percentCorrect, PASSING),
    inInterval,
  };
}

type Pair = { p: number; y: number };
const brier = (pairs: Pair[]) => pairs.reduce((sum, { p, y }) => sum + (p - y) ** 2, 0) / pairs.length;

/** Expected calibration error over 10 equal-width bins, and the bins themselves. */
function calibration(pairs: Pair[]) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, predicted: 0, observed: 0 }));
  for (const { p, y } of pairs) {
    const bin = bins[min(9, floor(p * 10))]!;
    bin.n += 1;
    bin.predicted += p;
    bin.observed += y;
  }
  let ece = 0;
  for (const bin of bins) if (bin.n > 0) ece += ((bin.n / pairs.length) * abs(bin.predicted - bin.observed)) / bin.n;
  return {
    ece,
    bins: bins.map((b) => ({ n: b.n, predicted: b.predicted / (b.n || 1), observed: b.observed / (b.n || 1) })),
  };
}

function run(scenario: Scenario) {
  const rng = simulationRng(scenario.seed);
  const outcomes = Array.from({ length: scenario.learners }, (_, id) => simulateLearner(rng, scenario, id));
  const pairsOf = (p: (o: Outcome) => number) => outcomes.flatMap((o) => o.passed.map((y) => ({ p: p(o), y })));
  const model = pairsOf((o) => o.pPass);
  const firstSitting = outcomes.map((o) => ({ p: o.pPass, y: o.passed[0]! }));
  const { ece, bins } = calibration(model);
  return {
    scenario,
    passRate: model.reduce((sum, { y }) => sum + y, 0) / model.length,
    ece,
    eceFirstSitting: calibration(firstSitting).ece,
    brier: brier(model),
    brierNaive: brier(pairsOf((o) => o.naive)),
    brierNaiveBinomial: brier(pairsOf((o) => o.naiveBinomial)),
    scoreIntervalCoverage: outcomes.reduce((sum, o) => sum + o.inInterval, 0) / model.length,
    bins,
  };
}

/**
 * ms per readiness() call for a learner with 15 topics, measured in a plain node process: inside
 * jest's vm context every global lookup is slow, which would misstate the dashboard's cost.
 * Median of 5 batches of 50 calls after a warm-up; printed, never asserted.
 */
function timeReadiness(): Record<string, number> {
  const src = join(__dirname, "../../../src/modules");
  const script = `
    const { createRng } = require(${JSON.stringify(join(src, "exams/rng.ts"))});
    const { initialMastery, updateMastery } = require(${JSON.stringify(join(src, "progress/mastery.ts"))});
    const { readiness } = require(${JSON.stringify(join(src, "progress/readiness.ts"))});
    const blueprint = ${JSON.stringify(mock.blueprint)};
    const rng = createRng("timing");
    const topics = {};
    for (const topic of Object.keys(blueprint)) {
      let state = initialMastery();
      for (let i = 0; i < 12; i += 1)
        state = updateMastery(state, { score: rng() < 0.7 ? 1 : 0, difficulty: 1 + (i % 3), at: i * 864e5 });
      topics[topic] = state;
    }
    const time = (samples) => {
      const call = (i) => readiness({ blueprint, questionCount: 60, passMarkPercent: 70, topics, rng: createRng("t" + i), samples });
      for (let i = 0; i < 50; i += 1) call(i);
      const batches = [];
      for (let b = 0; b < 5; b += 1) {
        const started = performance.now();
        for (let i = 0; i < 50; i += 1) call(i);
        batches.push((performance.now() - started) / 50);
      }
      return batches.sort((x, y) => x - y)[2];
    };
    console.log(JSON.stringify({ default: time(undefined), exactOnly: time(1) }));`;
  const output = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" });
  return JSON.parse(output) as Record<string, number>;
}

const base = { learners: 2000, sittings: 5, abilityMean: 0.6, abilitySd: 0.8, topicSd: 0.5 };
const LEARNING: Scenario = { ...base, name: "learning", seed: 1, maxGrowth: 0.6 };
const STEADY: Scenario = { ...base, name: "steady", seed: 2, maxGrowth: 0 };

describe("readiness calibration on simulated learners", () => {
  it("predicts P(pass) within ECE 0.05 and beats percent-correct extrapolation on Brier", () => {
    const results = [run(LEARNING), run(STEADY)];
    const ms = timeReadiness();
    const timing = `readiness(), 15 topics, ms per call: ${ms.default!.toFixed(2)} (default samples), ${ms.exactOnly!.toFixed(2)} (without the interval draws)`;
    const line = (r: ReturnType<typeof run>) =>
      [
        `${r.scenario.name}: ${r.scenario.learners} learners x ${r.scenario.sittings} sittings, pass rate ${r.passRate.toFixed(3)}`,
        `  ECE ${r.ece.toFixed(4)} (first sitting only: ${r.eceFirstSitting.toFixed(4)})`,
        `  Brier model ${r.brier.toFixed(4)}, naive 0/1 ${r.brierNaive.toFixed(4)}, naive binomial ${r.brierNaiveBinomial.toFixed(4)}`,
        `  90% score interval held the sitting's score in ${(100 * r.scoreIntervalCoverage).toFixed(1)}% of sittings`,
        `  bins (n: predicted / observed): ${r.bins.map((b) => (b.n ? `${b.n}: ${b.predicted.toFixed(2)}/${b.observed.toFixed(2)}` : "-")).join(", ")}`,
      ].join("\n");
    console.log(`${results.map(line).join("\n")}\n${timing}`);

    for (const r of results) {
      expect(r.passRate).toBeGreaterThan(0.3);
      expect(r.passRate).toBeLessThan(0.7);
      expect(r.ece).toBeLessThanOrEqual(0.05);
      expect(r.brier).toBeLessThan(r.brierNaive);
      expect(r.brier).toBeLessThan(r.brierNaiveBinomial);
    }
  });
});
