import { createRng, sample, shuffle, type Rng } from "../../../src/modules/exams/rng";

const constant =
  (value: number): Rng =>
  () =>
    value;
const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng());

describe("createRng", () => {
  it("replays the same sequence for the same seed (values checked against an independent implementation)", () => {
    // FNV-1a("attempt-1") fed to mulberry32, computed separately in Python.
    expect(draws(createRng("attempt-1"), 3)).toEqual([0.3221608072053641, 0.032804895425215364, 0.8944193739444017]);
    expect(draws(createRng(""), 3)).toEqual([0.6112444521859288, 0.4935242917854339, 0.7740248835179955]);
  });

  it("gives different sequences for different seeds", () => {
    expect(draws(createRng("attempt-1"), 5)).not.toEqual(draws(createRng("attempt-2"), 5));
  });

  it("stays in [0, 1) and spreads evenly over ten buckets", () => {
    const values = draws(createRng("uniformity"), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]! += 1;
    for (const count of buckets) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });
});

describe("shuffle", () => {
  const items = ["a", "b", "c", "d", "e", "f"] as const;

  it("returns a new array holding the same items and leaves the input alone", () => {
    const input = [...items];
    const out = shuffle(input, createRng("s"));
    expect(out).not.toBe(input);
    expect([...out].sort()).toEqual([...items]);
    expect(input).toEqual([...items]);
  });

  it("is reproducible from the seed and varies between seeds", () => {
    expect(shuffle(items, createRng("x"))).toEqual(shuffle(items, createRng("x")));
    const orders = new Set(["1", "2", "3", "4", "5"].map((seed) => shuffle(items, createRng(seed)).join("")));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("swaps each position with the drawn index (Fisher-Yates from the end)", () => {
    // rng 0 always picks index 0: d<->a, then c<->d, then b<->c.
    expect(shuffle(["a", "b", "c", "d"], constant(0))).toEqual(["b", "c", "d", "a"]);
    // The top of the range picks the position itself, so nothing moves; 1 is guarded the same way.
    expect(shuffle(["a", "b", "c", "d"], constant(0.999999))).toEqual(["a", "b", "c", "d"]);
    expect(shuffle(["a", "b", "c", "d"], constant(1))).toEqual(["a", "b", "c", "d"]);
  });

  it("makes every order about equally likely", () => {
    const rng = createRng("permutations");
    const seen = new Map<string, number>();
    for (let i = 0; i < 6_000; i += 1) {
      const key = shuffle(["a", "b", "c"], rng).join("");
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(["abc", "acb", "bac", "bca", "cab", "cba"]);
    for (const count of seen.values()) expect(Math.abs(count - 1_000)).toBeLessThan(120);
  });

  it("handles empty and single-item lists", () => {
    expect(shuffle([], createRng("e"))).toEqual([]);
    expect(shuffle(["only"], createRng("e"))).toEqual(["only"]);
  });
});

describe("sample", () => {
  const items = Array.from({ length: 10 }, (_, i) => i);

  it("draws n distinct items from the list", () => {
    const out = sample(items, 4, createRng("draw"));
    expect(out).toHaveLength(4);
    expect(new Set(out).size).toBe(4);
    for (const x of out) expect(items).toContain(x);
    expect(sample(items, 4, createRng("draw"))).toEqual(out);
  });

  it("treats equal values at different positions as different items", () => {
    expect(sample(["x", "x", "x"], 3, createRng("dup"))).toEqual(["x", "x", "x"]);
  });

  it("clips n to the list: more than available gives all, nothing for 0, negative or NaN", () => {
    expect([...sample(items, 25, createRng("c"))].sort((a, b) => a - b)).toEqual(items);
    expect([...sample(items, Infinity, createRng("c"))].sort((a, b) => a - b)).toEqual(items);
    expect(sample(items, 0, createRng("c"))).toEqual([]);
    expect(sample(items, -3, createRng("c"))).toEqual([]);
    expect(sample(items, Number.NaN, createRng("c"))).toEqual([]);
    expect(sample(items, 2.9, createRng("c"))).toHaveLength(2);
    expect(sample([], 3, createRng("c"))).toEqual([]);
  });

  it("does not change the input", () => {
    const input = [...items];
    sample(input, 5, createRng("keep"));
    expect(input).toEqual(items);
  });

  it("gives every item about the same chance of being drawn", () => {
    const rng = createRng("fair");
    const hits = new Array<number>(10).fill(0);
    for (let i = 0; i < 5_000; i += 1) for (const x of sample(items, 3, rng)) hits[x]! += 1;
    // 5,000 draws × 3 of 10 items: 1,500 each on average.
    for (const count of hits) expect(Math.abs(count - 1_500)).toBeLessThan(150);
  });
});
