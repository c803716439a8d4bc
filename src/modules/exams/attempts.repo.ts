// Queries of the attempt engine that Prisma's API does not express well.
import type { Db, Prisma } from "../../db";
import type { PoolQuestion } from "./selection";

type Client = Db | Prisma.TransactionClient;

/** Active questions (current version, not retired) with what selection needs. */
export async function loadPool(client: Client): Promise<PoolQuestion[]> {
  const rows = await client.$queryRaw<
    {
      versionId: string;
      topicPath: string;
      externalId: string;
      type: string;
      body: { options?: { id: string }[]; items?: { id: string }[] };
    }[]
  >`
    SELECT v.id AS "versionId", t.path AS "topicPath", q."externalId", v.type::text AS type, v.body
    FROM questions q
    JOIN question_versions v ON v.id = q."currentVersionId"
    JOIN topics t ON t.id = q."topicId"
    WHERE q."retiredAt" IS NULL`;
  return rows.map((r) => ({
    versionId: r.versionId,
    topicPath: r.topicPath,
    externalId: r.externalId,
    type: r.type,
    choiceIds: (r.body.options ?? r.body.items ?? []).map((o) => o.id),
  }));
}

/** Overdue open attempts, oldest first. Several instances may read the same ids: submission
 * locks the row and returns an already submitted attempt unchanged, so each is graded once. */
export async function overdueAttemptIds(client: Client, before: Date, limit: number): Promise<string[]> {
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM attempts WHERE status = 'open' AND "deadlineAt" < ${before}
    ORDER BY "deadlineAt" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

export type SaveOutcome = {
  found: boolean;
  userId: string | null;
  status: string | null;
  late: boolean | null;
  itemFound: boolean;
  type: string | null;
  displayOrder: string[] | null;
  saved: boolean;
};

/**
 * Saves one answer in a single statement: the attempt row is share-locked (so a concurrent
 * submission waits or wins), and the item is updated only when the owner matches, the
 * attempt is open, the deadline (plus grace) has not passed, the sequence number is newer,
 * and the answer fits the question's type and shown options. The returned row tells which
 * condition failed when nothing was saved.
 */
export async function saveAnswerStatement(
  client: Client,
  input: {
    attemptId: string;
    userId: string;
    position: number;
    seq: number;
    response: { type: string; ids: string[]; json: string } | null;
    flagged: boolean;
    now: Date;
    graceMs: number;
  },
): Promise<SaveOutcome> {
  const responseType = input.response?.type ?? null;
  const ids = input.response?.ids ?? [];
  const [row] = await client.$queryRaw<SaveOutcome[]>`
    WITH a AS (
      SELECT id, "userId", status::text AS status, "deadlineAt" FROM attempts WHERE id = ${input.attemptId}::uuid FOR SHARE
    ), i AS (
      SELECT it.id, it.seq, it."displayOrder", v.type::text AS type
      FROM attempt_items it JOIN question_versions v ON v.id = it."questionVersionId"
      WHERE it."attemptId" = ${input.attemptId}::uuid AND it.position = ${input.position}
    ), u AS (
      UPDATE attempt_items SET response = ${input.response?.json ?? null}::jsonb, seq = ${input.seq}, flagged = ${input.flagged},
        "answeredAt" = CASE WHEN ${input.response === null} THEN NULL ELSE ${input.now}::timestamp END
      FROM a, i
      WHERE attempt_items.id = i.id AND a."userId" = ${input.userId}::uuid AND a.status = 'open'
        AND ${input.now}::timestamp <= a."deadlineAt" + make_interval(secs => ${input.graceMs / 1000}) AND i.seq < ${input.seq}
        AND (${responseType}::text IS NULL OR (i.type = ${responseType}::text AND i."displayOrder" @> ${ids}::text[]
             AND (i.type <> 'ordering' OR cardinality(i."displayOrder") = ${ids.length})))
      RETURNING attempt_items.id
    )
    SELECT (SELECT count(*) FROM a) > 0 AS found, a."userId", a.status,
           ${input.now}::timestamp > a."deadlineAt" + make_interval(secs => ${input.graceMs / 1000}) AS late,
           (SELECT count(*) FROM i) > 0 AS "itemFound", i.type, i."displayOrder", (SELECT count(*) FROM u) > 0 AS saved
    FROM (SELECT 1) one LEFT JOIN a ON true LEFT JOIN i ON true`;
  return row!;
}
