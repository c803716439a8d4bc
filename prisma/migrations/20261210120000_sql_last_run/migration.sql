-- SQL exercises of an open attempt: the learner's last run that succeeded, with its check
-- ({"query": ..., "record": ...}). Grading uses it when the saved statement is the same
-- text, instead of running the statement again at submission; grading clears it.
ALTER TABLE "attempt_items" ADD COLUMN "lastRun" JSONB;
