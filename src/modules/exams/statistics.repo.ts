// Aggregates over attempts and their items (tables this module owns) for instructors:
// the cohort of an exam and the graded answers behind item statistics.
import { Prisma, type Db } from "../../db";

/** Each learner's best submitted score on an exam. */
export function bestScores(prisma: Db, examId: string) {
  return prisma.$queryRaw<{ best: number }[]>`
    SELECT max("scorePercent") AS best FROM attempts
    WHERE "examId" = ${examId}::uuid AND status = 'submitted' GROUP BY "userId"`;
}

/** Answers and mean score per top-level topic of an exam's submitted attempts, weakest first. */
export async function topicScores(prisma: Db, examId: string) {
  const rows = await prisma.$queryRaw<{ topic: string; answers: bigint; score: number }[]>`
    SELECT split_part(i."topicPath", '/', 1) AS topic, count(*) AS answers, avg(i.score) * 100 AS score
    FROM attempt_items i JOIN attempts a ON a.id = i."attemptId"
    WHERE a."examId" = ${examId}::uuid AND a.status = 'submitted'
    GROUP BY 1 ORDER BY 3 ASC, 1`;
  return rows.map((t) => ({ topic: t.topic, answers: Number(t.answers), scorePercent: Number(t.score) }));
}

export type GradedAnswerRow = {
  questionVersionId: string;
  attemptId: string;
  score: number;
  /** the attempt's total points, for discrimination */
  points: number;
  response: {
    type?: string;
    optionId?: string;
    optionIds?: string[];
    pairs?: { prompt: string; match: string }[];
    fills?: { gap: number; optionId?: string; text?: string }[];
  } | null;
};

/** Graded answers to the given question versions in submitted attempts, with each attempt's total. */
export function gradedAnswers(prisma: Db, questionVersionIds: string[]) {
  return gradedAnswersWhere(prisma, Prisma.sql`i."questionVersionId" = ANY(${questionVersionIds}::uuid[])`);
}

/** Graded answers in an exam's submitted attempts, with each attempt's total. */
export function gradedAnswersOfExam(prisma: Db, examId: string) {
  return gradedAnswersWhere(prisma, Prisma.sql`a."examId" = ${examId}::uuid`);
}

function gradedAnswersWhere(prisma: Db, where: Prisma.Sql) {
  return prisma.$queryRaw<GradedAnswerRow[]>`
    WITH items AS (
      SELECT i."attemptId", i."questionVersionId", i.score, i.response
      FROM attempt_items i JOIN attempts a ON a.id = i."attemptId" AND a.status = 'submitted'
      WHERE ${where} AND i.score IS NOT NULL
    ), points AS (
      SELECT "attemptId", sum(score) AS points FROM attempt_items
      WHERE "attemptId" IN (SELECT "attemptId" FROM items) AND score IS NOT NULL GROUP BY 1
    )
    SELECT b."questionVersionId", b."attemptId", b.score, p.points, b.response
    FROM items b JOIN points p ON p."attemptId" = b."attemptId"`;
}
