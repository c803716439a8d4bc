// Ids of a question version's options or items, made when the version is (import, edit) from
// a CSPRNG. Ids by position (a, b, c ...) told the key to anyone who read the page: ordering
// items are stored in the correct order, so sorting their ids gave the answer, and options
// written key first gave theirs away the same way. Random ids carry no order at all.
import { randomInt } from "node:crypto";
import { matchChoices, type ParsedQuestion } from "./model";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz";
/** 26^6 (about 3e8) ids: a repeat within one question is redrawn, and guessing one is hopeless. */
const LENGTH = 6;

/** How many ids a question needs: one per option or ordering item; matching: per prompt and answer. */
export function choiceCount(q: ParsedQuestion): number {
  if (q.type === "matching") return q.pairs.length + matchChoices(q).length;
  if (q.type === "gap") return q.gaps.reduce((n, g) => n + (g.kind === "choice" ? g.options.length : 0), 0);
  if ("options" in q) return q.options.length;
  if ("items" in q) return q.items.length;
  return 0;
}

/** `count` distinct random ids; `randomBelow(n)` (uniform in [0, n)) is injectable for tests. */
export function newChoiceIds(count: number, randomBelow: (n: number) => number = randomInt): string[] {
  const ids = new Set<string>();
  for (let tries = 0; ids.size < count; tries += 1) {
    if (tries > count * 100) throw new Error("the id source repeats itself");
    let id = "";
    for (let i = 0; i < LENGTH; i += 1) id += ALPHABET[randomBelow(ALPHABET.length)];
    ids.add(id);
  }
  return [...ids];
}

/** New ids for each question, as `versionContents` takes them. */
export const choiceIdsFor = (questions: readonly ParsedQuestion[]): string[][] =>
  questions.map((q) => newChoiceIds(choiceCount(q)));
