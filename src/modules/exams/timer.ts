// Attempt timing (pure): the clock's reading comes in as `now`, so tests and the deadline
// sweep decide what time it is. The server's deadline is the only one that counts.

/**
 * Answers arriving up to 5 s after the deadline are accepted: the autosave of the last
 * answer was in flight when time ran out, and the learner should not lose it to latency.
 */
export const SAVE_GRACE_MS = 5_000;

/** Remaining-time marks (seconds) at which the attempt page announces the time left. */
export const ANNOUNCEMENT_MARKS = [600, 300, 60] as const;

/**
 * Practice mode has no clock; its deadline only bounds how long an abandoned practice stays
 * open before the sweep submits it (what was checked then counts, like any attempt).
 */
export const PRACTICE_OPEN_SECONDS = 7 * 24 * 3600;

export type AttemptMode = "timed" | "practice";

/** Start + limit, or the exam's closing time if that comes first. */
export function deadlineFor(startedAt: Date, timeLimitSeconds: number, closesAt: Date | null): Date {
  if (!Number.isFinite(timeLimitSeconds) || timeLimitSeconds < 0) {
    throw new RangeError(`timeLimitSeconds must be >= 0, got ${timeLimitSeconds}`);
  }
  const byLimit = startedAt.getTime() + timeLimitSeconds * 1000;
  return new Date(closesAt === null ? byLimit : Math.min(byLimit, closesAt.getTime()));
}

/** Whole seconds left, rounded down so the display never promises time that is not there. */
export function remainingSeconds(deadlineAt: Date, now: Date): number {
  return Math.max(0, Math.floor((deadlineAt.getTime() - now.getTime()) / 1000));
}

export function acceptsAnswers(deadlineAt: Date, now: Date): boolean {
  return now.getTime() <= deadlineAt.getTime() + SAVE_GRACE_MS;
}

/** The sweep submits an attempt only once no in-flight answer can still arrive. */
export function isOverdue(deadlineAt: Date, now: Date): boolean {
  return !acceptsAnswers(deadlineAt, now);
}

/**
 * The next mark the countdown will reach: the largest of 600, 300, 60 that is <= remaining
 * (a mark equal to remaining is due now), or null once fewer than 60 s are left. The page
 * announces it when `remaining` reaches that value.
 */
export function nextAnnouncement(remaining: number): number | null {
  return ANNOUNCEMENT_MARKS.find((mark) => mark <= remaining) ?? null;
}

const twoDigits = (n: number) => String(n).padStart(2, "0");

/** "1:05:09", "4:09", "0:09"; negative or non-finite input shows "0:00". */
export function formatDuration(seconds: number): string {
  const whole = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${twoDigits(secs)}` : `${minutes}:${twoDigits(secs)}`;
}
