import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { allocate, fillShortfall } from "../../../src/modules/exams/blueprint";
import { createRng } from "../../../src/modules/exams/rng";

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("allocate", () => {
  it("gives the mock exam's 60 questions by the documented rounding rule", () => {
    const file = parseYaml(readFileSync(join(__dirname, "../../../question-banks/exams.yaml"), "utf8")) as {
      exams: { slug: string; questionCount: number; counts?: Record<string, number> }[];
    };
    const mock = file.exams.find((e) => e.slug === "backend-mock-exam");
    if (!mock?.counts) throw new Error("backend-mock-exam has no counts");
    expect(mock.questionCount).toBe(60);
    // The mock exam now states its counts (four per topic): they are their own allocation.
    expect(allocate(mock.questionCount, mock.counts, "backend-mock-exam")).toEqual(mock.counts);
    expect(Object.values(mock.counts).every((n) => n === 4)).toBe(true);
    // The former weights, allocated by the old rule (ties by name), for the record:
    const weights = {
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

    // Worked by hand: 60 × w / 100 = 0.6 w. Weight 8 -> 4.8, 7 -> 4.2, 6 -> 3.6, 5 -> 3.0.
    // Floors give 4×4 + 3×4 + 7×3 + 3 = 52; 8 go to the largest remainders: the four 0.8s
    // (weight 8), then four of the seven 0.6s (weight 6, equal weights, so by name:
    // cloud-deployment, dsa, frameworks, languages). The 0.2s and the 0.0 get nothing.
    const expected = {
      http: 5,
      "rest-api": 4,
      sql: 5,
      "database-design": 5,
      "nosql-caching": 4,
      "web-security": 5,
      auth: 4,
      languages: 4,
      frameworks: 4,
      git: 3,
      "linux-networking": 3,
      "cloud-deployment": 4,
      scalability: 3,
      testing: 3,
      dsa: 4,
    };
    const counts = allocate(mock.questionCount, weights);
    expect(counts).toEqual(expected);
    expect(sum(counts)).toBe(60);
  });

  it("gives leftovers to the largest remainders first", () => {
    // 4 × 1/3 = 1.33 and 4 × 2/3 = 2.67: the one left over goes to b.
    expect(allocate(4, { a: 1, b: 2 })).toEqual({ a: 1, b: 3 });
  });

  it("breaks equal remainders by larger weight, then by name", () => {
    // 0.5 and 1.5: equal remainders, b weighs more even though a comes first by name.
    expect(allocate(2, { a: 1, b: 3 })).toEqual({ a: 0, b: 2 });
    expect(allocate(10, { c: 1, a: 1, b: 1 })).toEqual({ c: 3, a: 4, b: 3 });
    expect(allocate(11, { c: 1, a: 1, b: 1 })).toEqual({ c: 3, a: 4, b: 4 });
  });

  it("uses the total of the weights, not 100", () => {
    expect(allocate(6, { a: 1, b: 2 })).toEqual({ a: 2, b: 4 });
  });

  it("gives topics with weight 0 nothing, even with questions to spare", () => {
    expect(allocate(3, { a: 0, b: 1, c: 1 })).toEqual({ a: 0, b: 2, c: 1 });
    expect(allocate(1, { zero: 0, one: 1 })).toEqual({ zero: 0, one: 1 });
  });

  it("returns zeros for a count of 0", () => {
    expect(allocate(0, { a: 3, b: 1 })).toEqual({ a: 0, b: 0 });
    expect(allocate(0, { a: 0 })).toEqual({ a: 0 });
  });

  it("rejects inputs it cannot honour", () => {
    expect(() => allocate(5, { a: 0, b: 0 })).toThrow(RangeError);
    expect(() => allocate(5, {})).toThrow(RangeError);
    expect(() => allocate(5, { a: -1, b: 2 })).toThrow(/weight of "a"/);
    expect(() => allocate(2.5, { a: 1 })).toThrow(/count/);
    expect(() => allocate(-1, { a: 1 })).toThrow(/count/);
  });

  it("always sums to the count and stays within one of the exact share", () => {
    const rng = createRng("allocate-property");
    for (let run = 0; run < 300; run += 1) {
      const count = Math.floor(rng() * 200);
      const topics = 1 + Math.floor(rng() * 12);
      const weights = Object.fromEntries(
        Array.from({ length: topics }, (_, i) => [`t${i}`, 1 + Math.floor(rng() * 20)]),
      );
      const total = sum(weights);
      const counts = allocate(count, weights);
      expect(sum(counts)).toBe(count);
      for (const [topic, weight] of Object.entries(weights)) {
        const exact = (count * weight) / total;
        expect(counts[topic]).toBeGreaterThanOrEqual(Math.floor(exact));
        expect(counts[topic]).toBeLessThanOrEqual(Math.floor(exact) + 1);
      }
    }
  });
});

describe("fillShortfall", () => {
  it("keeps the wanted counts when every topic has enough", () => {
    expect(fillShortfall({ a: 3, b: 2 }, { a: 10, b: 2 })).toEqual({ a: 3, b: 2 });
  });

  it("moves a topic's missing questions to the others in proportion to their wanted counts", () => {
    // a lacks 3. Shared over b (4) and c (1): 2.4 and 0.6 -> 2 and 0, the last one to c's 0.6.
    expect(fillShortfall({ a: 5, b: 4, c: 1 }, { a: 2, b: 10, c: 10 })).toEqual({ a: 2, b: 6, c: 2 });
  });

  it("caps a share at the topic's spare questions and shares the rest again", () => {
    // a lacks 6. b (3, one spare) would get 5 (4.5 and 1.5, tie to the heavier b), takes 1;
    // c takes its 1, and the 4 still missing all go to c.
    expect(fillShortfall({ a: 6, b: 3, c: 1 }, { a: 0, b: 4, c: 20 })).toEqual({ a: 0, b: 4, c: 6 });
  });

  it("draws on topics wanted 0 times only when the wanted ones have run out", () => {
    expect(fillShortfall({ a: 3, b: 2, z: 0 }, { a: 1, b: 3, z: 10 })).toEqual({ a: 1, b: 3, z: 1 });
    expect(fillShortfall({ a: 4, y: 0, z: 0 }, { a: 0, y: 10, z: 10 })).toEqual({ a: 0, y: 2, z: 2 });
  });

  it("counts topics that are only in `available` as wanted 0 times", () => {
    expect(fillShortfall({ a: 2 }, { a: 0, extra: 5 })).toEqual({ a: 0, extra: 2 });
  });

  it("gives every question there is when the pool is smaller than the exam", () => {
    expect(fillShortfall({ a: 5, b: 5 }, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(fillShortfall({ a: 5 }, {})).toEqual({ a: 0 });
  });

  it("rejects counts that are not whole numbers >= 0", () => {
    expect(() => fillShortfall({ a: -1 }, { a: 3 })).toThrow(RangeError);
    expect(() => fillShortfall({ a: 1 }, { a: 1.5 })).toThrow(RangeError);
  });

  it("totals min(wanted, available) without exceeding any topic's pool", () => {
    const rng = createRng("shortfall-property");
    for (let run = 0; run < 300; run += 1) {
      const topics = Array.from({ length: 1 + Math.floor(rng() * 8) }, (_, i) => `t${i}`);
      const wanted = Object.fromEntries(topics.map((t) => [t, Math.floor(rng() * 10)]));
      const available = Object.fromEntries(topics.map((t) => [t, Math.floor(rng() * 12)]));
      const counts = fillShortfall(wanted, available);
      expect(sum(counts)).toBe(Math.min(sum(wanted), sum(available)));
      for (const t of topics) expect(counts[t]).toBeLessThanOrEqual(available[t]!);
      if (topics.every((t) => available[t]! >= wanted[t]!)) expect(counts).toEqual(wanted);
    }
  });
});
