// Building the review queue (pure): due cards first, then new deck cards up to the daily
// limit; a topic filter; "weak topics" puts the lowest-mastery topics first.

export type QueueCandidate = {
  cardKey: string;
  topicPath: string;
  due: Date | null /* null: new, not yet introduced */;
  origin: string;
};

export const DAILY_NEW_LIMIT = 20;

const rootOf = (path: string) => path.split("/")[0]!;

export function buildQueue(options: {
  due: QueueCandidate[]; // introduced items with due <= now (any order)
  fresh: QueueCandidate[]; // deck cards not yet introduced, in deck order
  introducedToday: number;
  dailyNewLimit?: number;
  topic?: string; // top-level topic path filter
  weakTopics?: string[]; // top-level topics ordered weakest first: their cards come first
}): QueueCandidate[] {
  const limit = Math.max(0, (options.dailyNewLimit ?? DAILY_NEW_LIMIT) - options.introducedToday);
  const inTopic = (c: QueueCandidate) => !options.topic || rootOf(c.topicPath) === options.topic;
  const due = options.due
    .filter(inTopic)
    .sort((a, b) => a.due!.getTime() - b.due!.getTime() || a.cardKey.localeCompare(b.cardKey));
  const fresh = options.fresh.filter(inTopic).slice(0, limit);
  const queue = [...due, ...fresh];
  if (!options.weakTopics?.length) return queue;
  // Stable sort by the rank of the card's topic (weakest first); topics without a measure
  // keep their order after them.
  const rank = new Map(options.weakTopics.map((t, i) => [t, i]));
  const weak = queue.filter((c) => rank.has(rootOf(c.topicPath)));
  weak.sort((a, b) => rank.get(rootOf(a.topicPath))! - rank.get(rootOf(b.topicPath))!);
  return [...weak, ...queue.filter((c) => !rank.has(rootOf(c.topicPath)))];
}
