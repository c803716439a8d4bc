// Parallel forms: over many seeds, every form of the shipped mock exam has the stated
// per-topic counts, the difficulty quota and questions spread over subtopics, and a learner of
// fixed ability expects the same score on every form. docs/content.md quotes the figures.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { allocate } from "../../../src/modules/exams/blueprint";
import { examRecord, parseExamDefinitions } from "../../../src/modules/exams/definitions";
import { difficultyTable, drawFromGroups, spreadGroups, typeCells } from "../../../src/modules/exams/forms";
import { createRng, sample } from "../../../src/modules/exams/rng";
import {
  poolForStack,
  selectQuestions,
  type PoolQuestion,
  type StackChoice,
} from "../../../src/modules/exams/selection";
import { chanceAt } from "../../../src/modules/progress/mastery";

const dir = path.resolve(__dirname, "../../../question-banks");
const pool: PoolQuestion[] = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && f !== "exams.yaml")
  .flatMap((f) => {
    const bank = parseYaml(readFileSync(path.join(dir, f), "utf8")) as {
      questions: { id: string; topic: string; type: string; difficulty: number }[];
    };
    return bank.questions.map((q) => ({
      versionId: q.id,
      questionId: q.id,
      externalId: q.id,
      topicPath: q.topic,
      type: q.type,
      difficulty: q.difficulty,
      choiceIds: [],
    }));
  });
const byId = new Map(pool.map((q) => [q.versionId, q]));
const definitions = parseExamDefinitions(readFileSync(path.join(dir, "exams.yaml"), "utf8"), "exams.yaml");
const mock = definitions.find((e) => e.slug === "backend-mock-exam")!;
const record = examRecord(mock);
const stack = record.stackChoice as StackChoice;
const rootOf = (p: string) => p.split("/")[0]!;
const tally = (keys: string[]) => keys.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
const LANGUAGES = [...new Set(pool.map((q) => q.topicPath))].filter(
  (p) => p.startsWith("languages/") && !stack.neutral.includes(p),
);
const SEEDS = 400;

/** selectQuestions' options for a form of the shipped mock drawn from `from` with `seed`. */
const mockForm = (from: readonly PoolQuestion[], seed: string) => ({
  pool: from,
  count: record.questionCount,
  blueprint: record.blueprint!,
  difficultyQuota: record.difficultyQuota!,
  typeQuota: record.typeQuota ?? null,
  tieSeed: mock.slug,
  shuffleQuestions: true,
  shuffleOptions: false,
  rng: createRng(seed),
});

function drawForm(seed: string, language: string) {
  const selected = selectQuestions(mockForm(poolForStack(pool, stack, language), seed));
  return selected.map((s) => byId.get(s.versionId)!);
}

/** The draw before parallel forms: the old weights, ties by name, uniform within each topic. */
const OLD_WEIGHTS = {
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
function drawOldForm(seed: string) {
  const rng = createRng(seed);
  return Object.entries(allocate(60, OLD_WEIGHTS)).flatMap(([topic, n]) =>
    sample(
      pool.filter((q) => rootOf(q.topicPath) === topic),
      n,
      rng,
    ),
  );
}

/** Expected percent of a learner whose chance on a medium question is `mastery` in every topic. */
const expectedPercent = (form: PoolQuestion[], mastery: number) =>
  (100 * form.reduce((s, q) => s + chanceAt(mastery, q.difficulty), 0)) / form.length;

/** The medium-question chance at which a 15/30/15 form's expected score is the 70% pass mark. */
function borderlineMastery(form: PoolQuestion[]): number {
  let [low, high] = [0, 1];
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (expectedPercent(form, mid) < 70) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

describe("parallel forms of the mock exam", () => {
  it("states 4 questions per topic, 15 easy, 30 medium and 15 hard, and a languages stack section", () => {
    expect(Object.values(record.blueprint!).every((n) => n === 4)).toBe(true);
    expect(record.difficultyQuota).toEqual({ "1": 15, "2": 30, "3": 15 });
    expect(stack).toEqual({ topic: "languages", neutral: ["languages/concepts"] });
    expect(LANGUAGES.sort()).toEqual([
      "languages/csharp",
      "languages/go",
      "languages/java",
      "languages/node",
      "languages/php",
      "languages/python",
      "languages/ruby",
    ]);
  });

  it("gives every form, whatever the seed and language, the same topic × difficulty table", () => {
    const tables = new Set<string>();
    for (let i = 0; i < SEEDS; i += 1) {
      const language = LANGUAGES[i % LANGUAGES.length]!;
      const form = drawForm(`form-${i}`, language);
      expect(form).toHaveLength(60);
      expect(new Set(form.map((q) => q.versionId)).size).toBe(60);
      expect(tally(form.map((q) => rootOf(q.topicPath)))).toEqual(record.blueprint);
      expect(tally(form.map((q) => String(q.difficulty)))).toEqual(record.difficultyQuota);
      tables.add(
        JSON.stringify(Object.entries(tally(form.map((q) => `${rootOf(q.topicPath)}:${q.difficulty}`))).sort()),
      );
      // The languages section: the chosen language and the language-neutral subtopic only.
      const section = form.filter((q) => rootOf(q.topicPath) === "languages").map((q) => q.topicPath);
      expect(section.every((p) => p === language || p === "languages/concepts")).toBe(true);
      expect(tally(section)).toEqual({ [language]: 2, "languages/concepts": 2 });
    }
    expect(tables.size).toBe(1);
    // Each topic: one easy, two medium, one hard.
    expect(Object.fromEntries(JSON.parse([...tables][0]!) as [string, number][])).toMatchObject({
      "http:1": 1,
      "http:2": 2,
      "http:3": 1,
    });
  });

  it("spreads each topic over its subtopics: no subtopic twice while another has none", () => {
    for (let i = 0; i < SEEDS; i += 1) {
      const form = drawForm(`spread-${i}`, "languages/go");
      const byTopic = new Map<string, string[]>();
      for (const q of form)
        byTopic.set(rootOf(q.topicPath), [...(byTopic.get(rootOf(q.topicPath)) ?? []), q.topicPath]);
      for (const [topic, paths] of byTopic) {
        const subtopics = new Set(
          poolForStack(pool, stack, "languages/go")
            .filter((q) => rootOf(q.topicPath) === topic)
            .map((q) => q.topicPath),
        ).size;
        const most = Math.max(...Object.values(tally(paths)));
        expect([topic, most]).toEqual([topic, Math.ceil(paths.length / subtopics)]);
      }
    }
  });

  it("keeps a fixed-ability learner's expected score the same on every form (it varied by ~5 points)", () => {
    const newForms = Array.from({ length: SEEDS }, (_, i) => drawForm(`score-${i}`, LANGUAGES[i % 7]!));
    const oldForms = Array.from({ length: SEEDS }, (_, i) => drawOldForm(`score-${i}`));
    const mastery = borderlineMastery(newForms[0]!);
    const spread = (forms: PoolQuestion[][]) => {
      const scores = forms.map((f) => expectedPercent(f, mastery));
      return { min: Math.min(...scores), max: Math.max(...scores) };
    };
    const hard = (forms: PoolQuestion[][]) => forms.map((f) => f.filter((q) => q.difficulty === 3).length);
    const before = spread(oldForms);
    const after = spread(newForms);
    expect(after.max - after.min).toBeLessThan(1e-9);
    expect(after.min).toBeCloseTo(70, 6);
    expect(before.max - before.min).toBeGreaterThan(3);
    expect(new Set(hard(newForms))).toEqual(new Set([15]));
    expect(Math.max(...hard(oldForms)) - Math.min(...hard(oldForms))).toBeGreaterThan(10);
  });

  it("has the type quota's runnable SQL exercises on every form: two in SQL, one in database design", () => {
    expect(record.typeQuota).toEqual({ sql: { sql: 2 }, "database-design": { sql: 1 } });
    const placed = new Set<string>();
    for (let i = 0; i < SEEDS; i += 1) {
      const form = drawForm(`types-${i}`, LANGUAGES[i % LANGUAGES.length]!);
      const sql = form.filter((q) => q.type === "sql");
      expect(tally(sql.map((q) => rootOf(q.topicPath)))).toMatchObject({ sql: expect.any(Number) });
      for (const [topic, types] of Object.entries(record.typeQuota!))
        for (const [type, n] of Object.entries(types))
          expect([topic, form.filter((q) => rootOf(q.topicPath) === topic && q.type === type).length >= n]).toEqual([
            topic,
            true,
          ]);
      // Within the topic counts and the difficulty quota (the table test above holds with it).
      expect(tally(form.map((q) => rootOf(q.topicPath)))).toEqual(record.blueprint);
      expect(tally(form.map((q) => String(q.difficulty)))).toEqual(record.difficultyQuota);
      for (const q of sql) placed.add(q.versionId);
    }
    // Drawn from across the bank's exercises, not the same few.
    expect(placed.size).toBeGreaterThan(20);
  });

  it("replays the same form from the same seed", () => {
    expect(drawForm("replay", "languages/python").map((q) => q.versionId)).toEqual(
      drawForm("replay", "languages/python").map((q) => q.versionId),
    );
  });
});

describe("difficultyTable", () => {
  const plenty = (topics: string[]) => Object.fromEntries(topics.map((t) => [t, { "1": 50, "2": 50, "3": 50 }]));

  it("splits each topic by the quota and meets both margins exactly", () => {
    const counts = { a: 5, b: 5, c: 3, d: 3 };
    const table = difficultyTable({
      counts,
      quota: { "1": 4, "2": 8, "3": 4 },
      available: plenty(["a", "b", "c", "d"]),
      tieSeed: "x",
    });
    for (const [t, n] of Object.entries(counts)) expect(Object.values(table[t]!).reduce((s, v) => s + v, 0)).toBe(n);
    for (const [l, n] of Object.entries({ "1": 4, "2": 8, "3": 4 }))
      expect(Object.values(table).reduce((s, row) => s + row[l]!, 0)).toBe(n);
  });

  it("scales a quota given as shares to the form's length", () => {
    const table = difficultyTable({
      counts: { a: 10 },
      quota: { "1": 30, "2": 50, "3": 20 },
      available: plenty(["a"]),
      tieSeed: "",
    });
    expect(table).toEqual({ a: { "1": 3, "2": 5, "3": 2 } });
  });

  it("swaps between topics when a topic lacks a level (an augmenting path)", () => {
    // a has no hard question: b must give both hard places, a takes b's medium ones.
    const table = difficultyTable({
      counts: { a: 2, b: 2 },
      quota: { "2": 2, "3": 2 },
      available: { a: { "2": 5, "3": 0 }, b: { "2": 5, "3": 5 } },
      tieSeed: "",
    });
    expect(table).toEqual({ a: { "2": 2, "3": 0 }, b: { "2": 0, "3": 2 } });
  });

  it("keeps the topic counts when the bank cannot meet the quota", () => {
    const table = difficultyTable({
      counts: { a: 3 },
      quota: { "1": 1, "2": 1, "3": 1 },
      available: { a: { "1": 0, "2": 5, "3": 1 } },
      tieSeed: "",
    });
    expect(table).toEqual({ a: { "1": 0, "2": 2, "3": 1 } });
  });

  it("meets both margins whenever some table can, over random banks", () => {
    const rng = createRng("table-property");
    for (let run = 0; run < 300; run += 1) {
      const topics = Array.from({ length: 1 + Math.floor(rng() * 6) }, (_, i) => `t${i}`);
      const available: Record<string, Record<string, number>> = Object.fromEntries(
        topics.map((t) => [t, { "1": Math.floor(rng() * 4), "2": Math.floor(rng() * 4), "3": Math.floor(rng() * 4) }]),
      );
      // A feasible instance: margins of a table drawn inside the availability.
      const target = Object.fromEntries(
        topics.map((t) => [
          t,
          Object.fromEntries(Object.entries(available[t]!).map(([l, n]) => [l, Math.floor(rng() * (n + 1))])),
        ]),
      );
      const counts = Object.fromEntries(topics.map((t) => [t, Object.values(target[t]!).reduce((s, v) => s + v, 0)]));
      const quota = Object.fromEntries(["1", "2", "3"].map((l) => [l, topics.reduce((s, t) => s + target[t]![l]!, 0)]));
      if (Object.values(quota).reduce((s, v) => s + v, 0) === 0) continue;
      const table = difficultyTable({ counts, quota, available, tieSeed: String(run) });
      for (const t of topics) {
        expect(Object.values(table[t]!).reduce((s, v) => s + v, 0)).toBe(counts[t]);
        for (const l of ["1", "2", "3"]) expect(table[t]![l]!).toBeLessThanOrEqual(available[t]![l]!);
      }
      for (const l of ["1", "2", "3"]) expect(topics.reduce((s, t) => s + table[t]![l]!, 0)).toBe(quota[l]);
    }
  });
});

describe("typeCells", () => {
  it("places a type quota in the row's fullest levels that have the type, the same every time", () => {
    expect(typeCells({ "1": 1, "2": 2, "3": 1 }, { "1": 3, "2": 5, "3": 2 }, 1, "x")).toEqual({
      "1": 0,
      "2": 1,
      "3": 0,
    });
    // The fullest level first, then the levels left tied, by lot: fixed for a seed.
    const three = typeCells({ "1": 1, "2": 2, "3": 1 }, { "1": 3, "2": 5, "3": 2 }, 3, "x");
    expect(three["1"]! + three["2"]! + three["3"]!).toBe(3);
    expect(three["2"]).toBeGreaterThanOrEqual(1);
    expect(typeCells({ "1": 1, "2": 2, "3": 1 }, { "1": 3, "2": 5, "3": 2 }, 3, "x")).toEqual(three);
    // A level without the type is skipped; more than the row holds, or the bank has, is capped.
    expect(typeCells({ "1": 1, "2": 2, "3": 1 }, { "2": 1, "3": 4 }, 3, "x")).toEqual({ "1": 0, "2": 1, "3": 1 });
    expect(typeCells({ any: 4 }, { any: 9 }, 6, "x")).toEqual({ any: 4 });
  });

  it("gives a small exam its type quota from a pool with few of the type, within the counts", () => {
    const q = (id: string, topic: string, type: string, difficulty: number): PoolQuestion => ({
      versionId: id,
      questionId: id,
      externalId: id,
      topicPath: topic,
      type,
      difficulty,
      choiceIds: [],
    });
    const small = [
      ...Array.from({ length: 12 }, (_, i) => q(`c${i}`, `db/s${i % 3}`, "single", 1 + (i % 3))),
      q("x1", "db/s0", "sql", 2),
      q("x2", "db/s2", "sql", 3),
      ...Array.from({ length: 6 }, (_, i) => q(`o${i}`, "other", "single", 1 + (i % 3))),
    ];
    for (let i = 0; i < 50; i += 1) {
      const form = selectQuestions({
        pool: small,
        count: 6,
        blueprint: { db: 3, other: 3 },
        difficultyQuota: { "1": 2, "2": 2, "3": 2 },
        typeQuota: { db: { sql: 2 } },
        tieSeed: "small",
        shuffleQuestions: false,
        shuffleOptions: false,
        rng: createRng(`small-${i}`),
      }).map((s) => small.find((x) => x.versionId === s.versionId)!);
      expect(
        form
          .filter((x) => x.type === "sql")
          .map((x) => x.versionId)
          .sort(),
      ).toEqual(["x1", "x2"]);
      expect(tally(form.map((x) => x.topicPath.split("/")[0]!))).toEqual({ db: 3, other: 3 });
      expect(tally(form.map((x) => String(x.difficulty)))).toEqual({ "1": 2, "2": 2, "3": 2 });
    }
  });
});

describe("exam definitions' type quota", () => {
  const exam = (typeQuota: string) => `format: stackprep-exams/1
exams:
  - slug: t
    title: T
    kind: mock
    questionCount: 4
    timeLimitMinutes: 10
    passMarkPercent: 50
    counts: { sql: 2, http: 2 }
    typeQuota: ${typeQuota}
`;
  it("is refused for a topic the exam does not have, a type that does not exist, or more than the topic's count", () => {
    expect(() => parseExamDefinitions(exam("{ dsa: { sql: 1 } }"), "e.yaml")).toThrow(
      /e\.yaml:\d+: exams\.0\.typeQuota\.dsa: a type quota's topic must be one of the exam's topics/,
    );
    expect(() => parseExamDefinitions(exam("{ sql: { essay: 1 } }"), "e.yaml")).toThrow(
      /typeQuota\.sql: Unrecognized key: "essay"/,
    );
    expect(() => parseExamDefinitions(exam("{ sql: { sql: 2, single: 1 } }"), "e.yaml")).toThrow(
      /exams\.0\.typeQuota\.sql: the topic has 2 question\(s\) on every form: its type quota asks for 3/,
    );
    expect(() => parseExamDefinitions(exam("{ sql: { sql: 0 } }"), "e.yaml")).toThrow(/typeQuota\.sql\.sql/);
    expect(examRecord(parseExamDefinitions(exam("{ sql: { sql: 2 } }"), "e.yaml")[0]!).typeQuota).toEqual({
      sql: { sql: 2 },
    });
  });
});

describe("drawFromGroups: the spread over subtopics", () => {
  it("takes one question per subtopic before any subtopic gets a second", () => {
    const questions = ["x", "x", "x", "y", "y", "z"].map((topicPath, i) => ({ topicPath, id: i, level: "any" }));
    for (let seed = 0; seed < 50; seed += 1) {
      const drawn = drawFromGroups(
        spreadGroups(questions, (q) => q.level),
        { any: 4 },
        createRng(String(seed)),
      );
      expect(tally(drawn.map((q) => q.topicPath))).toEqual(expect.objectContaining({ z: 1 }));
      expect(Math.max(...Object.values(tally(drawn.map((q) => q.topicPath))))).toBe(2);
    }
  });
});

describe("drawFromGroups (questions grouped once, some left out)", () => {
  it("picks what it picks on the same questions grouped without those left out, and changes no group", () => {
    const subs = ["x", "x", "x", "y", "y", "z", "z", "w"];
    const questions = Array.from({ length: 40 }, (_, i) => ({
      topicPath: subs[i % 8]!,
      id: i,
      level: String(1 + (i % 3)),
    }));
    const groups = spreadGroups(questions, (q) => q.level);
    const before = JSON.stringify([...groups].map(([s, l]) => [s, [...l]]));
    for (let seed = 0; seed < 200; seed += 1) {
      const rng = createRng(`s${seed}`);
      const exclude = new Set(questions.filter(() => rng() < 0.2));
      const earlier = [...exclude].slice(0, 2);
      const need = { "1": 2, "2": 3, "3": 1 };
      expect(drawFromGroups(groups, need, createRng(String(seed)), earlier, exclude)).toEqual(
        drawFromGroups(
          spreadGroups(
            questions.filter((q) => !exclude.has(q)),
            (q) => q.level,
          ),
          need,
          createRng(String(seed)),
          earlier,
        ),
      );
    }
    expect(JSON.stringify([...groups].map(([s, l]) => [s, [...l]]))).toBe(before);
  });
});

describe("allocate with an exam's tie-break", () => {
  it("breaks equal weights by a lot drawn from the exam's slug, not by name", () => {
    // Seven equal weights share four extra places: which four depends on the slug, and over
    // many slugs each name wins about as often (4/7).
    const weights = Object.fromEntries(["a", "b", "c", "d", "e", "f", "g"].map((t) => [t, 1]));
    const wins = Object.fromEntries(Object.keys(weights).map((t) => [t, 0]));
    for (let i = 0; i < 700; i += 1) {
      const counts = allocate(25, weights, `exam-${i}`);
      expect(Object.values(counts).reduce((s, v) => s + v, 0)).toBe(25);
      for (const [t, n] of Object.entries(counts)) if (n === 4) wins[t]! += 1;
    }
    for (const t of Object.keys(weights)) expect(wins[t]! / 700).toBeGreaterThan(0.45);
    expect(allocate(25, weights, "same")).toEqual(allocate(25, weights, "same"));
  });

  it("returns stated counts unchanged", () => {
    expect(allocate(10, { a: 3, b: 3, c: 4 }, "any")).toEqual({ a: 3, b: 3, c: 4 });
  });
});

describe("a pool drawn from again and again (an exam day's kept pool)", () => {
  it("gives the forms a fresh copy gives, and another exam's on the same array that exam's counts", () => {
    const kept = Object.freeze(poolForStack(pool, stack, LANGUAGES[0]!));
    for (const seed of ["a", "b", "c"])
      expect(selectQuestions(mockForm(kept, seed))).toEqual(selectQuestions(mockForm([...kept], seed)));
    const topics = Object.keys(record.blueprint!);
    const other = selectQuestions({
      ...mockForm(kept, "d"),
      count: topics.length * 2,
      blueprint: Object.fromEntries(topics.map((t) => [t, 1])),
      difficultyQuota: null,
      typeQuota: null,
    });
    expect(tally(other.map((s) => rootOf(s.topicPath)))).toEqual(Object.fromEntries(topics.map((t) => [t, 2])));
    expect(selectQuestions(mockForm(kept, "a"))).toEqual(selectQuestions(mockForm([...kept], "a")));
  });
});
