-- Runnable SQL exercises (question type "sql"): the type, and per attempt item the number of
-- runs and the learner's graded result.
ALTER TYPE "QuestionType" ADD VALUE 'sql';

ALTER TABLE "attempt_items" ADD COLUMN "sqlRuns" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "sqlResult" JSONB;
