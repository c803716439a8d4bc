-- CreateTable
CREATE TABLE "login_failures" (
    "id" BIGSERIAL NOT NULL,
    "accountKey" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "login_failures_accountKey_ip_at_idx" ON "login_failures"("accountKey", "ip", "at");

-- CreateIndex
CREATE INDEX "login_failures_ip_at_idx" ON "login_failures"("ip", "at");
