-- AlterTable
ALTER TABLE "exams" ADD COLUMN     "questionIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
