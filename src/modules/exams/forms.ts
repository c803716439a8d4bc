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
 * What every draw from the same groups starts from: the subtopics in sorted order (`sort()`'s,
 * as the lot between tied subtopics takes them) and the questions per level. Worked out once
 * per groups (they are kept with a pool's form plan, and never changed).
 */
function groupsIndex<Q>(groups: SpreadGroups<Q>): GroupsIndex {
  let known = indexes.get(groups);
  if (!known) {
    const perLevel: Counts = {};
    for (const levels of groups.values())
      for (const [level, list] of levels) perLevel[level] = (perLevel[level] ?? 0) + list.length;
    indexes.set(groups, (known = { subs: [...groups.keys()].sort(), perLevel }));
  }
  return known;
}
type GroupsIndex = { subs: readonly string[]; perLevel: Readonly<Counts> };
const indexes = new WeakMap<SpreadGroups<unknown>, GroupsIndex>();

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
  const left = { ...need };
  const needed = Object.keys(left);
  // A list is copied only when this draw first takes from it, or when it holds a question of
  // `exclude` (then without those): the groups stay as they are, and a form takes from few of
  // a pool's lists. `own` maps a group's list to this draw's copy of it.
  const own = new Map<readonly Q[], Q[]>();
  const current = (list: readonly Q[] | undefined): readonly Q[] => (list ? (own.get(list) ?? list) : []);
  const { subs, perLevel } = groupsIndex(groups);
  const remaining = { ...perLevel };
  for (const q of exclude ?? []) {
    for (const [level, list] of groups.get(q.topicPath) ?? []) {
      if (own.has(list) || !list.includes(q)) continue;
      const kept = list.filter((other) => !exclude!.has(other));
      own.set(list, kept);
      remaining[level]! -= list.length - kept.length;
    }
  }
  const picks = new Map<string, number>();
  for (const sub of subs) picks.set(sub, 0);
  for (const q of earlier) if (picks.has(q.topicPath)) picks.set(q.topicPath, picks.get(q.topicPath)! + 1);
  /** Whether `levels` (a subtopic's) has a question at a level still needed. */
  const usableAt = (levels: ReadonlyMap<string, readonly Q[]>) => {
    for (const l of needed) if (left[l]! > 0 && current(levels.get(l)).length > 0) return true;
    return false;
  };
  const out: Q[] = [];
  for (;;) {
    let fewest = Infinity;
    // In sorted order (groupsIndex), so the subtopics tied come sorted as the lot needs them.
    let tied: string[] = [];
    for (const sub of subs) {
      const n = picks.get(sub)!;
      if (n > fewest || !usableAt(groups.get(sub)!)) continue;
      if (n < fewest) [fewest, tied] = [n, [sub]];
      else if (n === fewest) tied.push(sub);
    }
    if (!tied.length) break;
    const sub = pickOne(tied, rng);
    const ofSub = groups.get(sub)!;
    // The levels still needed that the subtopic has a question at, in the order of `need`.
    const levels = needed.filter((l) => left[l]! > 0 && current(ofSub.get(l)).length > 0);
    const slack = (l: string) => remaining[l]! - left[l]!;
    const least = Math.min(...levels.map(slack));
    const level = pickOne(levels.filter((l) => slack(l) === least).sort(), rng);
    const list = ofSub.get(level)!;
    let pool = own.get(list);
    if (!pool) own.set(list, (pool = list.slice()));
    const at = pickAt(pool.length, rng);
    out.push(pool[at]!);
    pool.splice(at, 1);
    remaining[level]! -= 1;
    left[level]! -= 1;
    picks.set(sub, fewest + 1);
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
