-- AlterTable
ALTER TABLE "pending_imports" ADD COLUMN     "bankSlug" TEXT,
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "publishedAt" TIMESTAMP(3);
