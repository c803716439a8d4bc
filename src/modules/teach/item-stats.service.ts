// Item statistics of a bank's questions from graded answers of submitted attempts.
import type { Db } from "../../db";
import type { StoredBody } from "../banks";
import { itemStats, type ItemStats } from "./item-stats";

type Row = {
  questionId: string;
  attemptId: string;
  score: number;
  points: number;
  response: { type?: string; optionId?: string; optionIds?: string[] } | null;
};

function choiceOf(response: Row["response"]): string[] | null {
  if (response?.type === "single" && response.optionId) return [response.optionId];
  if (response?.type === "multiple" && response.optionIds) return response.optionIds;
  return null;
}

export async function bankItemStatistics(prisma: Db, bankId: string) {
  const rows = await prisma.$queryRaw<Row[]>`
    WITH bank_items AS (
      SELECT i."attemptId", q.id AS "questionId", i.score, i.response
      FROM attempt_items i
      JOIN question_versions v ON v.id = i."questionVersionId"
      JOIN questions q ON q.id = v."questionId"
      JOIN attempts a ON a.id = i."attemptId" AND a.status = 'submitted'
      WHERE q."bankId" = ${bankId}::uuid AND i.score IS NOT NULL
    ), points AS (
      SELECT "attemptId", sum(score) AS points FROM attempt_items
      WHERE "attemptId" IN (SELECT "attemptId" FROM bank_items) AND score IS NOT NULL GROUP BY 1
    )
    SELECT b."questionId", b."attemptId", b.score, p.points, b.response
    FROM bank_items b JOIN points p ON p."attemptId" = b."attemptId"`;
  const byQuestion = new Map<string, Row[]>();
  for (const row of rows) byQuestion.set(row.questionId, [...(byQuestion.get(row.questionId) ?? []), row]);
  const stats = new Map<string, ItemStats>();
  for (const [questionId, list] of byQuestion) {
    stats.set(
      questionId,
      itemStats(
        list.map((r) => ({
          attemptId: r.attemptId,
          itemScore: Number(r.score),
          attemptPoints: Number(r.points),
          choice: choiceOf(r.response),
        })),
      ),
    );
  }
  return stats;
}

/** Every option of the current version with how often it was chosen (zeros included). */
export function optionTable(body: StoredBody, stats: ItemStats | undefined) {
  if (!("options" in body)) return [];
  return body.options.map((o) => ({
    id: o.id,
    html: o.html,
    correct: o.correct,
    chosen: stats?.optionCounts[o.id] ?? 0,
  }));
}
