-- AlterTable
ALTER TABLE "topic_mastery" ADD COLUMN     "blanks" INTEGER NOT NULL DEFAULT 0;
