import { fsrs, generatorParameters, createEmptyCard, Rating, type Grade } from "ts-fsrs";
import { grade, intervalLabel, newState, preview } from "../../../src/modules/review/scheduler";

const now = new Date("2026-02-01T09:00:00Z");

describe("FSRS scheduling wrapper", () => {
  it("previews the four outcomes of a new card as ts-fsrs schedules them", () => {
    const buttons = preview(newState(now), now, 0.9);
    expect(buttons.map((b) => b.label)).toEqual(["Again", "Hard", "Good", "Easy"]);
    const expected = fsrs(generatorParameters({ request_retention: 0.9, enable_fuzz: false })).repeat(
      createEmptyCard(now),
      now,
    );
    expect(buttons.map((b) => b.intervalLabel)).toEqual(
      ([Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as Grade[]).map((r) =>
        intervalLabel(now, expected[r].card.due),
      ),
    );
    expect(buttons.map((b) => b.intervalLabel)).toEqual(["1m", "6m", "10m", "8d"]);
  });

  it("applies a grade and logs it; a card graded Good twice moves to review with a days-long interval", () => {
    const first = grade(newState(now), now, 3, 0.9);
    expect(first.next.state).toBe(1); // learning
    expect(first.log).toMatchObject({ rating: 3, state: 0 });
    const later = new Date(first.next.due.getTime());
    const second = grade(first.next, later, 3, 0.9);
    expect(second.next.state).toBe(2); // review
    expect(second.next.due.getTime() - later.getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(second.next.reps).toBe(2);
  });

  it("schedules shorter intervals for a higher desired retention", () => {
    const reviewed = grade(grade(newState(now), now, 3, 0.9).next, new Date(now.getTime() + 600_000), 3, 0.9).next;
    const at = reviewed.due;
    const low = grade(reviewed, at, 3, 0.7).next.due.getTime();
    const high = grade(reviewed, at, 3, 0.97).next.due.getTime();
    expect(high).toBeLessThan(low);
  });

  it("labels intervals the way a person reads them", () => {
    const t = (ms: number) => intervalLabel(now, new Date(now.getTime() + ms));
    expect([
      t(30_000),
      t(10 * 60_000),
      t(3 * 3600_000),
      t(4 * 86_400_000),
      t(60 * 86_400_000),
      t(400 * 86_400_000),
    ]).toEqual(["1m", "10m", "3h", "4d", "2mo", "1.1y"]);
  });
});
