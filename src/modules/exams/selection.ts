// Which questions an attempt gets, and in what order (pure; randomness comes in).
import { allocate, fillShortfall, type Counts } from "./blueprint";
import { difficultyTable, drawFromGroups, levelCounts, spreadGroups, typeCells, type SpreadGroups } from "./forms";
import { sample, shuffle, type Rng } from "./rng";

export type PoolQuestion = {
  versionId: string;
  questionId: string;
  topicPath: string;
  externalId: string;
  type: string;
  /** 1 easy, 2 medium, 3 hard, as stored with the version. */
  difficulty: number;
  choiceIds: string[];
};

/** A section whose subtopic the learner picks at start ("choose your stack"). */
export type StackChoice = { topic: string; neutral: string[] };

export type Selected = { versionId: string; topicPath: string; displayOrder: string[] };

// Both run for every question of a pool at every start (a shipped mock's is some 1,000): no
// array or string is made unless one is returned.
const rootOf = (topicPath: string) => {
  const slash = topicPath.indexOf("/");
  return slash < 0 ? topicPath : topicPath.slice(0, slash);
};
const SLASH = 47;
const under = (topicPath: string, paths: readonly string[]) =>
  paths.some((p) => topicPath === p || (topicPath.startsWith(p) && topicPath.charCodeAt(p.length) === SLASH));

/**
 * Options of choice questions shuffled when asked; ordering items always (that is the task),
 * and a matching question's prompts and answers always: answers in file order would line up
 * with their prompts.
 */
function orderOf(q: PoolQuestion, shuffleOptions: boolean, rng: Rng): string[] {
  if (q.type === "matching") return shuffle(q.choiceIds, rng);
  if (q.type === "ordering") {
    // A shuffle that happens to be the answer would give it away: try a few times.
    for (let i = 0; i < 5; i += 1) {
      const order = shuffle(q.choiceIds, rng);
      if (order.some((id, j) => id !== q.choiceIds[j])) return order;
    }
    return [...q.choiceIds].reverse();
  }
  return shuffleOptions ? shuffle(q.choiceIds, rng) : [...q.choiceIds];
}

/**
 * The pool an attempt with a stack section draws from: under the section's topic, only the
 * chosen subtopic and the language-neutral ones; every other topic as it is.
 */
export function poolForStack<Q extends { topicPath: string }>(
  pool: readonly Q[],
  choice: StackChoice,
  stack: string,
): Q[] {
  return pool.filter((q) => !under(q.topicPath, [choice.topic]) || under(q.topicPath, [stack, ...choice.neutral]));
}

/** Questions per top-level topic and difficulty in a pool. */
export function availableByDifficulty(
  pool: readonly { topicPath: string; difficulty: number }[],
): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const q of pool) {
    const cell = (out[rootOf(q.topicPath)] ??= {});
    cell[String(q.difficulty)] = (cell[String(q.difficulty)] ?? 0) + 1;
  }
  return out;
}

/** A topic's questions grouped for drawing, whole and per type (worked out once per form plan). */
class TopicGroups {
  readonly all: SpreadGroups<PoolQuestion>;
  private readonly types = new Map<string, SpreadGroups<PoolQuestion>>();
  constructor(
    private readonly questions: readonly PoolQuestion[],
    readonly levelOf: (q: PoolQuestion) => string,
  ) {
    this.all = spreadGroups(questions, levelOf);
  }
  /** The topic's questions of a type, grouped (levelCounts tells how many per level). */
  ofType(type: string): SpreadGroups<PoolQuestion> {
    let known = this.types.get(type);
    if (!known) {
      known = spreadGroups(
        this.questions.filter((q) => q.type === type),
        this.levelOf,
      );
      this.types.set(type, known);
    }
    return known;
  }
}

/**
 * A topic's questions for its row of the difficulty table: first each type quota's questions
 * (at the levels `typeCells` gives them, spread over subtopics), then the rest of the row from
 * every question left, spread over the subtopics not yet drawn on.
 */
function drawTopic(
  topic: TopicGroups,
  row: Counts,
  types: Record<string, number>,
  how: { rng: Rng; tieSeed: string },
): PoolQuestion[] {
  const free = { ...row };
  const typed: PoolQuestion[] = [];
  for (const type of Object.keys(types).sort()) {
    const groups = topic.ofType(type);
    const cells = typeCells(free, levelCounts(groups), types[type]!, `${how.tieSeed}\u0000${type}`);
    const drawn = drawFromGroups(groups, cells, how.rng, typed);
    for (const q of drawn) free[topic.levelOf(q)]! -= 1;
    typed.push(...drawn);
  }
  return [...typed, ...drawFromGroups(topic.all, free, how.rng, typed, new Set(typed))];
}

/** A question's level for the difficulty table; one level for all without a difficulty quota. */
const levelByDifficulty = (q: PoolQuestion) => String(q.difficulty);
const oneLevel = () => "any";

type FormPlan = {
  /** Questions per topic on every form. */
  counts: Counts;
  /** Questions per topic and level on every form (the level "any" without a difficulty quota). */
  table: Record<string, Counts>;
  /** Each topic's questions grouped for drawing, by subtopic and level. */
  groups: ReadonlyMap<string, TopicGroups>;
};

/**
 * What every form of an exam drawn from `pool` shares (no randomness): the questions per topic,
 * the difficulty table and each topic's questions grouped for drawing. Worked out once per pool and exam: a kept pool
 * (start-attempt.ts) is the same array for a whole cohort's starts, each of which would
 * otherwise sort its some 1,000 questions again.
 */
function formPlan(
  pool: readonly PoolQuestion[],
  exam: { count: number; blueprint: Record<string, number>; quota: Counts | null; tieSeed: string },
): FormPlan {
  const key = JSON.stringify(exam);
  const known = plans.get(pool);
  if (known?.key === key) return known.plan;
  const byTopic = new Map<string, PoolQuestion[]>();
  for (const q of pool) {
    const root = rootOf(q.topicPath);
    if (!(root in exam.blueprint)) continue;
    const questions = byTopic.get(root);
    if (questions) questions.push(q);
    else byTopic.set(root, [q]);
  }
  const wanted = allocate(exam.count, exam.blueprint, exam.tieSeed);
  const available = Object.fromEntries(Object.keys(exam.blueprint).map((t) => [t, byTopic.get(t)?.length ?? 0]));
  const counts = fillShortfall(wanted, available);
  const byDifficulty = Boolean(exam.quota && Object.keys(exam.quota).length);
  const table = byDifficulty
    ? difficultyTable({ counts, quota: exam.quota!, available: availableByDifficulty(pool), tieSeed: exam.tieSeed })
    : Object.fromEntries(Object.entries(counts).map(([t, n]) => [t, { any: n }]));
  const levelOf = byDifficulty ? levelByDifficulty : oneLevel;
  const groups = new Map(Object.keys(counts).map((t) => [t, new TopicGroups(byTopic.get(t) ?? [], levelOf)]));
  const plan = { counts, table, groups };
  plans.set(pool, { key, plan });
  return plan;
}
const plans = new WeakMap<readonly PoolQuestion[], { key: string; plan: FormPlan }>();

export function selectQuestions(options: {
  pool: readonly PoolQuestion[];
  count: number;
  blueprint?: Record<string, number> | null;
  /** Questions per difficulty on every form ({ "1": easy, "2": medium, "3": hard }). */
  difficultyQuota?: Counts | null;
  /** Questions of a type every form has at least, per topic ({ sql: { sql: 2 } }), within its count. */
  typeQuota?: Record<string, Record<string, number>> | null;
  /** Breaks exact ties of the rounding rules by lot (the exam's slug): the same on every form. */
  tieSeed?: string;
  topicPaths?: string[];
  /** A retry of missed questions: exactly these (by question id), whatever the topics. */
  questionIds?: string[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  rng: Rng;
}): Selected[] {
  const { rng } = options;
  let chosen: PoolQuestion[];
  if (options.questionIds?.length) {
    const wanted = new Set(options.questionIds);
    chosen = sample(
      options.pool.filter((q) => wanted.has(q.questionId)),
      options.count,
      rng,
    );
  } else if (options.blueprint && Object.keys(options.blueprint).length) {
    const tieSeed = options.tieSeed ?? "";
    const plan = formPlan(options.pool, {
      count: options.count,
      blueprint: options.blueprint,
      quota: options.difficultyQuota ?? null,
      tieSeed,
    });
    chosen = Object.keys(plan.counts).flatMap((topic) =>
      drawTopic(plan.groups.get(topic)!, plan.table[topic] ?? {}, options.typeQuota?.[topic] ?? {}, {
        rng,
        tieSeed: `${tieSeed}\u0000${topic}`,
      }),
    );
  } else {
    const paths = options.topicPaths ?? [];
    chosen = sample(
      options.pool.filter((q) => paths.length === 0 || under(q.topicPath, paths)),
      options.count,
      rng,
    );
  }
  const ordered = options.shuffleQuestions
    ? shuffle(chosen, rng)
    : [...chosen].sort((a, b) => a.topicPath.localeCompare(b.topicPath) || a.externalId.localeCompare(b.externalId));
  return ordered.map((q) => ({
    versionId: q.versionId,
    topicPath: q.topicPath,
    displayOrder: orderOf(q, options.shuffleOptions, rng),
  }));
}
