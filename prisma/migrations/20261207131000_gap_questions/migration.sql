-- Gap (missing-word) questions (question type "gap"): blanks in the stem, each filled by a choice or by text.
ALTER TYPE "QuestionType" ADD VALUE 'gap';
