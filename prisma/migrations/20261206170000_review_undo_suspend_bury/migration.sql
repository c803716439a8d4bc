-- AlterTable
ALTER TABLE "review_items" ADD COLUMN     "buriedUntil" TIMESTAMP(3),
ADD COLUMN     "suspendedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "review_logs" ADD COLUMN     "prior" JSONB;
