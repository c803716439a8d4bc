import { itemStats, MIN_RESPONSES, THRESHOLDS, type ItemResponse } from "../../../src/modules/teach/item-stats";

/** A response given by its rest score (attempt points without this item), as the hand sums use it. */
const byRest = (attemptId: string, itemScore: number, rest: number, choice: string[] | null = null): ItemResponse => ({
  attemptId,
  itemScore,
  attemptPoints: rest + itemScore,
  choice,
});

/** One response per entry of `correct`, with rest scores 0, 1, 2, ... in that order. */
const ladder = (correct: number[]) => correct.map((x, rest) => byRest(`r${rest}`, x, rest));

describe("itemStats: a worked example", () => {
  // Ten attempts at one single-answer question (correct option "a"). x = item score,
  // P = attemptPoints (the input), y = rest score = P - x.
  //
  //   attempt  x   P   y   choice
  //   A        1  10   9   a
  //   B        1   9   8   a
  //   C        0   8   8   b
  //   D        1   8   7   a
  //   E        1   7   6   a
  //   F        0   6   6   c
  //   G        1   6   5   a
  //   H        0   4   4   b
  //   I        0   3   3   (unanswered)
  //   J        0   2   2   c
  const responses: ItemResponse[] = [
    { attemptId: "A", itemScore: 1, attemptPoints: 10, choice: ["a"] },
    { attemptId: "B", itemScore: 1, attemptPoints: 9, choice: ["a"] },
    { attemptId: "C", itemScore: 0, attemptPoints: 8, choice: ["b"] },
    { attemptId: "D", itemScore: 1, attemptPoints: 8, choice: ["a"] },
    { attemptId: "E", itemScore: 1, attemptPoints: 7, choice: ["a"] },
    { attemptId: "F", itemScore: 0, attemptPoints: 6, choice: ["c"] },
    { attemptId: "G", itemScore: 1, attemptPoints: 6, choice: ["a"] },
    { attemptId: "H", itemScore: 0, attemptPoints: 4, choice: ["b"] },
    { attemptId: "I", itemScore: 0, attemptPoints: 3, choice: null },
    { attemptId: "J", itemScore: 0, attemptPoints: 2, choice: ["c"] },
  ];
  const stats = itemStats(responses);

  it("reports the facility as the proportion correct", () => {
    // facility = Σx / n = 5 / 10 = 0.500
    expect(stats.responses).toBe(10);
    expect(stats.facility).toBeCloseTo(0.5, 3);
  });

  it("correlates the item with the rest score, not with the total", () => {
    // x̄ = 0.5; Σy = 9+8+8+7+6+6+5+4+3+2 = 58, ȳ = 5.8
    // y - ȳ: A 3.2, B 2.2, C 2.2, D 1.2, E 0.2, F 0.2, G -0.8, H -1.8, I -2.8, J -3.8
    // Sxy = Σ(x - x̄)(y - ȳ) = 0.5·(3.2+2.2+1.2+0.2-0.8) - 0.5·(2.2+0.2-1.8-2.8-3.8)
    //     = 0.5·6.0 - 0.5·(-6.0) = 6.0
    // Sxx = n·p·q = 10·0.5·0.5 = 2.5
    // Syy = Σy² - n·ȳ² = (81+64+64+49+36+36+25+16+9+4) - 10·33.64 = 384 - 336.4 = 47.6
    // r = 6.0 / √(2.5·47.6) = 6 / √119 = 6 / 10.9087 = 0.550
    // Check: M₁ = (9+8+7+6+5)/5 = 7.0, M₀ = (8+6+4+3+2)/5 = 4.6, s_y = √(47.6/10) = 2.1817,
    //        (7.0 - 4.6) / 2.1817 · √(0.5·0.5) = 1.1000 · 0.5 = 0.550
    // (Against the total score instead: Sxt = 6 + 2.5 = 8.5, Stt = 459 - 10·6.3² = 62.1,
    //  r = 8.5 / √(2.5·62.1) = 0.682: an uncorrected implementation fails here.)
    expect(stats.discrimination).toBeCloseTo(0.55, 3);
  });

  it("compares the top and bottom 27% by rest score", () => {
    // g = round(0.27·10) = 3
    // top 3 by y: A 9, B 8, C 8 -> x 1, 1, 0 -> 2/3
    // bottom 3 by y: J 2, I 3, H 4 -> x 0, 0, 0 -> 0
    // upperLower = 0.667 - 0 = 0.667
    // (By total instead: top = A 10, B 9, then C and D tied at 8 -> 2.5/3 = 0.833.)
    expect(stats.upperLower).toBeCloseTo(0.667, 3);
  });

  it("counts each option chosen and the unanswered responses", () => {
    expect(stats.optionCounts).toEqual({ a: 5, b: 2, c: 2 });
    expect(stats.unanswered).toBe(1);
  });

  it("raises no flag on a healthy item", () => {
    expect(stats.flags).toEqual([]);
  });
});

describe("itemStats: flags", () => {
  it("flags an item the weaker learners get right more often", () => {
    // y = 0..9; x = 1 at y ∈ {0, 1, 3, 4, 6}, x = 0 at y ∈ {2, 5, 7, 8, 9}
    // ȳ = 4.5, Syy = Σ(y - 4.5)² = 82.5, Sxx = 10·0.5·0.5 = 2.5
    // Sxy = Σ_{x=1}(y - ȳ) · 0.5 - Σ_{x=0}(y - ȳ) · 0.5 = 0.5·(14 - 22.5) - 0.5·(31 - 22.5) = -8.5
    // r = -8.5 / √(2.5·82.5) = -8.5 / 14.3614 = -0.592
    // Check: M₁ = 14/5 = 2.8, M₀ = 31/5 = 6.2, s_y = √8.25 = 2.8723, (2.8 - 6.2)/2.8723·0.5 = -0.592
    // g = 3: top y 9, 8, 7 -> x 0, 0, 0 -> 0; bottom y 0, 1, 2 -> x 1, 1, 0 -> 2/3; UL = -0.667
    const stats = itemStats(ladder([1, 1, 0, 1, 1, 0, 1, 0, 0, 0]));
    expect(stats.facility).toBeCloseTo(0.5, 3);
    expect(stats.discrimination).toBeCloseTo(-0.592, 3);
    expect(stats.upperLower).toBeCloseTo(-0.667, 3);
    expect(stats.flags).toEqual(["negative-discrimination"]);
  });

  it("flags a weakly discriminating item", () => {
    // y = 0..9; x = 1 at y ∈ {0, 3, 5, 7, 9} (Σ = 24)
    // Sxy = 24 - 5·4.5 = 1.5, r = 1.5 / √(2.5·82.5) = 1.5 / 14.3614 = 0.104 (< 0.2)
    // g = 3: top y 9, 8, 7 -> 1, 0, 1 -> 2/3; bottom y 0, 1, 2 -> 1, 0, 0 -> 1/3; UL = 0.333
    const stats = itemStats(ladder([1, 0, 0, 1, 0, 1, 0, 1, 0, 1]));
    expect(stats.discrimination).toBeCloseTo(0.104, 3);
    expect(stats.upperLower).toBeCloseTo(0.333, 3);
    expect(stats.flags).toEqual(["low-discrimination"]);
  });

  it("flags a too easy item", () => {
    // 11 responses, y = 0..10, only y = 0 wrong: facility = 10/11 = 0.909 (> 0.9)
    // ȳ = 5, Syy = Σ(y - 5)² = 110, Sxx = 11·(10/11)·(1/11) = 10/11
    // Sxy = Σ_{x=1}(y - ȳ) = (1+2+…+10) - 10·5 = 55 - 50 = 5
    // r = 5 / √((10/11)·110) = 5 / √100 = 0.500
    // g = round(2.97) = 3: top y 10, 9, 8 -> 1; bottom y 0, 1, 2 -> 0, 1, 1 -> 2/3; UL = 0.333
    const stats = itemStats(ladder([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    expect(stats.facility).toBeCloseTo(0.909, 3);
    expect(stats.discrimination).toBeCloseTo(0.5, 3);
    expect(stats.upperLower).toBeCloseTo(0.333, 3);
    expect(stats.flags).toEqual(["too-easy"]);
  });

  it("flags a too hard item", () => {
    // 11 responses, y = 0..10, only y = 9 and 10 right: facility = 2/11 = 0.182 (< 0.3)
    // Sxx = 11·(2/11)·(9/11) = 18/11, Sxy = (9 - 5) + (10 - 5) = 9, Syy = 110
    // r = 9 / √((18/11)·110) = 9 / √180 = 0.671
    // g = 3: top y 10, 9, 8 -> 1, 1, 0 -> 2/3; bottom -> 0; UL = 0.667
    const stats = itemStats(ladder([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]));
    expect(stats.facility).toBeCloseTo(0.182, 3);
    expect(stats.discrimination).toBeCloseTo(0.671, 3);
    expect(stats.upperLower).toBeCloseTo(0.667, 3);
    expect(stats.flags).toEqual(["too-hard"]);
  });

  it("treats the facility thresholds as strict", () => {
    // 9 of 10 right = 0.9 exactly and 3 of 10 = 0.3 exactly: neither too easy nor too hard.
    const nineRight = itemStats(ladder([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    const threeRight = itemStats(ladder([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]));
    expect(nineRight.facility).toBe(THRESHOLDS.tooEasy);
    expect(nineRight.flags).not.toContain("too-easy");
    expect(threeRight.facility).toBeCloseTo(THRESHOLDS.tooHard, 12);
    expect(threeRight.flags).not.toContain("too-hard");
  });
});

describe("itemStats: zero variance", () => {
  it("leaves discrimination undefined when everyone got the item right", () => {
    const stats = itemStats(ladder(Array.from({ length: 10 }, () => 1)));
    expect(stats.facility).toBe(1);
    expect(stats.discrimination).toBeNull();
    expect(stats.upperLower).toBe(0);
    expect(stats.flags).toEqual(["too-easy"]);
  });

  it("leaves discrimination undefined when everyone got the item wrong", () => {
    const stats = itemStats(ladder(Array.from({ length: 10 }, () => 0)));
    expect(stats.facility).toBe(0);
    expect(stats.discrimination).toBeNull();
    expect(stats.flags).toEqual(["too-hard"]);
  });

  it("leaves discrimination undefined when every rest score is the same", () => {
    // All ten tie on y = 4: each group takes 3/10 of every response, mean 0.5 -> UL = 0.5 - 0.5 = 0
    const stats = itemStats([1, 0, 1, 0, 1, 0, 1, 0, 1, 0].map((x, i) => byRest(`r${i}`, x, 4)));
    expect(stats.facility).toBeCloseTo(0.5, 3);
    expect(stats.discrimination).toBeNull();
    expect(stats.upperLower).toBeCloseTo(0, 3);
    expect(stats.flags).toEqual([]);
  });
});

describe("itemStats: few responses", () => {
  it(`reports only facility and counts below ${MIN_RESPONSES} responses`, () => {
    // Nine responses that would discriminate perfectly: still no correlation reported.
    const stats = itemStats(
      [0, 0, 0, 0, 1, 1, 1, 1, 1].map((x, rest) => byRest(`r${rest}`, x, rest, [x === 1 ? "a" : "b"])),
    );
    expect(stats.responses).toBe(9);
    expect(stats.facility).toBeCloseTo(0.556, 3); // 5 / 9
    expect(stats.discrimination).toBeNull();
    expect(stats.upperLower).toBeNull();
    expect(stats.optionCounts).toEqual({ a: 5, b: 4 });
    expect(stats.flags).toEqual(["few-responses"]);
  });

  it("reports nothing but the flag for no responses", () => {
    expect(itemStats([])).toEqual({
      responses: 0,
      facility: null,
      discrimination: null,
      upperLower: null,
      optionCounts: {},
      unanswered: 0,
      flags: ["few-responses"],
    });
  });
});

describe("itemStats: details", () => {
  it("shares a group place between responses tied on the rest score, whatever their order", () => {
    // y: A 9, B 8, C 7, D 7, E 5, F 4, G 3, H 2, I 1, J 0; x = 1 for A, B, C, F, H. g = 3.
    // top: A, B, then C and D share the last place at weight 1/2 -> (1 + 1 + ½·1 + ½·0)/3 = 0.833
    // bottom: J, I, H -> (0 + 0 + 1)/3 = 0.333
    // UL = 0.833 - 0.333 = 0.500 (cutting the tie by input order gives 0.667 or 0.333 instead)
    const responses = [
      byRest("A", 1, 9),
      byRest("B", 1, 8),
      byRest("C", 1, 7),
      byRest("D", 0, 7),
      byRest("E", 0, 5),
      byRest("F", 1, 4),
      byRest("G", 0, 3),
      byRest("H", 1, 2),
      byRest("I", 0, 1),
      byRest("J", 0, 0),
    ];
    expect(itemStats(responses).upperLower).toBeCloseTo(0.5, 3);
    expect(itemStats([...responses].reverse()).upperLower).toBeCloseTo(0.5, 3);
  });

  it("averages partial credit into the facility", () => {
    // (1 + 0.5 + 0.5 + 0 + 0.25 + 1 + 1 + 0 + 0.75 + 0) / 10 = 5 / 10 = 0.500
    const scores = [1, 0.5, 0.5, 0, 0.25, 1, 1, 0, 0.75, 0];
    expect(itemStats(ladder(scores)).facility).toBeCloseTo(0.5, 3);
  });

  it("counts every option of a multiple-answer response once, and an empty choice as unanswered", () => {
    const stats = itemStats([
      byRest("A", 1, 3, ["a", "c"]),
      byRest("B", 0, 2, ["a", "b", "a"]),
      byRest("C", 0, 1, []),
      byRest("D", 0, 1, null),
      byRest("E", 0, 0, ["constructor"]),
    ]);
    expect(stats.optionCounts).toEqual({ a: 2, c: 1, b: 1, constructor: 1 });
    expect(stats.unanswered).toBe(2);
  });

  it("refuses a percentage or fraction passed as attempt points", () => {
    // attemptPoints 0.8 (a fraction) with the item right would make the rest score negative.
    expect(() => itemStats([{ attemptId: "A", itemScore: 1, attemptPoints: 0.8, choice: null }])).toThrow(RangeError);
    expect(() => itemStats([{ attemptId: "A", itemScore: 100, attemptPoints: 100, choice: null }])).toThrow(
      /itemScore must be 0\.\.1/,
    );
  });
});
