-- Practice essays: the learner's own assessment against the model answer. Never a score:
-- it feeds review only (docs/scoring.md).
CREATE TYPE "SelfAssessment" AS ENUM ('had', 'partly', 'missed');

ALTER TABLE "attempt_items" ADD COLUMN "selfAssessment" "SelfAssessment";
