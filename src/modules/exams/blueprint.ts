// How many questions each topic gets (pure). The rounding rule is the documented one
// (docs/question-bank-format.md, "Exam definitions"), so instructors can predict the counts.

export type Counts = Record<string, number>;

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${value}`);
}

/** Code-unit order, not locale order: the same on every server. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** FNV-1a over UTF-16 code units: a stable 32-bit lot for a name. */
function lotOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Order of names that tie on everything that matters: a lot drawn per name from a hash of
 * `seed` and the name (the exam's slug is the seed), not the alphabet. The same exam always
 * draws the same lots, so every form of it gets the same counts, while across exams no name is
 * favoured by where it sorts. Equal lots (a hash collision) fall back to the name.
 */
export const byLot = (seed: string) => (a: string, b: string) =>
  lotOf(`${seed}\u0000${a}`) - lotOf(`${seed}\u0000${b}`) || byName(a, b);

/**
 * Largest remainder: each topic gets floor(count × weight / total); the questions left over go
 * one each to the topics with the largest remainders, ties by larger weight, then by lot
 * (`byLot(tieSeed)`): an exam's weights are always allocated with its slug as `tieSeed`, so no
 * topic is favoured for where its name sorts. Without a `tieSeed` (shares that are not an
 * exam's topics, e.g. fillShortfall's) the last tie-break is the name.
 * Remainders are compared as count × weight − floor × total (a shared denominator), so that
 * 0.6 and 0.6000000000000001 cannot decide a tie. Weights that already add up to `count` come
 * back unchanged: explicit counts are their own allocation.
 */
export function allocate(count: number, weights: Counts, tieSeed?: string): Counts {
  assertCount("count", count);
  const topics = Object.entries(weights);
  for (const [topic, weight] of topics) {
    if (!Number.isFinite(weight) || weight < 0)
      throw new RangeError(`weight of "${topic}" must be >= 0, got ${weight}`);
  }
  const total = topics.reduce((sum, [, weight]) => sum + weight, 0);
  const tieBreak = tieSeed === undefined ? byName : byLot(tieSeed);
  if (total === 0) {
    if (count > 0) throw new RangeError("cannot allocate questions when every weight is 0");
    return Object.fromEntries(topics.map(([topic]) => [topic, 0]));
  }
  const shares = topics.map(([topic, weight]) => {
    const base = Math.floor((count * weight) / total);
    return { topic, weight, base, remainder: count * weight - base * total };
  });
  let left = count - shares.reduce((sum, s) => sum + s.base, 0);
  const byRemainder = shares
    .filter((s) => s.weight > 0)
    .sort((a, b) => b.remainder - a.remainder || b.weight - a.weight || tieBreak(a.topic, b.topic));
  const extra = new Set<string>();
  for (const share of byRemainder) {
    if (left <= 0) break;
    extra.add(share.topic);
    left -= 1;
  }
  return Object.fromEntries(shares.map((s) => [s.topic, s.base + (extra.has(s.topic) ? 1 : 0)]));
}

/**
 * When a topic has fewer questions than wanted, it gives what it has and the missing
 * questions move to topics with spare questions, so the exam keeps its length.
 *
 * The rule: each topic first gets min(wanted, available). The missing questions are then
 * shared among the topics that still have spare questions with `allocate` (largest
 * remainder), using their wanted counts as weights, so the blueprint's proportions hold as
 * well as they can. A share larger than a topic's spare is capped and the rest shared again
 * among the others, until nothing is missing or no topic has spare. Topics wanted 0 times
 * (weight 0, or rounded down to 0) are drawn on only after every wanted topic is exhausted,
 * in equal shares. A topic that must never be drawn from is one the caller leaves out of
 * `available`. Total = min(sum of wanted, sum of available).
 */
export function fillShortfall(wanted: Counts, available: Counts): Counts {
  const topics = [...new Set([...Object.keys(wanted), ...Object.keys(available)])];
  const wantedOf = (t: string) => wanted[t] ?? 0;
  const availableOf = (t: string) => available[t] ?? 0;
  for (const t of topics) {
    assertCount(`wanted["${t}"]`, wantedOf(t));
    assertCount(`available["${t}"]`, availableOf(t));
  }
  const granted = new Map(topics.map((t) => [t, Math.min(wantedOf(t), availableOf(t))]));
  const grantedOf = (t: string) => granted.get(t) ?? 0;
  const spareOf = (t: string) => availableOf(t) - grantedOf(t);
  let missing = topics.reduce((sum, t) => sum + wantedOf(t) - grantedOf(t), 0);

  while (missing > 0) {
    const withSpare = topics.filter((t) => spareOf(t) > 0);
    const preferred = withSpare.filter((t) => wantedOf(t) > 0);
    const donors = preferred.length > 0 ? preferred : withSpare;
    if (donors.length === 0) break;
    const shares = allocate(
      missing,
      Object.fromEntries(donors.map((t) => [t, preferred.length > 0 ? wantedOf(t) : 1])),
    );
    for (const t of donors) {
      const given = Math.min(shares[t] ?? 0, spareOf(t));
      granted.set(t, grantedOf(t) + given);
      missing -= given;
    }
  }
  return Object.fromEntries(topics.map((t) => [t, grantedOf(t)]));
}
