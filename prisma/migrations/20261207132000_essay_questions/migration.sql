-- Essay questions (question type "essay"): an open answer with a model answer, never scored.
ALTER TYPE "QuestionType" ADD VALUE 'essay';
