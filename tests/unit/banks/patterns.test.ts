import { parseNativeYaml, parseQuestionFragment } from "../../../src/modules/banks/formats/native-yaml";
import { linearPatternMatcher, MAX_PATTERN_LENGTH, patternProblem } from "../../../src/modules/banks/patterns";

const shortBank = (pattern: string) => `format: stackprep-bank/1
bank:
  slug: pat
  title: Patterns
topics:
  pat: Patterns
questions:
  - id: pat-1
    topic: pat
    difficulty: 2
    type: short
    stem: Which status codes mean the resource is not there?
    explanation: 404 and 410.
    pattern: ${JSON.stringify(pattern)}
`;

describe("short-answer patterns: what may be stored", () => {
  it("accepts the patterns a question needs", () => {
    for (const ok of [
      "40[134]",
      "put|delete",
      "h2c?",
      "[a-z]+-[a-z]+",
      "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}",
      "café",
    ])
      expect([ok, patternProblem(ok)]).toEqual([ok, undefined]);
  });

  it("refuses backreferences and lookaround, which the linear-time matcher cannot run", () => {
    for (const bad of ["(a)\\1", "(?=a)a", "(?!x)y", "(?<=a)b", "(?<!a)b"])
      expect(patternProblem(bad)).toMatch(/cannot be run by the linear-time matcher/);
  });

  it("refuses nested repetition such as (a+)+", () => {
    for (const bad of [
      "(a+)+b",
      "(\\w+\\s?)*",
      "(?:a*)*",
      "((ab)+c)+",
      "[a-z]+(?:-[a-z]+)*",
      "\\d{1,3}(?:\\.\\d{1,3}){3}",
    ])
      expect(patternProblem(bad)).toMatch(/repeats a group that itself repeats/);
  });

  it("refuses what is too costly to compile: length, large counted repetitions, \\p classes", () => {
    expect(patternProblem("a".repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/the limit is 200/);
    expect(patternProblem("[a-z]{1,1000}")).toMatch(/add up to 1000; they may add up to 20/);
    expect(patternProblem("x{21}")).toMatch(/counted repetitions/);
    expect(patternProblem("[^a]{0,20}[^b]{0,20}")).toMatch(/add up to 40/);
    expect(patternProblem("[^a]{0,20}")).toBeUndefined();
    expect(patternProblem("[{]{1,1000}")).toMatch(/counted repetitions/);
    expect(patternProblem("[x{1,1000}]")).toBeUndefined(); // braces inside a class are characters
    expect(patternProblem("[]{1,1000}]")).toBeUndefined();
    expect(patternProblem("\\p{L}+")).toMatch(/Unicode property class/);
    expect(patternProblem("\\{1,1000}")).toBeUndefined(); // an escaped brace is a character
  });

  it("reports the problem at the pattern's line and column in a bank file and in the editor", () => {
    const result = parseNativeYaml(shortBank("(a+)+b"), { file: "pat.yaml" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: "pat.yaml", line: 14, column: 14 });
    expect(result.errors[0]!.message).toMatch(/repeats a group that itself repeats/);
    const fragment = parseQuestionFragment(
      `id: pat-1\ntopic: pat\ndifficulty: 2\ntype: short\nstem: S?\nexplanation: E.\npattern: "(?<=a)b"\n`,
      { file: "question" },
    );
    expect(fragment.ok).toBe(false);
    if (!fragment.ok) expect(fragment.errors[0]).toMatchObject({ line: 7, column: 10 });
  });
});

describe("short-answer patterns: matching", () => {
  const match = linearPatternMatcher({ cacheSize: 4 });

  it("matches the whole answer, with or without case", () => {
    expect(match("40[134]", "404", false)).toBe(true);
    expect(match("40[134]", "4040", false)).toBe(false);
    expect(match("Cache-Control", "cache-control", false)).toBe(true);
    expect(match("Cache-Control", "cache-control", true)).toBe(false);
  });

  it("runs a stored catastrophic pattern in linear time", () => {
    const started = performance.now();
    expect(match("(a+)+b", "a".repeat(34), false)).toBe(false);
    expect(match("(a+)+b", `${"a".repeat(100_000)}c`, false)).toBe(false);
    expect(match("(a+)+b", "aaab", false)).toBe(true);
    // A backtracking engine takes minutes for the first of these.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("never matches a stored pattern that cannot run, or costs too much to compile", () => {
    expect(match("(a)\\1", "aa", false)).toBe(false);
    expect(match("([a-z", "([a-z", false)).toBe(false);
    expect(match("\\p{L}{1,20}", "abc", false)).toBe(false);
  });

  it("keeps working past its cache size (evicted patterns are freed)", () => {
    for (let i = 0; i < 200; i += 1) expect(match(`q${i}[0-9]{1,5}`, `q${i}42`, false)).toBe(true);
    expect(match("40[134]", "403", false)).toBe(true);
  });
});
