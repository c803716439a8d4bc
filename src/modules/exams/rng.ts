// A small seeded PRNG, so an attempt's draw and order can be replayed from its seed and tests
// can pin shuffles. Not for secrets: mulberry32 is fast and well spread, not unpredictable.

/** Uniform in [0, 1). */
export type Rng = () => number;

/** FNV-1a over the string's UTF-16 code units: turns any seed text into 32 bits. */
function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRng(seed: string): Rng {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [from, to): guards against an injected rng that returns exactly 1. */
const pick = (from: number, to: number, rng: Rng) => Math.min(to - 1, from + Math.floor(rng() * (to - from)));

function swap<T>(items: T[], i: number, j: number): void {
  const held = items[i] as T;
  items[i] = items[j] as T;
  items[j] = held;
}

/** Fisher-Yates on a copy: every order equally likely, the input untouched. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) swap(out, i, pick(0, i + 1, rng));
  return out;
}

/** An index of a list of `length` (> 0): the one `sample(list, 1, rng)` would take. */
export const pickAt = (length: number, rng: Rng) => pick(0, length, rng);

/** One item of a non-empty list: `sample(items, 1, rng)[0]` without the copy. */
export const pickOne = <T>(items: readonly T[], rng: Rng): T => items[pickAt(items.length, rng)]!;

/** n distinct items (by position), in drawn order; n is clipped to [0, items.length]. */
export function sample<T>(items: readonly T[], n: number, rng: Rng): T[] {
  const out = [...items];
  const take = Number.isNaN(n) ? 0 : Math.max(0, Math.min(Math.floor(n), out.length));
  // A partial Fisher-Yates: only the first `take` places need settling.
  for (let i = 0; i < take; i += 1) swap(out, i, pick(i, out.length, rng));
  return out.slice(0, take);
}
