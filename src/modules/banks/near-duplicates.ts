// Near-duplicate stems across a set of questions (pure): Jaccard similarity of the
// content words of the normalised text (stem, options). Used by the content check and the content report.

export type StemOwner = { id: string; stem: string };
export type NearDuplicate = { a: string; b: string; similarity: number };

const STOP = new Set(
  "a an the of to in on for and or is are be by with that this which what does do it its as at from when how why".split(
    " ",
  ),
);

function words(stem: string): string[] {
  return stem
    .toLowerCase()
    .replace(/```[\s\S]*?```/g, (code) => code.replace(/\s+/g, " "))
    .split(/[^a-z0-9_.$#-]+/)
    .filter((w) => w && !STOP.has(w));
}

// Single words catch paraphrases ("put these messages in order" / "order the messages")
// better than word pairs; callers pass the stem with the options or items, so two
// questions on one subject that ask different things stay apart.
function shingles(stem: string): Set<string> {
  return new Set(words(stem).filter((w) => w.length > 2));
}

/** Pairs whose stems share at least `threshold` of their content words (Jaccard). */
export function nearDuplicateStems(items: StemOwner[], threshold = 0.6): NearDuplicate[] {
  const sets = items.map((q) => shingles(q.stem));
  const found: NearDuplicate[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const si = sets[i]!;
    for (let j = i + 1; j < items.length; j += 1) {
      const sj = sets[j]!;
      const small = si.size < sj.size ? si : sj;
      const large = small === si ? sj : si;
      if (small.size === 0 || small.size / large.size < threshold) continue;
      let shared = 0;
      for (const s of small) if (large.has(s)) shared += 1;
      const similarity = shared / (si.size + sj.size - shared);
      if (similarity >= threshold) found.push({ a: items[i]!.id, b: items[j]!.id, similarity });
    }
  }
  return found.sort((x, y) => y.similarity - x.similarity);
}
