// Readiness in two situations the calibration test (tests/unit/progress/calibration.test.ts)
// does not cover, with the same simulated learners (three-parameter IRT, general ability
// N(0.6, 0.8), topics N(0, 0.5) around it) and the shipped mock exam (its counts and its
// difficulty quota, 15 / 30 / 15). Figures for docs/scoring.md; nothing is asserted.
//
//   npx tsx scripts/readiness-scenarios.ts early    # an estimate right after the diagnostic
//   npx tsx scripts/readiness-scenarios.ts blanks   # a timed mock with blanks in the history
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { allocate } from "../src/modules/exams/blueprint";
import { createRng, type Rng } from "../src/modules/exams/rng";
import { initialMastery, updateMastery, type MasteryState } from "../src/modules/progress/mastery";
import { readiness } from "../src/modules/progress/readiness";

const DAY = 24 * 60 * 60 * 1000;
const EXAM_DAY = 1000 * DAY;
const LEARNERS = 2000;
const SITTINGS = 5;

type Definition = { slug: string; counts?: Record<string, number>; difficulty?: Record<string, number> };
const definitions = parseYaml(readFileSync(path.resolve(__dirname, "../question-banks/exams.yaml"), "utf8")) as {
  exams: Definition[];
};
const mockDefinition = definitions.exams.find((e) => e.slug === "backend-mock-exam")!;
const counts = allocate(60, mockDefinition.counts!, mockDefinition.slug);
const TOPICS = Object.keys(counts);
const quota = mockDefinition.difficulty as { easy: number; medium: number; hard: number };
const QUOTA = [quota.easy / 60, quota.medium / 60, quota.hard / 60];
const percentOf = (correct: number) => Math.round((1000 * correct) / 60) / 10;

/** A Weyl sequence through the murmur3 finaliser, as in the calibration test. */
function simulationRng(seed: number): Rng {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}
const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const pickLevel = (rng: Rng, mix: readonly number[]): 1 | 2 | 3 => {
  const u = rng();
  return u < mix[0]! ? 1 : u < mix[0]! + mix[1]! ? 2 : 3;
};
/** 3PL: b = level - 2 + N(0, 0.4), a in [0.7, 1.6], 70% of questions with a 0.2 guessing floor. */
function answer(rng: Rng, theta: number, level: number): 0 | 1 {
  const b = level - 2 + 0.4 * normal(rng);
  const a = 0.7 + 0.9 * rng();
  const c = rng() < 0.7 ? 0.2 : 0;
  return rng() < c + (1 - c) / (1 + Math.exp(-a * (theta - b))) ? 1 : 0;
}

type History = (rng: Rng, topics: Record<string, MasteryState>, ability: Record<string, number>) => void;

/** Learners with a history, predicted then sitting the mock 5 times: ECE, Brier, coverage. */
function simulate(seed: number, history: History) {
  const rng = simulationRng(seed);
  const pairs: { p: number; y: number }[] = [];
  let covered = 0;
  for (let id = 0; id < LEARNERS; id += 1) {
    const general = 0.6 + 0.8 * normal(rng);
    const ability: Record<string, number> = {};
    const topics: Record<string, MasteryState> = {};
    for (const topic of TOPICS) {
      ability[topic] = general + 0.5 * normal(rng);
      topics[topic] = initialMastery();
    }
    history(rng, topics, ability);
    const predicted = readiness({
      blueprint: counts,
      questionCount: 60,
      passMarkPercent: 70,
      topics,
      rng: createRng(`learner-${id}`),
      samples: 50,
      now: EXAM_DAY,
      difficultyMix: { 1: quota.easy, 2: quota.medium, 3: quota.hard },
    });
    if (predicted.status === "not-enough-data") throw new Error("every simulated learner has an estimate");
    for (let sitting = 0; sitting < SITTINGS; sitting += 1) {
      let correct = 0;
      for (const topic of TOPICS)
        for (let q = 0; q < counts[topic]!; q += 1) correct += answer(rng, ability[topic]!, pickLevel(rng, QUOTA));
      const percent = percentOf(correct);
      pairs.push({ p: predicted.pPass, y: percent >= 70 ? 1 : 0 });
      if (percent >= predicted.predictedLow && percent <= predicted.predictedHigh) covered += 1;
    }
  }
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { p, y } of pairs) {
    const bin = bins[Math.min(9, Math.floor(p * 10))]!;
    bin.n += 1;
    bin.p += p;
    bin.y += y;
  }
  const ece = bins.reduce((sum, b) => sum + (b.n ? ((b.n / pairs.length) * Math.abs(b.p - b.y)) / b.n : 0), 0);
  const brier = pairs.reduce((sum, { p, y }) => sum + (p - y) ** 2, 0) / pairs.length;
  const passRate = pairs.reduce((sum, { y }) => sum + y, 0) / pairs.length;
  const shown = bins.map((b) => (b.n ? `${b.n}: ${(b.p / b.n).toFixed(2)}/${(b.y / b.n).toFixed(2)}` : "-"));
  return `pass ${passRate.toFixed(3)}, ECE ${ece.toFixed(4)}, Brier ${brier.toFixed(4)}, score in 90% range ${((100 * covered) / pairs.length).toFixed(1)}%\n    bins ${shown.join(", ")}`;
}

/** Two questions per topic on exam day, at these levels (or drawn from a mix). */
const diagnostic =
  (levels: (rng: Rng) => number[]): History =>
  (rng, topics, ability) => {
    for (const topic of TOPICS)
      for (const level of levels(rng))
        topics[topic] = updateMastery(topics[topic]!, {
          score: answer(rng, ability[topic]!, level),
          difficulty: level,
          at: EXAM_DAY,
        });
  };

/**
 * 5-20 answers per topic over the last 2-13 weeks at the learner's own difficulty mix, then a
 * timed mock a week before exam day with blanks: "timeout" stops after a uniform share of its
 * 60 questions (the rest blank, whatever the learner knows); "unsure" leaves a question the
 * learner would get wrong blank with chance 0.5, one they would get right with chance 0.1. Blanks
 * are folded in as blanks (weight 0.5), not at all (0), or as wrong answers (1).
 */
const withBlankMock =
  (kind: "timeout" | "unsure", weight: 0 | 0.5 | 1): History =>
  (rng, topics, ability) => {
    const span = (14 + 76 * rng()) * DAY;
    const shares = [0, 1, 2].map(() => -Math.log(1 - rng()));
    const mix = shares.map((w) => w / (shares[0]! + shares[1]! + shares[2]!));
    for (const topic of TOPICS) {
      const n = 5 + Math.floor(rng() * 16);
      for (let i = 0; i < n; i += 1) {
        const level = pickLevel(rng, mix);
        const at = EXAM_DAY - span * rng();
        topics[topic] = updateMastery(topics[topic]!, {
          score: answer(rng, ability[topic]!, level),
          difficulty: level,
          at,
        });
      }
    }
    const at = EXAM_DAY - 7 * DAY;
    const stopAt = Math.floor(rng() * 61);
    let position = 0;
    for (const topic of TOPICS)
      for (let q = 0; q < counts[topic]!; q += 1) {
        const level = pickLevel(rng, QUOTA);
        const score = answer(rng, ability[topic]!, level);
        const blank = kind === "timeout" ? position >= stopAt : rng() < (score ? 0.1 : 0.5);
        position += 1;
        if (!blank) topics[topic] = updateMastery(topics[topic]!, { score, difficulty: level, at });
        else if (weight > 0)
          topics[topic] = updateMastery(topics[topic]!, { score: 0, difficulty: level, at, blank: weight === 0.5 });
      }
  };

const which = process.argv[2] ?? "early";
if (which === "early") {
  const runs: [string, (rng: Rng) => number[]][] = [
    ["the shipped diagnostic: one easy, one medium", () => [1, 2]],
    ["two medium", () => [2, 2]],
    ["two in the mock's mix (25% easy, 50% medium, 25% hard)", (rng) => [pickLevel(rng, QUOTA), pickLevel(rng, QUOTA)]],
  ];
  for (const [name, levels] of runs)
    for (const seed of [1, 2]) console.log(`${name}, seed ${seed}: ${simulate(seed, diagnostic(levels))}`);
} else {
  for (const kind of ["timeout", "unsure"] as const)
    for (const weight of [0, 0.5, 1] as const)
      console.log(`blanks ${kind}, weight ${weight}: ${simulate(5, withBlankMock(kind, weight))}`);
}
