-- CreateTable
CREATE TABLE "pending_imports" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_imports_userId_createdAt_idx" ON "pending_imports"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "pending_imports" ADD CONSTRAINT "pending_imports_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
