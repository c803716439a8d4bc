import { buildQueue, type QueueCandidate } from "../../../src/modules/review/queue";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));
const due = (key: string, topic: string, min: number): QueueCandidate => ({
  cardKey: key,
  topicPath: topic,
  due: at(min),
  origin: "missed",
});
const fresh = (key: string, topic: string): QueueCandidate => ({
  cardKey: key,
  topicPath: topic,
  due: null,
  origin: "deck",
});

describe("review queue", () => {
  const dueCards = [due("q:b", "sql/joins", 5), due("q:a", "http/status", 1), due("q:c", "git", 3)];
  const freshCards = [fresh("d:1", "http"), fresh("d:2", "sql"), fresh("d:3", "git/merge")];

  it("puts due cards first, oldest due first, then new cards", () => {
    expect(buildQueue({ due: dueCards, fresh: freshCards, introducedToday: 0 }).map((c) => c.cardKey)).toEqual([
      "q:a",
      "q:c",
      "q:b",
      "d:1",
      "d:2",
      "d:3",
    ]);
  });

  it("keeps to the daily limit of new cards, counting those already introduced today", () => {
    expect(
      buildQueue({ due: [], fresh: freshCards, introducedToday: 18, dailyNewLimit: 20 }).map((c) => c.cardKey),
    ).toEqual(["d:1", "d:2"]);
    expect(buildQueue({ due: [], fresh: freshCards, introducedToday: 25, dailyNewLimit: 20 })).toEqual([]);
  });

  it("filters by top-level topic", () => {
    expect(
      buildQueue({ due: dueCards, fresh: freshCards, introducedToday: 0, topic: "sql" }).map((c) => c.cardKey),
    ).toEqual(["q:b", "d:2"]);
  });

  it("takes the weakest topics first in weak-topic mode", () => {
    const order = buildQueue({ due: dueCards, fresh: freshCards, introducedToday: 0, weakTopics: ["git", "sql"] }).map(
      (c) => c.cardKey,
    );
    expect(order).toEqual(["q:c", "d:3", "q:b", "d:2", "q:a", "d:1"]);
  });
});
