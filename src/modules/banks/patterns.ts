// Short-answer patterns: the rules a pattern must meet to be stored, and the matcher grading
// uses. Patterns are run by RE2 (re2-wasm), whose time is linear in the answer's length, so
// no pattern, even one stored before these rules, can hold the event loop for seconds as
// `(a+)+b` did in a backtracking engine.
//
// re2-wasm has limits of its own that the rules also cover: its memory is a fixed 16 MiB
// that a large compiled program exhausts (the module then aborts for good), compiled
// programs are freed only by an explicit delete(), and compiling is the expensive part
// (a Unicode property class such as \p{L} costs 40-50 ms, \p{L}{1,20} 400 ms, [a-z]{1,1000}
// half a second). Hence: short patterns, few counted repetitions, no \p classes, and a
// small cache of compiled patterns whose evicted entries are freed.
import { createRequire } from "node:module";
import safeRegex from "safe-regex2";

type Re2 = { test(input: string): boolean; wrapper: { delete(): void } };
type Re2Module = { RE2: new (pattern: string, flags: string) => Re2 };

export const MAX_PATTERN_LENGTH = 200;
/** The sum of a pattern's counted repetitions' bounds: [^a]{0,20} 16 times took 0.3-0.8 s to compile. */
export const MAX_COUNTED_REPETITION = 20;

/** The pattern as graded: the whole answer must match. */
const anchored = (pattern: string) => `^(?:${pattern})$`;

// Node's own loader, whose cache can be emptied to start the module afresh (see reloadEngine).
const nodeRequire = createRequire(__filename);
let engine: Re2Module | undefined;
function loadEngine(): Re2Module {
  // Loaded on first use: the module compiles 0.8 MB of WebAssembly (about 50 ms).
  return (engine ??= nodeRequire("re2-wasm") as Re2Module);
}

/** After an abort (its memory exhausted) the module is unusable: start a fresh instance. */
function reloadEngine(): void {
  for (const key of Object.keys(nodeRequire.cache)) if (key.includes("re2-wasm")) delete nodeRequire.cache[key];
  engine = undefined;
}

/**
 * What makes a pattern too costly for the engine, or undefined. Checked on every pattern,
 * stored ones included: a stored pattern that breaks these never matches.
 */
export function patternCostProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`;
  let inClass = false;
  let counted = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "p" || next === "P")
        return `pattern uses the Unicode property class \\${next}{...}, which is too costly to compile; write the characters as a class such as [a-zà-ÿ]`;
      i += 1;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      // A "]" first in a class ([]a], [^]a]) is one of its characters.
      if (pattern[i + 1] === "^") i += 1;
      if (pattern[i + 1] === "]") i += 1;
    } else if (c === "{") {
      const repetition = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 24));
      // Each repeat is a copy of the repeated part in the compiled program: the copies add up.
      if (repetition) counted += Math.max(Number(repetition[1]), Number(repetition[2] || 0));
    }
  }
  if (counted > MAX_COUNTED_REPETITION)
    return `pattern's counted repetitions ({n} and {n,m}) add up to ${counted}; they may add up to ${MAX_COUNTED_REPETITION} in a pattern (use + or * for "any number")`;
  return undefined;
}

/** Compiles with RE2, or returns its complaint. The compiled program is freed at once. */
function compileProblem(pattern: string): string | undefined {
  try {
    new (loadEngine().RE2)(anchored(pattern), "u").wrapper.delete();
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) {
      reloadEngine();
      return "pattern could not be compiled";
    }
    const reason = error.message.replace(/^Invalid regular expression: \/.*\/u?: /s, "");
    return `pattern cannot be run by the linear-time matcher (${reason}); backreferences such as \\1 and lookaround such as (?=...) or (?<!...) are not supported`;
  }
}

/**
 * Why a short-answer pattern cannot be stored, or undefined when it can. Beyond what the
 * engine can run, nested repetition such as (a+)+ is refused: harmless here, but it takes
 * exponential time in the backtracking engines a bank may be exported to.
 */
export function patternProblem(pattern: string): string | undefined {
  const costly = patternCostProblem(pattern);
  if (costly) return costly;
  const uncompilable = compileProblem(pattern);
  if (uncompilable) return uncompilable;
  if (!safeRegex(pattern))
    return "pattern repeats a group that itself repeats (such as (a+)+ or (\\w+\\s?)*), which takes exponential time in backtracking engines; write it without the nested repetition";
  return undefined;
}

/** Whether the whole (normalised) answer matches the pattern; a pattern that cannot run never matches. */
export type PatternMatcher = (pattern: string, answer: string, caseSensitive: boolean) => boolean;

/** A matcher keeping the last `cacheSize` compiled patterns (see the top of this file for why few). */
export function linearPatternMatcher(options: { cacheSize?: number } = {}): PatternMatcher {
  const { cacheSize = 16 } = options;
  const compiled = new Map<string, Re2 | null>(); // insertion order = least recently used first
  const forget = (re: Re2 | null | undefined) => {
    try {
      re?.wrapper.delete();
    } catch {
      // Already gone with an aborted engine.
    }
  };
  const compile = (pattern: string, caseSensitive: boolean): Re2 | null => {
    if (patternCostProblem(pattern)) return null;
    try {
      return new (loadEngine().RE2)(anchored(pattern), caseSensitive ? "u" : "iu");
    } catch (error) {
      if (!(error instanceof SyntaxError)) reset();
      return null;
    }
  };
  const reset = () => {
    for (const re of compiled.values()) forget(re);
    compiled.clear();
    reloadEngine();
  };
  return (pattern, answer, caseSensitive) => {
    const key = `${caseSensitive ? "s" : "i"}:${pattern}`;
    let re = compiled.get(key);
    if (re === undefined) {
      re = compile(pattern, caseSensitive);
      if (compiled.size >= cacheSize) {
        const [oldest, evicted] = compiled.entries().next().value!;
        compiled.delete(oldest);
        forget(evicted);
      }
    } else compiled.delete(key);
    compiled.set(key, re);
    if (!re) return false;
    try {
      return re.test(answer);
    } catch {
      reset();
      return false;
    }
  };
}

/** The process's matcher: one cache for every grading. */
export const matchPattern: PatternMatcher = linearPatternMatcher();
