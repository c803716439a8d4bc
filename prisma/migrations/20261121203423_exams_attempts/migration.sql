-- CreateEnum
CREATE TYPE "ExamKind" AS ENUM ('mock', 'module', 'custom');

-- CreateEnum
CREATE TYPE "ReviewPolicy" AS ENUM ('after_submit', 'after_close', 'never');

-- CreateEnum
CREATE TYPE "AttemptStatus" AS ENUM ('open', 'submitted');

-- CreateTable
CREATE TABLE "exams" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "ExamKind" NOT NULL,
    "questionCount" INTEGER NOT NULL,
    "timeLimitSeconds" INTEGER NOT NULL,
    "passMarkPercent" INTEGER NOT NULL,
    "shuffleQuestions" BOOLEAN NOT NULL DEFAULT true,
    "shuffleOptions" BOOLEAN NOT NULL DEFAULT true,
    "maxAttempts" INTEGER,
    "reviewPolicy" "ReviewPolicy" NOT NULL DEFAULT 'after_submit',
    "partialCredit" BOOLEAN NOT NULL DEFAULT false,
    "blueprint" JSONB,
    "topicPaths" TEXT[],
    "closesAt" TIMESTAMP(3),
    "published" BOOLEAN NOT NULL DEFAULT true,
    "ownerId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "exams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attempts" (
    "id" UUID NOT NULL,
    "examId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "status" "AttemptStatus" NOT NULL DEFAULT 'open',
    "openKey" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "deadlineAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "submittedBy" TEXT,
    "scorePercent" DOUBLE PRECISION,
    "passed" BOOLEAN,
    "correctCount" INTEGER,
    "timeUsedSeconds" INTEGER,
    "topicBreakdown" JSONB,

    CONSTRAINT "attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attempt_items" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "questionVersionId" UUID NOT NULL,
    "topicPath" TEXT NOT NULL,
    "displayOrder" TEXT[],
    "response" JSONB,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "answeredAt" TIMESTAMP(3),
    "correct" BOOLEAN,
    "score" DOUBLE PRECISION,

    CONSTRAINT "attempt_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "exams_slug_key" ON "exams"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "attempts_openKey_key" ON "attempts"("openKey");

-- CreateIndex
CREATE INDEX "attempts_userId_examId_idx" ON "attempts"("userId", "examId");

-- CreateIndex
CREATE INDEX "attempts_status_deadlineAt_idx" ON "attempts"("status", "deadlineAt");

-- CreateIndex
CREATE INDEX "attempt_items_questionVersionId_idx" ON "attempt_items"("questionVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "attempt_items_attemptId_position_key" ON "attempt_items"("attemptId", "position");

-- AddForeignKey
ALTER TABLE "exams" ADD CONSTRAINT "exams_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_examId_fkey" FOREIGN KEY ("examId") REFERENCES "exams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attempt_items" ADD CONSTRAINT "attempt_items_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "attempts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attempt_items" ADD CONSTRAINT "attempt_items_questionVersionId_fkey" FOREIGN KEY ("questionVersionId") REFERENCES "question_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
