-- AlterTable
ALTER TABLE "exams" ADD COLUMN     "typeQuota" JSONB;
