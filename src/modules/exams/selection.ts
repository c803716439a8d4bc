// Which questions an attempt gets, and in what order (pure; randomness comes in).
import { allocate, fillShortfall } from "./blueprint";
import { sample, shuffle, type Rng } from "./rng";

export type PoolQuestion = {
  versionId: string;
  questionId: string;
  topicPath: string;
  externalId: string;
  type: string;
  choiceIds: string[];
};

export type Selected = { versionId: string; topicPath: string; displayOrder: string[] };

const rootOf = (topicPath: string) => topicPath.split("/")[0]!;
const under = (topicPath: string, paths: string[]) =>
  paths.some((p) => topicPath === p || topicPath.startsWith(`${p}/`));

/** Options of choice questions shuffled when asked; ordering items always (that is the task). */
function orderOf(q: PoolQuestion, shuffleOptions: boolean, rng: Rng): string[] {
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

export function selectQuestions(options: {
  pool: PoolQuestion[];
  count: number;
  blueprint?: Record<string, number> | null;
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
    const byTopic = new Map<string, PoolQuestion[]>();
    for (const q of options.pool) {
      const root = rootOf(q.topicPath);
      if (root in options.blueprint) byTopic.set(root, [...(byTopic.get(root) ?? []), q]);
    }
    const wanted = allocate(options.count, options.blueprint);
    const available = Object.fromEntries(Object.keys(options.blueprint).map((t) => [t, byTopic.get(t)?.length ?? 0]));
    const counts = fillShortfall(wanted, available);
    chosen = Object.entries(counts).flatMap(([topic, n]) => sample(byTopic.get(topic) ?? [], n, rng));
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
