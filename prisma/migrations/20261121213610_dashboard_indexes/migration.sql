-- CreateIndex
CREATE INDEX "attempts_userId_status_submittedAt_idx" ON "attempts"("userId", "status", "submittedAt" DESC);

-- CreateIndex
CREATE INDEX "exams_kind_published_questionCount_idx" ON "exams"("kind", "published", "questionCount" DESC);
