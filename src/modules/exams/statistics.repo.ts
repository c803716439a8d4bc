// Aggregates over attempts and their items (tables this module owns) for instructors:
// the cohort of an exam and the graded answers behind item statistics.
import { Prisma, type Db } from "../../db";

/** Only these learners' attempts (undefined: everyone's). */
const onlyLearners = (userIds: string[] | undefined, column: Prisma.Sql) =>
  userIds ? Prisma.sql`AND ${column} = ANY(${userIds}::uuid[])` : Prisma.empty;

/** Each learner's best submitted score on an exam (of the given learners only, when given). */
export function bestScores(prisma: Db, examId: string, userIds?: string[]) {
  return prisma.$queryRaw<{ best: number }[]>`
    SELECT max("scorePercent") AS best FROM attempts
    WHERE "examId" = ${examId}::uuid AND status = 'submitted' ${onlyLearners(userIds, Prisma.sql`"userId"`)}
    GROUP BY "userId"`;
}

/** Answers and mean score per top-level topic of an exam's submitted attempts, weakest first. */
export async function topicScores(prisma: Db, examId: string, userIds?: string[]) {
  const rows = await prisma.$queryRaw<{ topic: string; answers: bigint; score: number }[]>`
    SELECT split_part(i."topicPath", '/', 1) AS topic, count(*) AS answers, avg(i.score) * 100 AS score
    FROM attempt_items i JOIN attempts a ON a.id = i."attemptId"
    WHERE a."examId" = ${examId}::uuid AND a.status = 'submitted' AND i.score IS NOT NULL
      ${onlyLearners(userIds, Prisma.sql`a."userId"`)}
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

/**
 * How learners assessed their practice essays, per question version: each learner counted once
 * per question, by their latest assessment (a learner may practise an essay more than once).
 */
export function selfAssessmentsOf(prisma: Db, questionVersionIds: string[]) {
  return prisma.$queryRaw<{ questionId: string; assessment: string; learners: number }[]>`
    SELECT latest."questionId"::text AS "questionId", latest.assessment, count(*)::int AS learners
    FROM (
      SELECT DISTINCT ON (a."userId", v."questionId") v."questionId", i."selfAssessment"::text AS assessment
      FROM attempt_items i
      JOIN attempts a ON a.id = i."attemptId"
      JOIN question_versions v ON v.id = i."questionVersionId"
      WHERE i."questionVersionId" = ANY(${questionVersionIds}::uuid[]) AND i."selfAssessment" IS NOT NULL
      ORDER BY a."userId", v."questionId", i."checkedAt" DESC
    ) latest
    GROUP BY 1, 2`;
}

/** The learners' submitted attempts of the exams, oldest first (a gradebook's numbers and links). */
export function submittedAttemptsOf(prisma: Db, input: { userIds: string[]; examIds: string[] }) {
  if (!input.userIds.length || !input.examIds.length) return Promise.resolve([]);
  return prisma.attempt.findMany({
    where: { userId: { in: input.userIds }, examId: { in: input.examIds }, status: "submitted" },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    select: { id: true, userId: true, examId: true, scorePercent: true, submittedAt: true },
  });
}

/** Each learner's latest saved answer, in any attempt. */
export async function lastAnswers(prisma: Db, userIds: string[]) {
  if (!userIds.length) return new Map<string, Date>();
  const rows = await prisma.$queryRaw<{ userId: string; at: Date }[]>`
    SELECT a."userId"::text AS "userId", max(i."answeredAt") AS at
    FROM attempts a JOIN attempt_items i ON i."attemptId" = a.id
    WHERE a."userId" = ANY(${userIds}::uuid[]) AND i."answeredAt" IS NOT NULL
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.userId, r.at]));
}
