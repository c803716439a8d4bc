// The FSRS scheduling wrapper (pure): stored state in, next states out. ts-fsrs with FSRS-6
// default parameters; the learner's desired retention is the only personal setting so far.
// Fuzz is off, so the same state, time and grade always give the same schedule.
import { fsrs, generatorParameters, Rating, type Card, type Grade } from "ts-fsrs";

export const RETENTION_MIN = 0.7;
export const RETENTION_MAX = 0.97;

export type SchedulingState = {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
};

export type RatingValue = 1 | 2 | 3 | 4;
export const RATINGS: { value: RatingValue; label: string }[] = [
  { value: 1, label: "Again" },
  { value: 2, label: "Hard" },
  { value: 3, label: "Good" },
  { value: 4, label: "Easy" },
];

export function newState(now: Date): SchedulingState {
  return {
    due: now,
    stability: 0,
    difficulty: 0,
    elapsedDays: 0,
    scheduledDays: 0,
    learningSteps: 0,
    reps: 0,
    lapses: 0,
    state: 0,
    lastReview: null,
  };
}

const toCard = (s: SchedulingState): Card => ({
  due: s.due,
  stability: s.stability,
  difficulty: s.difficulty,
  elapsed_days: s.elapsedDays,
  scheduled_days: s.scheduledDays,
  learning_steps: s.learningSteps,
  reps: s.reps,
  lapses: s.lapses,
  state: s.state,
  ...(s.lastReview ? { last_review: s.lastReview } : {}),
});

const fromCard = (c: Card): SchedulingState => ({
  due: c.due,
  stability: c.stability,
  difficulty: c.difficulty,
  elapsedDays: c.elapsed_days,
  scheduledDays: c.scheduled_days,
  learningSteps: c.learning_steps,
  reps: c.reps,
  lapses: c.lapses,
  state: c.state,
  lastReview: c.last_review ?? null,
});

const clampRetention = (r: number) => Math.min(RETENTION_MAX, Math.max(RETENTION_MIN, r));
const scheduler = (retention: number) =>
  fsrs(generatorParameters({ request_retention: clampRetention(retention), enable_fuzz: false }));

/** "1m", "10m", "3h", "4d", "2mo", "1.2y": how a person reads an interval on a button. */
export function intervalLabel(from: Date, to: Date): string {
  const minutes = Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = minutes / 60;
  if (hours < 24) return `${Math.round(hours)}h`;
  const days = hours / 24;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${Math.round(days / 30)}mo`;
  return `${(days / 365).toFixed(1)}y`;
}

/** The next interval for each grade, for the buttons. */
export function preview(
  state: SchedulingState,
  now: Date,
  retention: number,
): { rating: RatingValue; label: string; intervalLabel: string }[] {
  const outcomes = scheduler(retention).repeat(toCard(state), now);
  return RATINGS.map(({ value, label }) => ({
    rating: value,
    label,
    intervalLabel: intervalLabel(now, outcomes[value as Grade].card.due),
  }));
}

export type GradeOutcome = {
  next: SchedulingState;
  log: {
    rating: number;
    state: number;
    due: Date;
    stability: number;
    difficulty: number;
    elapsedDays: number;
    lastElapsedDays: number;
    scheduledDays: number;
    learningSteps: number;
    review: Date;
  };
};

export function grade(state: SchedulingState, now: Date, rating: RatingValue, retention: number): GradeOutcome {
  const { card, log } = scheduler(retention).next(toCard(state), now, rating);
  return {
    next: fromCard(card),
    log: {
      rating: log.rating,
      state: log.state,
      due: log.due,
      stability: log.stability,
      difficulty: log.difficulty,
      elapsedDays: log.elapsed_days,
      lastElapsedDays: log.last_elapsed_days,
      scheduledDays: log.scheduled_days,
      learningSteps: log.learning_steps,
      review: log.review,
    },
  };
}

export { Rating };
