import {
  acceptsAnswers,
  deadlineFor,
  formatDuration,
  isOverdue,
  nextAnnouncement,
  remainingSeconds,
  SAVE_GRACE_MS,
} from "../../../src/modules/exams/timer";

const at = (iso: string) => new Date(iso);
const plusMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

describe("deadlineFor", () => {
  const start = at("2026-03-01T09:00:00.000Z");

  it("is the start plus the time limit", () => {
    expect(deadlineFor(start, 90 * 60, null).toISOString()).toBe("2026-03-01T10:30:00.000Z");
  });

  it("is the exam's closing time when that comes first", () => {
    expect(deadlineFor(start, 90 * 60, at("2026-03-01T10:00:00.000Z")).toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(deadlineFor(start, 90 * 60, at("2026-03-01T11:00:00.000Z")).toISOString()).toBe("2026-03-01T10:30:00.000Z");
  });

  it("returns a new Date, not the closing time's object", () => {
    const closesAt = at("2026-03-01T09:10:00.000Z");
    const deadline = deadlineFor(start, 3600, closesAt);
    expect(deadline).not.toBe(closesAt);
    expect(deadline.getTime()).toBe(closesAt.getTime());
  });

  it("rejects a negative or non-finite limit", () => {
    expect(() => deadlineFor(start, -1, null)).toThrow(RangeError);
    expect(() => deadlineFor(start, Number.NaN, null)).toThrow(RangeError);
  });
});

describe("remainingSeconds", () => {
  const deadline = at("2026-03-01T10:30:00.000Z");

  it("counts whole seconds left, rounding down", () => {
    expect(remainingSeconds(deadline, at("2026-03-01T09:00:00.000Z"))).toBe(5400);
    expect(remainingSeconds(deadline, at("2026-03-01T10:29:58.001Z"))).toBe(1);
    expect(remainingSeconds(deadline, at("2026-03-01T10:29:59.999Z"))).toBe(0);
  });

  it("never goes below 0", () => {
    expect(remainingSeconds(deadline, deadline)).toBe(0);
    expect(remainingSeconds(deadline, at("2026-03-01T11:00:00.000Z"))).toBe(0);
  });
});

describe("acceptsAnswers and isOverdue", () => {
  const deadline = at("2026-03-01T10:30:00.000Z");

  it("has a five-second grace period", () => {
    expect(SAVE_GRACE_MS).toBe(5000);
  });

  it("accepts answers up to the deadline plus the grace, and not a millisecond later", () => {
    expect(acceptsAnswers(deadline, at("2026-03-01T10:00:00.000Z"))).toBe(true);
    expect(acceptsAnswers(deadline, deadline)).toBe(true);
    expect(acceptsAnswers(deadline, at("2026-03-01T10:30:05.000Z"))).toBe(true);
    expect(acceptsAnswers(deadline, at("2026-03-01T10:30:05.001Z"))).toBe(false);
  });

  it("is overdue exactly when answers are no longer accepted", () => {
    expect(isOverdue(deadline, deadline)).toBe(false);
    expect(isOverdue(deadline, at("2026-03-01T10:30:05.000Z"))).toBe(false);
    expect(isOverdue(deadline, at("2026-03-01T10:30:05.001Z"))).toBe(true);
    expect(isOverdue(deadline, plusMs(deadline, 3_600_000))).toBe(true);
  });
});

describe("nextAnnouncement", () => {
  it.each([
    [5400, 600],
    [601, 600],
    [600, 600],
    [599, 300],
    [300, 300],
    [299, 60],
    [60, 60],
    [59, null],
    [0, null],
  ])("with %p s left announces %p", (remaining, expected) => {
    expect(nextAnnouncement(remaining)).toBe(expected);
  });
});

describe("formatDuration", () => {
  it.each([
    [3909, "1:05:09"],
    [249, "4:09"],
    [9, "0:09"],
    [0, "0:00"],
    [60, "1:00"],
    [3599, "59:59"],
    [3600, "1:00:00"],
    [36_000, "10:00:00"],
    [9.9, "0:09"],
    [-5, "0:00"],
    [Number.NaN, "0:00"],
  ])("shows %p s as %p", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
