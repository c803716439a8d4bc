-- CreateTable
CREATE TABLE "topic_mastery" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "topicPath" TEXT NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL,
    "beta" DOUBLE PRECISION NOT NULL,
    "answers" INTEGER NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "topic_mastery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "readiness_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "userId" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "predictedPercent" DOUBLE PRECISION,
    "predictedLow" DOUBLE PRECISION,
    "predictedHigh" DOUBLE PRECISION,
    "pPass" DOUBLE PRECISION,
    "pPassLow" DOUBLE PRECISION,
    "pPassHigh" DOUBLE PRECISION,
    "missingTopics" TEXT[],

    CONSTRAINT "readiness_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "topic_mastery_userId_topicPath_key" ON "topic_mastery"("userId", "topicPath");

-- CreateIndex
CREATE INDEX "readiness_snapshots_userId_at_idx" ON "readiness_snapshots"("userId", "at");

-- AddForeignKey
ALTER TABLE "topic_mastery" ADD CONSTRAINT "topic_mastery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "readiness_snapshots" ADD CONSTRAINT "readiness_snapshots_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
