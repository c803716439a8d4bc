// Parallel forms (pure): how many questions of each difficulty every topic gives, the same on
// every form of an exam, and which questions fill those places, spread over subtopics. The
// rules are documented in docs/content.md ("How a form is assembled").
import { allocate, byLot, type Counts } from "./blueprint";
import { pickAt, pickOne, type Rng } from "./rng";

/** topic -> level -> questions. Levels are difficulties as text ("1", "2", "3"). */
export type DifficultyTable = Record<string, Counts>;

const sum = (counts: Counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * The topic × difficulty table of a form, fixed by the exam (no randomness): every form then has
 * the same questions per topic, per difficulty and per topic and difficulty.
 *
 * 1. The quota is scaled to the form's length with `allocate` when it does not already add up.
 * 2. Each cell's exact share is counts[topic] × quota[level] / length; it gets the floor of it,
 *    capped by the questions the topic has at that level.
 * 3. The places left go one at a time to the cell furthest below its exact share (ties by lot,
 *    `byLot(tieSeed)`), among cells whose topic and level both still lack questions.
 * 4. When no such cell has a question to give, a swap chain makes room: a topic takes a question
 *    at a level it has spare, another topic gives one back at that level, and so on until a level
 *    that still lacks questions is reached (an augmenting path, as in bipartite matching).
 * 5. Only if the bank cannot meet the quota at all does a topic take questions at a level past
 *    its quota: the per-topic counts are kept before the difficulty quota.
 */
export function difficultyTable(input: {
  counts: Counts;
  quota: Counts;
  available: DifficultyTable;
  tieSeed: string;
}): DifficultyTable {
  const topics = Object.keys(input.counts);
  const length = sum(input.counts);
  const quota = sum(input.quota) === length ? { ...input.quota } : allocate(length, input.quota, input.tieSeed);
  const levels = Object.keys(quota);
  const avail = (t: string, l: string) => input.available[t]?.[l] ?? 0;
  const table: DifficultyTable = Object.fromEntries(
    topics.map((t) => [
      t,
      Object.fromEntries(
        levels.map((l) => [
          l,
          length === 0 ? 0 : Math.min(avail(t, l), Math.floor((input.counts[t]! * quota[l]!) / length)),
        ]),
      ),
    ]),
  );
  const rowNeed = (t: string) => input.counts[t]! - sum(table[t]!);
  const colNeed = (l: string) => quota[l]! - topics.reduce((s, t) => s + table[t]![l]!, 0);
  const canAdd = (t: string, l: string) => table[t]![l]! < avail(t, l);
  // How far a cell is below its exact share, in units of 1/length.
  const below = (t: string, l: string) => input.counts[t]! * quota[l]! - table[t]![l]! * length;
  const lot = byLot(input.tieSeed);

  for (;;) {
    const open = topics.flatMap((t) =>
      rowNeed(t) > 0 ? levels.filter((l) => colNeed(l) > 0 && canAdd(t, l)).map((l) => ({ t, l })) : [],
    );
    if (open.length) {
      open.sort((a, b) => below(b.t, b.l) - below(a.t, a.l) || lot(`${a.t}/${a.l}`, `${b.t}/${b.l}`));
      table[open[0]!.t]![open[0]!.l]! += 1;
      continue;
    }
    const short = topics.find((t) => rowNeed(t) > 0 && augment(t));
    if (!short) break;
  }

  /** Breadth-first search for add/remove/add... ending at a level that lacks questions. */
  function augment(start: string): boolean {
    const cameFrom = new Map<string, { level: string; from: string } | null>([[start, null]]);
    const reached = new Set<string>();
    const queue = [start];
    while (queue.length) {
      const topic = queue.shift()!;
      for (const level of levels) {
        if (reached.has(level) || !canAdd(topic, level)) continue;
        reached.add(level);
        if (colNeed(level) > 0) {
          // Walk back: add at (topic, level), remove at (previous topic, the level it came by)...
          let t = topic;
          let l = level;
          for (;;) {
            table[t]![l]! += 1;
            const step = cameFrom.get(t);
            if (!step) return true;
            table[t]![step.level]! -= 1;
            l = step.level;
            t = step.from;
          }
        }
        for (const other of topics) {
          if (cameFrom.has(other) || table[other]![level]! === 0) continue;
          cameFrom.set(other, { level, from: topic });
          queue.push(other);
        }
      }
    }
    return false;
  }

  // The bank cannot meet the quota: keep the topic counts, at whatever level has questions.
  for (const t of topics) {
    while (rowNeed(t) > 0) {
      const spare = levels
        .filter((l) => canAdd(t, l))
        .sort((a, b) => avail(t, b) - table[t]![b]! - (avail(t, a) - table[t]![a]!));
      if (!spare.length) break;
      table[t]![spare[0]!]! += 1;
    }
  }
  return table;
}

/** A topic's questions by subtopic, then by level, each list in the order given. */
export type SpreadGroups<Q> = ReadonlyMap<string, ReadonlyMap<string, readonly Q[]>>;

/** Groups questions for drawFromGroups (once per pool: see selection.ts's form plan). */
export function spreadGroups<Q extends { topicPath: string }>(
  questions: readonly Q[],
  levelOf: (q: Q) => string,
): SpreadGroups<Q> {
  const bySub = new Map<string, Map<string, Q[]>>();
  for (const q of questions) {
    let levels = bySub.get(q.topicPath);
    if (!levels) bySub.set(q.topicPath, (levels = new Map<string, Q[]>()));
    const level = levelOf(q);
    const atLevel = levels.get(level);
    if (atLevel) atLevel.push(q);
    else levels.set(level, [q]);
  }
  return bySub;
}

/**
 * What every draw from the same groups starts from, worked out once per groups (they are kept
 * with a pool's form plan, and never changed): the subtopics in sorted order (`sort()`'s, as the
 * lot between tied subtopics takes them), the levels, each (subtopic, level) list in one flat
 * array (`lists[sub * levels + level]`, in the order of `subs` and `levels`),
 * and the questions per level.
 */
function groupsIndex<Q>(groups: SpreadGroups<Q>): GroupsIndex<Q> {
  let known = indexes.get(groups) as GroupsIndex<Q> | undefined;
  if (!known) {
    const subs = [...groups.keys()].sort();
    const levels = [...new Set([...groups.values()].flatMap((byLevel) => [...byLevel.keys()]))];
    const lists: (readonly Q[] | undefined)[] = [];
    const perLevel: Counts = {};
    subs.forEach((sub, i) =>
      levels.forEach((level, j) => {
        const list = groups.get(sub)!.get(level);
        lists[i * levels.length + j] = list;
        if (list) perLevel[level] = (perLevel[level] ?? 0) + list.length;
      }),
    );
    known = { subs, subIndex: new Map(subs.map((sub, i) => [sub, i])), levels, lists, perLevel };
    indexes.set(groups, known);
  }
  return known;
}
type GroupsIndex<Q> = {
  subs: readonly string[];
  subIndex: ReadonlyMap<string, number>;
  levels: readonly string[];
  lists: readonly (readonly Q[] | undefined)[];
  perLevel: Readonly<Counts>;
};
const indexes = new WeakMap<SpreadGroups<unknown>, GroupsIndex<unknown>>();

/** How many questions the groups hold per level (kept with them: see groupsIndex). */
export const levelCounts = <Q>(groups: SpreadGroups<Q>): Readonly<Counts> => groupsIndex(groups).perLevel;

/**
 * Draws a topic's questions for its cells, spread over subtopics: each pick goes to a subtopic
 * with the fewest picks so far among those that still have a question at a level the topic
 * needs (ties by the rng), at the needed level with the least to spare. So no subtopic gets a
 * second question while another with a usable question has none. The questions come grouped
 * (spreadGroups, once per pool); `exclude` leaves some out (a type quota's, drawn before).
 * The groups are not changed.
 */
export function drawFromGroups<Q extends { topicPath: string }>(
  groups: SpreadGroups<Q>,
  need: Counts,
  rng: Rng,
  /** Questions of the topic already on the form (a type quota's): their subtopics count as picked. */
  earlier: readonly Q[] = [],
  exclude?: ReadonlySet<Q>,
): Q[] {
  const index = groupsIndex(groups);
  const { subs, levels, lists } = index;
  const width = levels.length;
  // This draw's state in flat arrays, by the index's subtopic and level numbers: questions left
  // per (subtopic, level), per level, and picks per subtopic. A list is copied only when this
  // draw first takes from it, or when it holds a question of `exclude` (then without those):
  // the groups stay as they are, and a form takes from few of a pool's lists.
  const counts = lists.map((list) => list?.length ?? 0);
  const copies: Q[][] = [];
  const remaining = levels.map((l) => index.perLevel[l] ?? 0);
  for (const q of exclude ?? []) {
    const sub = index.subIndex.get(q.topicPath);
    if (sub === undefined) continue;
    for (let j = 0; j < width; j += 1) {
      const at = sub * width + j;
      const list = lists[at];
      if (!list || copies[at] || !list.includes(q)) continue;
      const kept = list.filter((other) => !exclude!.has(other));
      copies[at] = kept;
      counts[at] = kept.length;
      remaining[j]! -= list.length - kept.length;
    }
  }
  const picks = subs.map(() => 0);
  for (const q of earlier) {
    const sub = index.subIndex.get(q.topicPath);
    if (sub !== undefined) picks[sub]! += 1;
  }
  // The levels asked for, in the order of `need`, with their numbers in the index (-1: the
  // groups have no question at that level) and the places each still needs.
  const needed = Object.keys(need);
  const level = needed.map((l) => levels.indexOf(l));
  const left = needed.map((l) => need[l]!);
  /** Whether subtopic `sub` has a question at a level still needed. */
  const usable = (sub: number) => {
    for (let k = 0; k < needed.length; k += 1)
      if (left[k]! > 0 && level[k]! >= 0 && counts[sub * width + level[k]!]! > 0) return true;
    return false;
  };
  const out: Q[] = [];
  const tied: number[] = [];
  const atLevels: number[] = [];
  for (;;) {
    let fewest = Infinity;
    // In sorted order (groupsIndex), so the subtopics tied come sorted as the lot needs them.
    tied.length = 0;
    for (let i = 0; i < subs.length; i += 1) {
      const n = picks[i]!;
      if (n > fewest || !usable(i)) continue;
      if (n < fewest) {
        fewest = n;
        tied.length = 0;
      }
      tied.push(i);
    }
    if (!tied.length) break;
    const sub = pickOne(tied, rng);
    // The levels still needed that the subtopic has a question at (in the order of `need`);
    // of those, the ones with the least to spare, in sorted order for the lot.
    let least = Infinity;
    atLevels.length = 0;
    for (let k = 0; k < needed.length; k += 1) {
      if (!(left[k]! > 0 && level[k]! >= 0 && counts[sub * width + level[k]!]! > 0)) continue;
      const slack = remaining[level[k]!]! - left[k]!;
      if (slack < least) {
        least = slack;
        atLevels.length = 0;
      }
      if (slack === least) atLevels.push(k);
    }
    const k = needed.indexOf(pickOne(atLevels.map((n) => needed[n]!).sort(), rng));
    const at = sub * width + level[k]!;
    const list = (copies[at] ??= lists[at]!.slice());
    const taken = pickAt(list.length, rng);
    out.push(list[taken]!);
    list.splice(taken, 1);
    counts[at]! -= 1;
    remaining[level[k]!]! -= 1;
    left[k]! -= 1;
    picks[sub] = fewest + 1;
  }
  return out;
}

/**
 * Where a type quota's questions sit in a topic's row of the difficulty table (no randomness:
 * the same on every form). One at a time, each goes to the level with the most places still
 * free in the row (ties by lot, `byLot(tieSeed)`) among those with a question of the type left.
 * The places stay the row's: the type quota never changes a topic's count or the difficulty
 * quota. When the bank has too few questions of the type at the levels the row asks for, fewer
 * are placed (the rest of the row is drawn from every type).
 */
export function typeCells(row: Counts, typed: Readonly<Counts>, wanted: number, tieSeed: string): Counts {
  const free = { ...row };
  const out: Counts = Object.fromEntries(Object.keys(row).map((l) => [l, 0]));
  const lot = byLot(tieSeed);
  for (let k = 0; k < wanted; k += 1) {
    const open = Object.keys(free).filter((l) => free[l]! > 0 && (typed[l] ?? 0) > out[l]!);
    if (!open.length) break;
    open.sort((a, b) => free[b]! - free[a]! || lot(a, b));
    out[open[0]!]! += 1;
    free[open[0]!]! -= 1;
  }
  return out;
}
