import {
  gradeResponse,
  normaliseAnswer,
  parseNumeric,
  scoreAttempt,
  type GradeResult,
} from "../../../src/modules/exams/grading";
import { matchPattern } from "../../../src/modules/banks";

const option = (id: string, correct: boolean, weight?: number) => ({
  id,
  md: id,
  html: id,
  correct,
  ...(weight === undefined ? {} : { weight }),
});
const allOrNothing = { partialCredit: false, matchPattern };
const partial = { partialCredit: true, matchPattern };
const right: GradeResult = { correct: true, score: 1 };
const wrong: GradeResult = { correct: false, score: 0 };

describe("gradeResponse: single", () => {
  const body = { options: [option("a", false), option("b", true), option("c", false)] };

  it("is right only for the correct option", () => {
    expect(gradeResponse("single", body, { type: "single", optionId: "b" }, allOrNothing)).toEqual(right);
    expect(gradeResponse("single", body, { type: "single", optionId: "a" }, allOrNothing)).toEqual(wrong);
    expect(gradeResponse("single", body, { type: "single", optionId: "b" }, partial)).toEqual(right);
  });

  it("scores an option the question does not have as wrong", () => {
    expect(gradeResponse("single", body, { type: "single", optionId: "z" }, allOrNothing)).toEqual(wrong);
    expect(gradeResponse("single", body, { type: "single", optionId: "" }, allOrNothing)).toEqual(wrong);
  });
});

describe("gradeResponse: multiple", () => {
  // a, b, c correct; d, e not.
  const body = {
    options: [option("a", true), option("b", true), option("c", true), option("d", false), option("e", false)],
  };
  const pick = (...optionIds: string[]) => ({ type: "multiple" as const, optionIds });

  it("is all-or-nothing by default", () => {
    expect(gradeResponse("multiple", body, pick("c", "a", "b"), allOrNothing)).toEqual(right);
    expect(gradeResponse("multiple", body, pick("a", "b"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("multiple", body, pick("a", "b", "c", "d"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("multiple", body, pick(), allOrNothing)).toEqual(wrong);
  });

  it("ignores a repeated id", () => {
    expect(gradeResponse("multiple", body, pick("a", "a", "b", "c"), allOrNothing)).toEqual(right);
  });

  it("gives (hits - wrong picks) / correct options with partial credit, never below 0", () => {
    expect(gradeResponse("multiple", body, pick("a", "b", "c"), partial)).toEqual(right);
    expect(gradeResponse("multiple", body, pick("a", "b"), partial)).toEqual({ correct: false, score: 2 / 3 });
    expect(gradeResponse("multiple", body, pick("a", "b", "d"), partial)).toEqual({ correct: false, score: 1 / 3 });
    expect(gradeResponse("multiple", body, pick("a", "b", "c", "d"), partial)).toEqual({
      correct: false,
      score: 2 / 3,
    });
    expect(gradeResponse("multiple", body, pick("a", "d", "e"), partial)).toEqual(wrong);
    expect(gradeResponse("multiple", body, pick("d"), partial)).toEqual(wrong);
    expect(gradeResponse("multiple", body, pick(), partial)).toEqual(wrong);
  });

  it("uses GIFT weights (percent) for partial credit when the options carry them", () => {
    const weighted = {
      options: [option("a", true, 50), option("b", true, 50), option("c", false, -50), option("d", false, 0)],
    };
    expect(gradeResponse("multiple", weighted, pick("a", "b"), partial)).toEqual(right);
    expect(gradeResponse("multiple", weighted, pick("a"), partial)).toEqual({ correct: false, score: 0.5 });
    expect(gradeResponse("multiple", weighted, pick("a", "b", "d"), partial)).toEqual(right);
    expect(gradeResponse("multiple", weighted, pick("a", "b", "c"), partial)).toEqual({ correct: false, score: 0.5 });
    expect(gradeResponse("multiple", weighted, pick("a", "c", "d"), partial)).toEqual(wrong);
    expect(gradeResponse("multiple", weighted, pick("c"), partial)).toEqual(wrong);
    // Without partial credit the correct flags decide, all or nothing.
    expect(gradeResponse("multiple", weighted, pick("a", "b", "d"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("multiple", weighted, pick("a", "b"), allOrNothing)).toEqual(right);
  });

  it("clamps weights above 100% and counts thirds of 33.33333% as full marks", () => {
    const over = { options: [option("a", true, 100), option("b", true, 100)] };
    expect(gradeResponse("multiple", over, pick("a", "b"), partial)).toEqual(right);
    const thirds = {
      options: [
        option("a", true, 33.33333),
        option("b", true, 33.33333),
        option("c", true, 33.33333),
        option("d", false, -100),
      ],
    };
    expect(gradeResponse("multiple", thirds, pick("a", "b", "c"), partial)).toEqual(right);
    const two = gradeResponse("multiple", thirds, pick("a", "b"), partial);
    expect(two.correct).toBe(false);
    expect(two.score).toBeCloseTo(0.6666666, 6);
  });

  it("scores ids the question never offered as wrong, whatever else was chosen", () => {
    expect(gradeResponse("multiple", body, pick("a", "b", "c", "zz"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("multiple", body, pick("a", "b", "c", "zz"), partial)).toEqual(wrong);
  });

  it("scores a question stored with no correct option as wrong instead of dividing by zero", () => {
    const broken = { options: [option("a", false), option("b", false)] };
    expect(gradeResponse("multiple", broken, pick(), partial)).toEqual(wrong);
    expect(gradeResponse("multiple", broken, pick(), allOrNothing)).toEqual(wrong);
  });
});

describe("gradeResponse: truefalse", () => {
  it("compares the value with the key", () => {
    expect(gradeResponse("truefalse", { answer: false }, { type: "truefalse", value: false }, allOrNothing)).toEqual(
      right,
    );
    expect(gradeResponse("truefalse", { answer: false }, { type: "truefalse", value: true }, allOrNothing)).toEqual(
      wrong,
    );
    expect(gradeResponse("truefalse", { answer: true }, { type: "truefalse", value: true }, allOrNothing)).toEqual(
      right,
    );
  });
});

describe("gradeResponse: short", () => {
  const answer = (text: string) => ({ type: "short" as const, text });
  const grade = (body: { accept: string[]; caseSensitive: boolean; pattern?: string }, text: string) =>
    gradeResponse("short", body, answer(text), allOrNothing);

  it("accepts any listed answer after trimming, folding white space and lower-casing", () => {
    const body = { accept: ["Idempotent", "idem potent  method"], caseSensitive: false };
    expect(grade(body, "idempotent")).toEqual(right);
    expect(grade(body, "  IDEMPOTENT \n")).toEqual(right);
    expect(grade(body, "Idem\t potent method")).toEqual(right);
    expect(grade(body, "idempotence")).toEqual(wrong);
    expect(grade(body, "")).toEqual(wrong);
    expect(grade(body, "   ")).toEqual(wrong);
  });

  it("keeps case when the question is case sensitive", () => {
    const body = { accept: ["SELECT"], caseSensitive: true };
    expect(grade(body, " SELECT ")).toEqual(right);
    expect(grade(body, "select")).toEqual(wrong);
  });

  it("compares composed and decomposed Unicode as the same text", () => {
    const body = { accept: ["caf\u00e9"], caseSensitive: false };
    expect(grade(body, "cafe\u0301")).toEqual(right);
    expect(normaliseAnswer("  Cafe\u0301  au   LAIT ", false)).toBe("caf\u00e9 au lait");
    expect(normaliseAnswer("  Cafe\u0301 ", true)).toBe("Caf\u00e9");
  });

  it("accepts an answer the whole of which matches the pattern", () => {
    const body = { accept: [], caseSensitive: false, pattern: "40[134]" };
    expect(grade(body, "403")).toEqual(right);
    expect(grade(body, " 404 ")).toEqual(right);
    expect(grade(body, "4030")).toEqual(wrong);
    expect(grade(body, "x403")).toEqual(wrong);
  });

  it("anchors an alternation as a whole", () => {
    const body = { accept: [], caseSensitive: false, pattern: "put|delete" };
    expect(grade(body, "PUT")).toEqual(right);
    expect(grade(body, "delete")).toEqual(right);
    expect(grade(body, "output")).toEqual(wrong);
    expect(grade(body, "deleted")).toEqual(wrong);
  });

  it("matches the pattern ignoring case unless the question is case sensitive", () => {
    expect(grade({ accept: [], caseSensitive: false, pattern: "Cache-Control" }, "cache-control")).toEqual(right);
    expect(grade({ accept: [], caseSensitive: true, pattern: "Cache-Control" }, "cache-control")).toEqual(wrong);
    expect(grade({ accept: [], caseSensitive: true, pattern: "Cache-Control" }, "Cache-Control")).toEqual(right);
  });

  it("matches the pattern against the folded answer", () => {
    expect(grade({ accept: [], caseSensitive: false, pattern: "no store" }, "  no \t store ")).toEqual(right);
  });

  it("accepts by list or by pattern when the question has both", () => {
    const body = { accept: ["HTTP/2"], caseSensitive: false, pattern: "h2c?" };
    expect(grade(body, "http/2")).toEqual(right);
    expect(grade(body, "h2c")).toEqual(right);
    expect(grade(body, "http/3")).toEqual(wrong);
  });

  it("never matches a pattern that does not compile, and does not throw", () => {
    const body = { accept: ["ok"], caseSensitive: false, pattern: "([a-z" };
    expect(grade(body, "([a-z")).toEqual(wrong);
    expect(grade(body, "ok")).toEqual(right);
  });
});

describe("gradeResponse: numeric", () => {
  const value = (v: number) => ({ type: "numeric" as const, value: v });
  const grade = (answers: { value: number; tolerance: number }[], v: number) =>
    gradeResponse("numeric", { answers }, value(v), allOrNothing);

  it("accepts the value within its tolerance, edges included", () => {
    const answers = [{ value: 100, tolerance: 5 }];
    expect(grade(answers, 100)).toEqual(right);
    expect(grade(answers, 95)).toEqual(right);
    expect(grade(answers, 105)).toEqual(right);
    expect(grade(answers, 105.01)).toEqual(wrong);
    expect(grade(answers, 94.99)).toEqual(wrong);
  });

  it("accepts any of several answers", () => {
    const answers = [
      { value: 404, tolerance: 0 },
      { value: 410, tolerance: 0 },
    ];
    expect(grade(answers, 410)).toEqual(right);
    expect(grade(answers, 404)).toEqual(right);
    expect(grade(answers, 405)).toEqual(wrong);
  });

  it("forgives binary floating point but not a real difference", () => {
    expect(grade([{ value: 0.3, tolerance: 0 }], 0.1 + 0.2)).toEqual(right);
    expect(grade([{ value: 1.1, tolerance: 0.1 }], 1.0)).toEqual(right); // 1.1 - 1.0 is 0.10000000000000009
    expect(grade([{ value: 0.3, tolerance: 0 }], 0.3000001)).toEqual(wrong);
    expect(grade([{ value: 1e6, tolerance: 0 }], 1e6 + 1)).toEqual(wrong);
  });

  it("scores NaN and infinities as wrong", () => {
    const answers = [{ value: 1, tolerance: 1e308 }];
    expect(grade(answers, Number.NaN)).toEqual(wrong);
    expect(grade(answers, Infinity)).toEqual(wrong);
    expect(grade(answers, -Infinity)).toEqual(wrong);
  });

  it("skips a stored answer that is not finite", () => {
    expect(grade([{ value: Number.NaN, tolerance: 0 }], 0)).toEqual(wrong);
    expect(grade([{ value: 5, tolerance: Infinity }], 7)).toEqual(wrong);
  });
});

describe("gradeResponse: ordering", () => {
  const body = {
    items: [
      { id: "a", md: "first", html: "first" },
      { id: "b", md: "second", html: "second" },
      { id: "c", md: "third", html: "third" },
    ],
  };
  const order = (...itemIds: string[]) => ({ type: "ordering" as const, itemIds });

  it("is right only for the whole order", () => {
    expect(gradeResponse("ordering", body, order("a", "b", "c"), allOrNothing)).toEqual(right);
    expect(gradeResponse("ordering", body, order("a", "c", "b"), partial)).toEqual(wrong);
    expect(gradeResponse("ordering", body, order("a", "b"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("ordering", body, order("a", "b", "c", "c"), allOrNothing)).toEqual(wrong);
    expect(gradeResponse("ordering", body, order(), allOrNothing)).toEqual(wrong);
  });
});

describe("gradeResponse: unanswered and mismatched", () => {
  it("scores no response as wrong", () => {
    expect(gradeResponse("truefalse", { answer: true }, null, allOrNothing)).toEqual(wrong);
    expect(gradeResponse("single", { options: [option("a", true)] }, null, partial)).toEqual(wrong);
  });

  it("scores a response of another type as wrong", () => {
    expect(
      gradeResponse("single", { options: [option("a", true)] }, { type: "multiple", optionIds: ["a"] }, allOrNothing),
    ).toEqual(wrong);
    expect(gradeResponse("truefalse", { answer: true }, { type: "short", text: "true" }, allOrNothing)).toEqual(wrong);
  });

  it("scores a body of the wrong shape as wrong rather than throwing", () => {
    expect(gradeResponse("single", { answer: true }, { type: "single", optionId: "a" }, allOrNothing)).toEqual(wrong);
    expect(
      gradeResponse("numeric", { accept: ["1"], caseSensitive: false }, { type: "numeric", value: 1 }, allOrNothing),
    ).toEqual(wrong);
    expect(gradeResponse("ordering", { answer: false }, { type: "ordering", itemIds: [] }, allOrNothing)).toEqual(
      wrong,
    );
  });
});

describe("parseNumeric", () => {
  it.each([
    ["42", 42],
    [" 42 ", 42],
    ["-3.5e2", -350],
    ["+7", 7],
    ["1E3", 1000],
    [".5", 0.5],
    ["5.", 5],
    ["1,234.5", 1234.5],
    ["1,234", 1234],
    ["-12,345,678", -12345678],
    ["3,14", 3.14],
    ["0,5", 0.5],
    ["-2,5", -2.5],
    ["12345,6", 12345.6],
    ["-0", 0],
  ])("reads %j as %p", (input, expected) => {
    expect(parseNumeric(input)).toBe(expected);
  });

  it.each([
    "",
    "   ",
    "abc",
    "12abc",
    "1 234",
    "1,23,4",
    "12,3456",
    "1,2345",
    "1,234,5",
    "1,2.5",
    "1.234,5",
    "3,14e2",
    "1..2",
    "--1",
    "NaN",
    "Infinity",
    "1e999",
    "0x10",
    "e5",
    ".",
    ",5",
  ])("rejects %j", (input) => {
    expect(parseNumeric(input)).toBeNull();
  });
});

describe("scoreAttempt", () => {
  const item = (topicPath: string, result: GradeResult) => ({ topicPath, result });

  it("counts, scores to one decimal and groups by topic in name order", () => {
    const summary = scoreAttempt(
      [
        item("sql/joins", right),
        item("http/methods", wrong),
        item("http/caching", right),
        item("sql/joins", { correct: false, score: 0.5 }),
        item("http/methods", right),
        item("sql/joins", wrong),
      ],
      50,
    );
    // 1 + 0 + 1 + 0.5 + 1 + 0 = 3.5 of 6 = 58.33...%
    expect(summary).toEqual({
      correctCount: 3,
      total: 6,
      scorePercent: 58.3,
      passed: true,
      byTopic: [
        { topicPath: "http/caching", total: 1, correct: 1, scorePercent: 100 },
        { topicPath: "http/methods", total: 2, correct: 1, scorePercent: 50 },
        { topicPath: "sql/joins", total: 3, correct: 1, scorePercent: 50 },
      ],
    });
  });

  it("passes at exactly the pass mark and fails just below it", () => {
    const ten = (n: number) => Array.from({ length: 10 }, (_, i) => item("t", i < n ? right : wrong));
    expect(scoreAttempt(ten(7), 70)).toMatchObject({ scorePercent: 70, passed: true });
    expect(scoreAttempt(ten(6), 70)).toMatchObject({ scorePercent: 60, passed: false });
  });

  it("decides the pass on the rounded percentage the learner sees", () => {
    // 2 / 3 = 66.666...% shows as 66.7, and 66.7 meets a pass mark of 66.7.
    const items = [item("t", right), item("t", right), item("t", wrong)];
    expect(scoreAttempt(items, 66.7)).toMatchObject({ scorePercent: 66.7, passed: true });
    expect(scoreAttempt(items, 66.8)).toMatchObject({ scorePercent: 66.7, passed: false });
  });

  it("rounds halves up", () => {
    // 1 of 16 = 6.25%.
    const items = Array.from({ length: 16 }, (_, i) => item("t", i === 0 ? right : wrong));
    expect(scoreAttempt(items, 0).scorePercent).toBe(6.3);
  });

  // Nothing scored happens only to a practice of essays (never scored): no pass or fail to report.
  it("scores an attempt with nothing scored 0, neither passed nor failed", () => {
    expect(scoreAttempt([], 70)).toEqual({ correctCount: 0, total: 0, scorePercent: 0, passed: null, byTopic: [] });
    expect(scoreAttempt([], 0).passed).toBeNull();
  });

  it("keeps an out-of-range score within [0, 1]", () => {
    const items = [item("t", { correct: false, score: 7 }), item("t", { correct: false, score: Number.NaN })];
    expect(scoreAttempt(items, 70).scorePercent).toBe(50);
  });
});

describe("gradeResponse: matching", () => {
  const body = {
    prompts: [
      { id: "pa", md: "GET", html: "GET", match: "ma" },
      { id: "pb", md: "PUT", html: "PUT", match: "mb" },
      { id: "pc", md: "HEAD", html: "HEAD", match: "ma" },
    ],
    matches: [
      { id: "ma", md: "safe", html: "safe" },
      { id: "mb", md: "idempotent", html: "idempotent" },
      { id: "mc", md: "neither", html: "neither" },
    ],
  };
  const answer = (pairs: [string, string][]) =>
    ({ type: "matching", pairs: pairs.map(([prompt, match]) => ({ prompt, match })) }) as const;
  const all = answer([
    ["pa", "ma"],
    ["pb", "mb"],
    ["pc", "ma"],
  ]);
  const two = answer([
    ["pa", "ma"],
    ["pb", "mc"],
    ["pc", "ma"],
  ]);

  it("is right when every prompt has its answer, in any order of pairs", () => {
    expect(gradeResponse("matching", body, all, allOrNothing)).toEqual(right);
    expect(gradeResponse("matching", body, { ...all, pairs: [...all.pairs].reverse() }, partial)).toEqual(right);
  });

  it("gives a share per right pair with partial credit, nothing without", () => {
    expect(gradeResponse("matching", body, two, partial)).toEqual({ correct: false, score: 2 / 3 });
    expect(gradeResponse("matching", body, two, allOrNothing)).toEqual(wrong);
  });

  it("counts a prompt left out as wrong, and an unknown prompt as nothing", () => {
    const one = answer([["pb", "mb"]]);
    expect(gradeResponse("matching", body, one, partial)).toEqual({ correct: false, score: 1 / 3 });
    const forged = answer([
      ["zz", "ma"],
      ["pb", "mb"],
    ]);
    expect(gradeResponse("matching", body, forged, partial)).toEqual({ correct: false, score: 1 / 3 });
  });

  it("scores 0 for another type's body or answer", () => {
    expect(gradeResponse("matching", { items: [] }, all, partial)).toEqual(wrong);
    expect(gradeResponse("matching", body, { type: "ordering", itemIds: [] }, partial)).toEqual(wrong);
    expect(gradeResponse("matching", body, null, partial)).toEqual(wrong);
  });
});

describe("gradeResponse: gap", () => {
  const body = {
    gaps: [
      { kind: "choice" as const, options: [option("ga", true), option("gb", false)] },
      { kind: "text" as const, accept: ["push", "git push"], caseSensitive: false },
      { kind: "text" as const, accept: ["HEAD"], caseSensitive: true },
    ],
  };
  const fills = (...f: ({ gap: number; optionId: string } | { gap: number; text: string })[]) =>
    ({ type: "gap", fills: f }) as const;

  it("is right when every blank is: the right option, text as a short answer compares it", () => {
    const all = fills({ gap: 1, optionId: "ga" }, { gap: 2, text: "  Git   PUSH " }, { gap: 3, text: "HEAD" });
    expect(gradeResponse("gap", body, all, allOrNothing)).toEqual(right);
  });

  it("gives a share per right blank with partial credit, nothing without", () => {
    const two = fills({ gap: 1, optionId: "ga" }, { gap: 2, text: "push" }, { gap: 3, text: "head" });
    expect(gradeResponse("gap", body, two, partial)).toEqual({ correct: false, score: 2 / 3 });
    expect(gradeResponse("gap", body, two, allOrNothing)).toEqual(wrong);
  });

  it("counts a blank left out, an option of no blank or text for a choice as wrong", () => {
    expect(gradeResponse("gap", body, fills({ gap: 2, text: "push" }), partial)).toEqual({
      correct: false,
      score: 1 / 3,
    });
    const odd = fills({ gap: 1, text: "ga" }, { gap: 2, optionId: "ga" }, { gap: 3, text: "HEAD" });
    expect(gradeResponse("gap", body, odd, partial)).toEqual({ correct: false, score: 1 / 3 });
    expect(gradeResponse("gap", { options: [] }, fills({ gap: 1, optionId: "ga" }), partial)).toEqual(wrong);
  });
});
