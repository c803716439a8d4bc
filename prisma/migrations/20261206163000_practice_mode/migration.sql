-- CreateEnum
CREATE TYPE "AttemptMode" AS ENUM ('timed', 'practice');

-- AlterTable
ALTER TABLE "exams" ADD COLUMN IF NOT EXISTS "questionIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "attempts" ADD COLUMN     "mode" "AttemptMode" NOT NULL DEFAULT 'timed';

-- AlterTable
ALTER TABLE "attempt_items" ADD COLUMN     "checkedAt" TIMESTAMP(3);
