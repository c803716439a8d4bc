-- Matching questions (question type "matching"): prompts, each paired with one of the answers.
ALTER TYPE "QuestionType" ADD VALUE 'matching';
