-- Parallel exam forms and placement tests: difficulty quotas and a stack section per exam,
-- the learner's chosen stack per attempt, and exams without a pass mark.
ALTER TABLE "exams" ALTER COLUMN "passMarkPercent" DROP NOT NULL,
ADD COLUMN     "difficultyQuota" JSONB,
ADD COLUMN     "stackChoice" JSONB;

-- AlterTable
ALTER TABLE "attempts" ADD COLUMN     "stack" TEXT;
