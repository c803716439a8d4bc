// What the attempt use cases are given (app.ts builds it once; tests and benches build their own).
import type { Pool } from "pg";
import type { Clock } from "../../../clock";
import type { Db, Prisma } from "../../../db";
import type { Limiter } from "../../../db";
import type { PatternMatcher } from "../../banks";
import type { SqlSandbox } from "../../sandbox";
import type { Rng } from "../rng";

/** What other modules learn of a graded attempt, inside the grading transaction. */
export type GradedAttempt = {
  attemptId: string;
  userId: string;
  at: Date;
  /** Timed (the exam's clock) or practice (each answer checked as the learner goes). */
  mode: "timed" | "practice";
  items: {
    questionId: string;
    topicPath: string;
    difficulty: number;
    score: number;
    correct: boolean;
    flagged: boolean;
    /** False when the learner left the question blank (no response saved); it scored 0. */
    answered: boolean;
  }[];
};
export type SubmitHook = (tx: Prisma.TransactionClient, graded: GradedAttempt) => Promise<void>;

/** A learner's self-assessment of a practice essay (never a score: review alone hears of it). */
export type EssayAssessed = {
  userId: string;
  questionId: string;
  topicPath: string;
  assessment: "had" | "partly" | "missed";
  at: Date;
};
export type SelfAssessedHook = (tx: Prisma.TransactionClient, assessed: EssayAssessed) => Promise<void>;

export type AttemptsDeps = {
  prisma: Db;
  /** The pg pool under `prisma`: answer saves run on it directly (attempts.repo.ts says why). */
  pool: Pool;
  clock: Clock;
  newRng: () => Rng;
  onGraded?: SubmitHook[];
  /** Run inside the transaction that stores an essay's self-assessment. */
  onSelfAssessed?: SelfAssessedHook[];
  /** Short-answer pattern matching; the default is banks' linear-time matcher. */
  matchPattern?: PatternMatcher;
  /** Runs SQL exercises' statements (modules/sandbox); without it they cannot be run and score 0. */
  sandbox?: Pick<SqlSandbox, "run">;
  /** Limits learners' SQL runs per user (SQL_RUN_POLICY); none when absent. */
  sqlRunLimit?: Limiter;
};
