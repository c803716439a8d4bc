// Queries of the attempt engine that Prisma's API does not express well.
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import { Prisma, queryPrepared, timeOrderedIds, type Db } from "../../db";
import {
  choiceIdsOf,
  PUBLIC_POOL_TOKEN,
  shownVersion,
  topicTitles,
  versionsByIds,
  type QuestionType,
  type StoredBody,
} from "../banks";
import type { SqlRecord } from "../sandbox";
import type { LearnerAnswer, TopicScore } from "./grading";
import { itemState, type ItemState } from "./item-state";
import type { PoolQuestion, StackChoice } from "./selection";

type Client = Db | Prisma.TransactionClient;

/**
 * The choice ids of versions already seen, by version id. Versions are immutable, so an entry
 * never goes stale; it spares every start of an exam reading every question's body (on exam
 * day, a thousand starts in a minute each read the whole pool). Bounded: cleared when full.
 */
const choiceIdCache = new Map<string, string[]>();
const CHOICE_ID_CACHE_MAX = 200_000;

/**
 * Active questions (current version, not retired) with what selection needs. Essays only when
 * asked (practice): they are never scored, so no timed attempt or mock exam draws them.
 */
export async function loadPool(
  client: Client,
  bankIds: string[],
  options: { essays?: boolean } = {},
): Promise<PoolQuestion[]> {
  const rows = await client.$queryRaw<
    { versionId: string; questionId: string; topicPath: string; externalId: string; type: string; difficulty: number }[]
  >`
    SELECT v.id AS "versionId", q.id AS "questionId", t.path AS "topicPath", q."externalId", v.type::text AS type,
      v.difficulty
    FROM questions q
    JOIN question_versions v ON v.id = q."currentVersionId"
    JOIN topics t ON t.id = q."topicId"
    WHERE q."retiredAt" IS NULL AND (${options.essays === true} OR v.type <> 'essay')
      AND q."bankId" = ANY(${bankIds}::uuid[])`;
  const unseen = rows.filter((r) => !choiceIdCache.has(r.versionId)).map((r) => r.versionId);
  if (unseen.length > 0) {
    const bodies = await client.$queryRaw<{ id: string; body: StoredBody }[]>`
      SELECT id, body FROM question_versions WHERE id = ANY(${unseen}::uuid[])`;
    if (choiceIdCache.size + bodies.length > CHOICE_ID_CACHE_MAX) choiceIdCache.clear();
    for (const b of bodies) choiceIdCache.set(b.id, choiceIdsOf(b.body));
  }
  return rows.map((r) => ({
    versionId: r.versionId,
    questionId: r.questionId,
    topicPath: r.topicPath,
    externalId: r.externalId,
    type: r.type,
    difficulty: r.difficulty,
    choiceIds: choiceIdCache.get(r.versionId) ?? [],
  }));
}

/**
 * Creates an attempt and its items in one statement (atomic on its own: no interactive
 * transaction, no round trip per part). A start is exam day's burst: a whole cohort in the
 * same second, and Prisma compiles a 60-row createMany afresh every time. Returns the new id;
 * a second open attempt of the same exam and learner fails on the open key (23505).
 */
export async function insertAttempt(client: Client, input: NewAttempt): Promise<string> {
  const [row] = await client.$queryRaw<{ id: string }[]>`
    WITH attempt AS (
      INSERT INTO attempts (${ATTEMPT_COLUMNS})
      VALUES (${attemptRow(input, Prisma.sql`${input.userId}::uuid`)})
      RETURNING id
    ), ${itemsOf(input)}
    SELECT id::text AS id FROM attempt`;
  return row!.id;
}

/**
 * insertAttempt for a start drawn from a pool kept in memory (start-attempt.ts), in one statement
 * that inserts only while what it was drawn from is still what the database holds: the exam
 * unchanged since it was read (its updatedAt), the public banks' pool token unchanged, the
 * learner's attempts under the exam's limit, and no open attempt of theirs (the open key).
 * The learner is a user id, or a session the statement proves itself (web/session.ts
 * SessionProof: live, the request's CSRF token, timeouts), as the autosave's does. Returns
 * null, writing nothing, when any of that is not so: the caller then starts the long way,
 * which says why or resumes the open attempt. Prepared once per connection (queryPrepared).
 */
export async function insertAttemptIfCurrent(
  pool: Pool,
  input: Omit<NewAttempt, "userId"> & {
    learner: { userId: string } | { session: Prisma.Sql };
    examUpdatedAt: Date;
    poolToken: string;
    maxAttempts: number | null;
  },
): Promise<string | null> {
  const actor = actorCtes(input.learner, "stackprep_start_kept");
  const [row] = await queryPrepared<{ id: string }>(
    pool,
    actor.name,
    Prisma.sql`
    WITH ${actor.ctes}, attempt AS (
      INSERT INTO attempts (${ATTEMPT_COLUMNS})
      SELECT ${attemptRow(input, Prisma.sql`s."userId"`)}
      FROM s
      WHERE s."userId" IS NOT NULL
        AND EXISTS (SELECT 1 FROM exams e
                    WHERE e.id = ${input.examId}::uuid AND e."updatedAt" = ${input.examUpdatedAt.toISOString()}::timestamp)
        AND ${PUBLIC_POOL_TOKEN} = ${input.poolToken}
        AND (${input.maxAttempts}::int IS NULL OR (SELECT count(*) FROM attempts a
             WHERE a."examId" = ${input.examId}::uuid AND a."userId" = s."userId") < ${input.maxAttempts}::int)
      ON CONFLICT ("openKey") DO NOTHING
      RETURNING id
    ), ${itemsOf(input)}
    SELECT id::text AS id FROM attempt`,
  );
  return row?.id ?? null;
}

type NewAttempt = {
  examId: string;
  userId: string;
  stack: string | null;
  mode: "timed" | "practice";
  startedAt: Date;
  deadlineAt: Date;
  items: { versionId: string; topicPath: string; displayOrder: string[] }[];
};

const ATTEMPT_COLUMNS = Prisma.sql`id, "examId", "userId", "openKey", stack, mode, "startedAt", "deadlineAt"`;

/** A new attempt's row for ATTEMPT_COLUMNS; `userId` is a uuid expression (the open key is "exam:user"). */
const attemptRow = (input: Omit<NewAttempt, "userId">, userId: Prisma.Sql) => Prisma.sql`gen_random_uuid(),
  ${input.examId}::uuid, ${userId}, ${input.examId}::uuid::text || ':' || (${userId})::text, ${input.stack},
  ${input.mode}::"AttemptMode", ${input.startedAt.toISOString()}::timestamp, ${input.deadlineAt.toISOString()}::timestamp`;

/**
 * A text[] literal of `values` (every element quoted, `"` and `\` escaped): one element of the
 * text[] parameter a start's items arrive in, cast back to an item's display order in SQL.
 */
const arrayLiteral = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;

/**
 * The items of a new attempt, inserted from four arrays of the same length: ids (time-ordered,
 * so the 60 new keys go to the end of the primary key's index: db/ids.ts), version ids, topic
 * paths and display orders (as text[] literals). Arrays rather than a JSON document: PostgreSQL
 * unnests them in one step, where a document took a subquery per item for its display order.
 */
const itemsOf = (input: Pick<NewAttempt, "items">) => {
  const ids = timeOrderedIds(input.items.length);
  const versions = input.items.map((i) => i.versionId);
  const topics = input.items.map((i) => i.topicPath);
  const orders = input.items.map((i) => arrayLiteral(i.displayOrder));
  return Prisma.sql`items AS (
      INSERT INTO attempt_items (id, "attemptId", position, "questionVersionId", "topicPath", "displayOrder")
      SELECT s.id, attempt.id, s.position::int, s.version, s.topic, s.display::text[]
      FROM attempt, unnest(${ids}::uuid[], ${versions}::uuid[], ${topics}::text[], ${orders}::text[])
        WITH ORDINALITY AS s(id, version, topic, display, position)
    )`;
};

/** Active questions per subtopic under a top-level topic (the stacks an exam may offer). */
export async function activeCountsUnder(client: Client, topic: string): Promise<Map<string, number>> {
  const rows = await client.$queryRaw<{ path: string; questions: number }[]>`
    SELECT t.path, count(*)::int AS questions
    FROM questions q JOIN topics t ON t.id = q."topicId"
    JOIN question_versions v ON v.id = q."currentVersionId"
    WHERE q."retiredAt" IS NULL AND v.type <> 'essay' AND starts_with(t.path, ${`${topic}/`})
    GROUP BY t.path`;
  return new Map(rows.map((r) => [r.path, r.questions]));
}

/**
 * Questions of a learner's attempts that are still open and whose answers can still change
 * (deadline plus grace not passed), any version: while they are, nothing else may show
 * their keys. `except` leaves one attempt out (the one being started or read).
 */
export async function heldQuestionIds(
  client: Client,
  input: { userId: string; now: Date; graceMs: number; except?: string; exceptExam?: string },
): Promise<string[]> {
  const rows = await client.$queryRaw<{ questionId: string }[]>`
    SELECT DISTINCT v."questionId" FROM attempts a
    JOIN attempt_items i ON i."attemptId" = a.id
    JOIN question_versions v ON v.id = i."questionVersionId"
    WHERE a."userId" = ${input.userId}::uuid AND a.status = 'open'
      AND a."deadlineAt" + make_interval(secs => ${input.graceMs / 1000}) >= ${input.now}::timestamp
      ${input.except ? Prisma.sql`AND a.id <> ${input.except}::uuid` : Prisma.empty}
      ${input.exceptExam ? Prisma.sql`AND a."examId" <> ${input.exceptExam}::uuid` : Prisma.empty}`;
  return rows.map((r) => r.questionId);
}

/** Overdue open attempts, oldest first. Several instances may read the same ids: submission
 * locks the row and returns an already submitted attempt unchanged, so each is graded once. */
export async function overdueAttemptIds(client: Client, before: Date, limit: number): Promise<string[]> {
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM attempts WHERE status = 'open' AND "deadlineAt" < ${before}
    ORDER BY "deadlineAt" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Who acts (saves an answer, starts from a kept pool): a known user, whoever a request's
 * session proves to be (see web/session.ts), or whoever another proof shows: common table
 * expressions, the last named `s` with a "userId" column (an API token's, which also counts the
 * request against the token's rate limit; data-modifying expressions must stand at the top of
 * the statement), under a statement name of its own.
 */
export type SaveActor = { userId: string } | { session: Prisma.Sql } | { proof: { ctes: Prisma.Sql; name: string } };

/** The actor's CTEs and the prepared name of `statement` for that kind of actor. */
function actorCtes(actor: SaveActor, statement: string): { ctes: Prisma.Sql; name: string } {
  if ("userId" in actor)
    return { ctes: Prisma.sql`s AS (SELECT ${actor.userId}::uuid AS "userId")`, name: `${statement}_as_user` };
  if ("session" in actor) return { ctes: Prisma.sql`s AS (${actor.session})`, name: `${statement}_in_session` };
  return actor.proof;
}

/**
 * One statement saves an answer: the item is updated only when the acting user owns the
 * attempt, the attempt is open, the deadline (plus grace) has not passed, the sequence number
 * is newer, and the answer fits the question's type and shown options. It returns the acting
 * user (null when a session actor's session proved nothing: then nothing was written) and
 * whether it saved; saveRefusal tells why not. With a session actor the statement also proves
 * the session (live, CSRF token, timeouts), so the request needs no other query.
 *
 * The attempt row is read, not locked. What keeps a save from slipping past a submission are
 * the conditions on the item row itself: the submission locks every item row before it
 * reads them and sets their scores, so a save that had to wait for that lock finds, on
 * PostgreSQL's re-check of the updated row, a score (graded: refused) or a newer sequence
 * number (a newer save won). It runs on the pool Prisma uses, prepared once per connection
 * (queryPrepared): the hottest statement of the app, where Prisma's raw-query layer would
 * cost more CPU than the statement.
 */
export async function saveAnswerStatement(
  pool: Pool,
  input: {
    attemptId: string;
    actor: SaveActor;
    position: number;
    seq: number;
    response: { type: string; ids: string[]; json: string } | null;
    flagged: boolean;
    now: Date;
    graceMs: number;
  },
): Promise<{ actorId: string | null; saved: boolean }> {
  const responseType = input.response?.type ?? null;
  const ids = input.response?.ids ?? [];
  const actor = actorCtes(input.actor, "stackprep_save_answer");
  const now = input.now.toISOString();
  const [row] = await queryPrepared<{ actorId: string | null; saved: boolean }>(
    pool,
    actor.name,
    Prisma.sql`
    WITH ${actor.ctes}, u AS (
      UPDATE attempt_items it SET response = ${input.response?.json ?? null}::jsonb, seq = ${input.seq},
        flagged = ${input.flagged},
        "answeredAt" = CASE WHEN ${input.response === null} THEN NULL ELSE ${now}::timestamp END
      FROM attempts a, question_versions v, s
      WHERE it."attemptId" = ${input.attemptId}::uuid AND it.position = ${input.position}
        AND a.id = it."attemptId" AND v.id = it."questionVersionId"
        AND a."userId" = s."userId" AND a.status = 'open'
        AND it.score IS NULL AND it."checkedAt" IS NULL AND it.seq < ${input.seq}
        AND ${now}::timestamp <= a."deadlineAt" + make_interval(secs => ${input.graceMs / 1000})
        AND (${responseType}::text IS NULL OR (v.type::text = ${responseType}::text
             AND it."displayOrder" @> ${ids}::text[]
             AND (v.type <> 'ordering' OR cardinality(it."displayOrder") = ${ids.length})))
      RETURNING it.id
    )
    SELECT (SELECT "userId" FROM s) AS "actorId", EXISTS (SELECT 1 FROM u) AS saved`,
  );
  return row!;
}

export type SaveRefusal = {
  found: boolean;
  userId: string | null;
  status: string | null;
  late: boolean | null;
  itemFound: boolean;
  itemSeq: number | null;
  /** Practice mode: the answer was checked, so it is locked. */
  checked: boolean | null;
  type: string | null;
  displayOrder: string[] | null;
};

/** Why a save was refused, as things stand now (read after the save statement wrote nothing). */
export async function saveRefusal(
  client: Client,
  input: { attemptId: string; position: number; now: Date; graceMs: number },
): Promise<SaveRefusal> {
  const [row] = await client.$queryRaw<SaveRefusal[]>`
    SELECT a."userId" IS NOT NULL AS found, a."userId", a.status::text AS status,
           ${input.now}::timestamp > a."deadlineAt" + make_interval(secs => ${input.graceMs / 1000}) AS late,
           i.id IS NOT NULL AS "itemFound", i.seq AS "itemSeq", i."checkedAt" IS NOT NULL AS checked, v.type::text AS type, i."displayOrder"
    FROM (SELECT 1) one
    LEFT JOIN attempts a ON a.id = ${input.attemptId}::uuid
    LEFT JOIN attempt_items i ON i."attemptId" = a.id AND i.position = ${input.position}
    LEFT JOIN question_versions v ON v.id = i."questionVersionId"`;
  return row!;
}

/**
 * Locks an attempt's row for the grading transaction and reads what grading needs of it and
 * of its exam; undefined when there is no such attempt.
 */
export async function lockAttempt(tx: Prisma.TransactionClient, attemptId: string) {
  const [locked] = await tx.$queryRaw<
    {
      id: string;
      userId: string;
      status: string;
      mode: "timed" | "practice";
      startedAt: Date;
      deadlineAt: Date;
      partialCredit: boolean;
      passMarkPercent: number | null;
    }[]
  >`
    SELECT a.id::text AS id, a."userId"::text AS "userId", a.status::text AS status, a.mode::text AS mode,
      a."startedAt", a."deadlineAt", e."partialCredit", e."passMarkPercent"
    FROM attempts a JOIN exams e ON e.id = a."examId" WHERE a.id = ${attemptId}::uuid FOR UPDATE OF a`;
  return locked;
}

/**
 * Locks every item of an attempt being graded (saves in flight finish first, later ones wait
 * and are refused) and reads each with its answer and the version it showed, in one statement.
 */
export async function lockItemsForGrading(tx: Prisma.TransactionClient, attemptId: string) {
  const rows = await tx.$queryRaw<
    {
      id: string;
      topicPath: string;
      flagged: boolean;
      response: Prisma.JsonValue;
      checkedAt: Date | null;
      sqlResult: Prisma.JsonValue;
      type: QuestionType;
      body: Prisma.JsonValue;
      questionId: string;
      difficulty: number;
    }[]
  >`
    SELECT i.id::text AS id, i."topicPath", i.flagged, i.response, i."checkedAt", i."sqlResult",
      v.type::text AS type, v.body, v."questionId"::text AS "questionId", v.difficulty
    FROM attempt_items i JOIN question_versions v ON v.id = i."questionVersionId"
    WHERE i."attemptId" = ${attemptId}::uuid ORDER BY i.position FOR UPDATE OF i`;
  return rows.map((r) => ({
    id: r.id,
    topicPath: r.topicPath,
    flagged: r.flagged,
    response: learnerAnswer(r.response),
    checked: checkedRun(r),
    version: { type: r.type, body: storedBody(r.body), questionId: r.questionId, difficulty: r.difficulty },
  }));
}

/**
 * Writes every item's grade in one statement (grading's 60 updates were 60 round trips inside
 * the transaction, holding the attempt's locks the while). An SQL exercise's record is set
 * where given; other items keep theirs. The sitting's last runs are no longer needed.
 */
export async function writeItemGrades(
  tx: Prisma.TransactionClient,
  grades: { itemId: string; correct: boolean; score: number; sqlResult?: SqlRecord }[],
): Promise<void> {
  if (grades.length === 0) return;
  await tx.$executeRaw`
    UPDATE attempt_items i SET correct = g.correct, score = g.score, "sqlResult" = COALESCE(g.sql, i."sqlResult"),
      "lastRun" = NULL
    FROM unnest(${grades.map((g) => g.itemId)}::uuid[], ${grades.map((g) => g.correct)}::boolean[],
                ${grades.map((g) => g.score)}::float8[],
                ${grades.map((g) => (g.sqlResult ? JSON.stringify(g.sqlResult) : null))}::jsonb[])
      AS g(id, correct, score, sql)
    WHERE i.id = g.id`;
}

/** A practice answer checked before submission keeps the SQL run it was marked on. */
const checkedRun = (r: { checkedAt: unknown; sqlResult: Prisma.JsonValue }) =>
  r.checkedAt && r.sqlResult ? (r.sqlResult as unknown as SqlRecord) : null;

/** An SQL exercise's last successful run in the sitting: the statement (trimmed) and its record. */
export type LastRun = { query: string; record: SqlRecord };
const lastRunOf = (json: Prisma.JsonValue) => json as unknown as LastRun | null;

/** An answered SQL exercise of an attempt, as grading runs it. */
type SqlItemRow = {
  id: string;
  response: Prisma.JsonValue;
  checkedAt: string | null;
  sqlResult: Prisma.JsonValue;
  lastRun: Prisma.JsonValue;
  body: Prisma.JsonValue;
};

const sqlItemOf = (r: SqlItemRow) => ({
  id: r.id,
  response: learnerAnswer(r.response),
  checked: checkedRun(r),
  lastRun: lastRunOf(r.lastRun),
  version: { type: "sql", body: storedBody(r.body) },
});

/**
 * What a submission reads before its transaction, in one statement: whose the attempt is,
 * whether it is still open, and (while it is) its answered SQL exercises (none in most), which
 * must run before grading. Undefined when there is no such attempt.
 */
export async function submissionState(client: Client, attemptId: string) {
  const [row] = await client.$queryRaw<{ userId: string; status: string; sqlItems: SqlItemRow[] }[]>`
    SELECT a."userId"::text AS "userId", a.status::text AS status,
      (SELECT coalesce(json_agg(json_build_object('id', i.id, 'response', i.response, 'checkedAt', i."checkedAt",
                 'sqlResult', i."sqlResult", 'lastRun', i."lastRun", 'body', v.body)), '[]'::json)
         FROM attempt_items i JOIN question_versions v ON v.id = i."questionVersionId"
         WHERE i."attemptId" = a.id AND a.status = 'open' AND v.type = 'sql' AND i.response IS NOT NULL) AS "sqlItems"
    FROM attempts a WHERE a.id = ${attemptId}::uuid`;
  return row && { userId: row.userId, status: row.status, sqlItems: row.sqlItems.map(sqlItemOf) };
}

// JSON columns are checked where they are written (bodies by the importer, answers by the
// answer schema and the save statement, blueprints by the exam definitions); here, the one
// place they are read, they take their types.
const storedBody = (json: Prisma.JsonValue) => json as unknown as StoredBody;
const learnerAnswer = (json: Prisma.JsonValue | null) => json as unknown as LearnerAnswer | null;
const blueprint = (json: Prisma.JsonValue | null) => json as unknown as Record<string, number> | null;
const stackChoice = (json: Prisma.JsonValue | null) => json as unknown as StackChoice | null;
const topicScores = (json: Prisma.JsonValue | null) => (json ?? []) as unknown as TopicScore[];

/** An exam with its JSON columns typed. */
export function typedExam<
  E extends {
    blueprint: Prisma.JsonValue;
    difficultyQuota: Prisma.JsonValue;
    typeQuota: Prisma.JsonValue;
    stackChoice: Prisma.JsonValue;
  },
>(exam: E) {
  return {
    ...exam,
    blueprint: blueprint(exam.blueprint),
    difficultyQuota: blueprint(exam.difficultyQuota),
    typeQuota: exam.typeQuota as unknown as Record<string, Record<string, number>> | null,
    stackChoice: stackChoice(exam.stackChoice),
  };
}

/**
 * The exam readiness is measured against: the largest published public mock exam with a pass mark (a
 * placement test such as the diagnostic has none, so there is nothing to be ready for), typed.
 */
export async function readinessExam(client: Client) {
  const exam = await client.exam.findFirst({
    // Readiness is for the public exam: a class's own mock exam never replaces it.
    where: { kind: "mock", published: true, passMarkPercent: { not: null }, OR: [{ ownerId: null }, { public: true }] },
    orderBy: [{ questionCount: "desc" }, { createdAt: "asc" }],
  });
  return exam && exam.passMarkPercent !== null ? { ...typedExam(exam), passMarkPercent: exam.passMarkPercent } : null;
}

/** A learner's latest submitted attempts with their exam's title and pass mark. */
export function recentSubmitted(client: Client, userId: string, take: number) {
  return client.attempt.findMany({
    where: { userId, status: "submitted" },
    orderBy: { submittedAt: "desc" },
    take,
    include: { exam: { select: { title: true, passMarkPercent: true } } },
  });
}

/** An exam by its short name, JSON columns typed. */
export async function examBySlug(client: Client, slug: string) {
  const exam = await client.exam.findUnique({ where: { slug } });
  return exam && typedExam(exam);
}

/** An exam with its JSON columns typed. */
export async function examById(client: Client, id: string) {
  return typedExam(
    await client.exam.findUniqueOrThrow({ where: { id }, include: { owner: { select: { role: true } } } }),
  );
}

/** An attempt with its exam, for ownership checks and the pages. */
export async function attemptWithExam(client: Client, id: string) {
  const attempt = await client.attempt.findUnique({ where: { id }, include: { exam: true } });
  return attempt && { ...attempt, topicBreakdown: topicScores(attempt.topicBreakdown) };
}

/** Every item's state while an attempt is open (the jump list and summary): no key. */
/** What a question page reads of each item (attemptWithItems builds the same object in SQL). */
type OpenItemFields = {
  position: true;
  displayOrder: true;
  response: true;
  seq: true;
  flagged: true;
  questionVersionId: true;
  sqlRuns: true;
  checkedAt: true;
  correct: true;
  score: true;
  sqlResult: true;
  selfAssessment: true;
};

type OpenItemRow = Prisma.AttemptItemGetPayload<{ select: OpenItemFields }>;

const openItem = (item: OpenItemRow) => ({
  ...item,
  response: learnerAnswer(item.response),
  // The learner's own rows, stored once an SQL answer is checked (practice) or graded.
  sqlResult: item.sqlResult as unknown as SqlRecord | null,
});

/**
 * An attempt with its exam and every item's state, in one statement (a lateral join): what
 * each question page of a sitting reads.
 */
type AttemptWithItemsRow = Prisma.AttemptGetPayload<{
  include: { exam: true; items: { select: OpenItemFields } };
}>;

/** A timestamp column as to_jsonb writes it (no zone: stored in UTC, as Prisma writes them). */
const utc = (value: unknown) => (typeof value === "string" ? new Date(`${value}Z`) : null);

/**
 * An attempt with its exam and items, for its question pages (a sitting shows some 60), in one
 * prepared statement on the pool (as the autosave's, queryPrepared): the attempt, the exam
 * and the items come back as JSON, which JSON.parse reads at a fraction of what Prisma's
 * mapping of the same relation join costs per page. `id` is a uuid (every route parses it with
 * web/input's `uuid` first).
 */
export async function attemptWithItems(pool: Pool, id: string) {
  const [row] = await queryPrepared<AttemptJson>(pool, "attempt_with_items", attemptJsonSql(id, null));
  return row ? attemptFromJson(row) : null;
}

/**
 * attemptWithItems and the request's session in the same statement, for a question page that
 * has not loaded its session (web/session.ts SessionRead): the stored session comes back as
 * `session`, and nothing at all unless the session selects a row. null: no such attempt, or
 * a session that selects nothing. With `show`, only the item at that position comes whole
 * (`items`); of the others the page needs their states alone, which come as one integer each
 * (`states`).
 */
export async function attemptWithItemsInSession(pool: Pool, id: string, session: Prisma.Sql, show: number | null) {
  const [row] = await queryPrepared<AttemptJson & { session: unknown }>(
    pool,
    "attempt_with_items_in_session",
    Prisma.sql`WITH s AS (${session})
      SELECT (SELECT sess FROM s) AS session, q.* FROM (${attemptJsonSql(id, show)}) q WHERE EXISTS (SELECT 1 FROM s)`,
  );
  return row ? { session: row.session, found: attemptFromJson(row) } : null;
}

type AttemptJson = {
  attempt: Record<string, unknown>;
  exam: Record<string, unknown>;
  /** Whole items (itemFromJson): every one, or with `show` only that one. */
  items: unknown[][];
  /** With `show`: every item's state packed (PACKED_STATE), in position order; otherwise null. */
  states: number[] | null;
};

/**
 * An item as the page's row holds it: an array of its fields, not an object, so some 60 items
 * do not repeat a dozen keys each (the row is half the size to build, send and parse). The
 * order is the one attemptJsonSql builds; `satisfies` makes a field left out fail to compile.
 */
const itemFromJson = (v: unknown[]) =>
  ({
    position: v[0],
    displayOrder: v[1],
    response: v[2],
    seq: v[3],
    flagged: v[4],
    questionVersionId: v[5],
    sqlRuns: v[6],
    checkedAt: utc(v[7]),
    correct: v[8],
    score: v[9],
    sqlResult: v[10],
    selfAssessment: v[11],
  }) satisfies Record<keyof OpenItemFields, unknown>;

/**
 * Every item's state (see ItemState) as one integer each: its position times 8, plus 1 when
 * answered, 2 when flagged, 4 when checked. A page with `show` reads the 60 states as one
 * integer array, where an array of four fields per item cost the database more to build
 * than the rest of the page's row.
 */
const PACKED_STATE = Prisma.sql`i.position * 8 + (i.response IS NOT NULL)::int + 2 * i.flagged::int
              + 4 * (i."checkedAt" IS NOT NULL)::int`;
const unpackState = (packed: number): ItemState => ({
  position: packed >> 3,
  answered: (packed & 1) !== 0,
  flagged: (packed & 2) !== 0,
  checked: (packed & 4) !== 0,
});

/** An item whole, as itemFromJson reads it. */
const WHOLE_ITEM = Prisma.sql`jsonb_build_array(i.position, i."displayOrder", i.response, i.seq, i.flagged,
              i."questionVersionId", i."sqlRuns", i."checkedAt", i.correct, i.score, i."sqlResult", i."selfAssessment")`;

/**
 * `show`: only that position's item whole (found by the attempt and position index) and every
 * item's state packed; null: every item whole. The CASE runs only the branch its parameter picks.
 */
const attemptJsonSql = (id: string, show: number | null) => Prisma.sql`
      SELECT to_jsonb(a) AS attempt, to_jsonb(e) AS exam,
        coalesce(CASE WHEN ${show}::int IS NULL
          THEN (SELECT jsonb_agg(${WHOLE_ITEM} ORDER BY i.position) FROM attempt_items i WHERE i."attemptId" = a.id)
          ELSE (SELECT jsonb_agg(${WHOLE_ITEM}) FROM attempt_items i WHERE i."attemptId" = a.id AND i.position = ${show}::int)
          END, '[]'::jsonb) AS items,
        CASE WHEN ${show}::int IS NOT NULL
          THEN (SELECT array_agg(${PACKED_STATE} ORDER BY i.position) FROM attempt_items i WHERE i."attemptId" = a.id)
          END AS states
      FROM attempts a JOIN exams e ON e.id = a."examId"
      WHERE a.id = ${id}::uuid`;

function attemptFromJson(row: AttemptJson) {
  const attempt = {
    ...row.attempt,
    startedAt: utc(row.attempt.startedAt),
    deadlineAt: utc(row.attempt.deadlineAt),
    submittedAt: utc(row.attempt.submittedAt),
    exam: {
      ...row.exam,
      opensAt: utc(row.exam.opensAt),
      closesAt: utc(row.exam.closesAt),
      createdAt: utc(row.exam.createdAt),
      updatedAt: utc(row.exam.updatedAt),
    },
  } as unknown as Omit<AttemptWithItemsRow, "items">;
  // Every item's state, in position order; `items` holds only the whole ones.
  const items = row.items.map((v) => openItem(itemFromJson(v) as unknown as OpenItemRow));
  const states: ItemState[] = row.states ? row.states.map(unpackState) : items.map(itemState);
  return { ...attempt, topicBreakdown: topicScores(attempt.topicBreakdown), items, states };
}

/**
 * One item of an attempt, locked for checking it (practice) or assessing it (an essay), with
 * the version it shows (key included): what a check reads of it, not its kept SQL Run.
 */
export async function lockedItemForCheck(tx: Prisma.TransactionClient, attemptId: string, position: number) {
  const [locked] = await tx.$queryRaw<{ id: string; type: QuestionType; body: Prisma.JsonValue; questionId: string }[]>`
    SELECT i.id, v.type::text AS type, v.body, v."questionId"::text AS "questionId"
    FROM attempt_items i JOIN question_versions v ON v.id = i."questionVersionId"
    WHERE i."attemptId" = ${attemptId}::uuid AND i.position = ${position}
    FOR UPDATE OF i`;
  if (!locked) return undefined;
  const item = await tx.attemptItem.findUniqueOrThrow({
    where: { id: locked.id },
    select: {
      id: true,
      position: true,
      topicPath: true,
      displayOrder: true,
      response: true,
      seq: true,
      checkedAt: true,
      correct: true,
      score: true,
      selfAssessment: true,
    },
  });
  const { type, body, questionId } = locked;
  return { ...item, response: learnerAnswer(item.response), version: { type, questionId, body: storedBody(body) } };
}

/** A submitted attempt's items with the versions they showed, for its result. */
export async function resultItems(client: Client, attemptId: string) {
  const items = await client.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
  const versions = await versionsByIds(
    client,
    items.map((i) => i.questionVersionId),
  );
  return items.map((item) => ({
    ...item,
    response: learnerAnswer(item.response),
    sqlResult: item.sqlResult as unknown as SqlRecord | null,
    questionVersion: versions.get(item.questionVersionId)!,
  }));
}

/** Titles of topics by slash path (a path with no row keeps its path). */
export async function topicTitleMap(client: Client, paths: string[]): Promise<Map<string, string>> {
  const rows = await topicTitles(client, [...new Set(paths)]);
  return new Map(rows.map((t) => [t.path, t.title]));
}

/** The questions of a submitted attempt the learner missed: wrong or not answered. */
export async function missedQuestionIds(client: Client, attemptId: string): Promise<string[]> {
  // Essays are never marked, so never missed: their self-assessment feeds review instead.
  const rows = await client.$queryRaw<{ questionId: string }[]>`
    SELECT v."questionId"::text AS "questionId"
    FROM attempt_items i JOIN question_versions v ON v.id = i."questionVersionId"
    WHERE i."attemptId" = ${attemptId}::uuid AND i.correct IS NOT TRUE AND v.type <> 'essay'
    ORDER BY i.position`;
  return rows.map((r) => r.questionId);
}

/**
 * A private quiz of exactly the given questions, for their learner (a retry of an attempt's
 * misses, the learner's missed questions): the one way such a quiz is made.
 */
export function createQuestionQuiz(
  client: Client,
  input: { userId: string; title: string; questionIds: string[]; seconds: number; slugPrefix?: string },
) {
  return client.exam.create({
    data: {
      slug: `${input.slugPrefix ?? "retry"}-${randomUUID()}`,
      title: input.title,
      kind: "custom",
      questionCount: input.questionIds.length,
      timeLimitSeconds: input.seconds,
      passMarkPercent: 70,
      topicPaths: [],
      questionIds: input.questionIds,
      published: false,
      ownerId: input.userId,
    },
  });
}

/** When a learner's answers were saved since a moment (the home page's activity map). */
export async function answeredTimes(client: Client, userId: string, since: Date): Promise<Date[]> {
  const rows = await client.attemptItem.findMany({
    where: { attempt: { userId }, answeredAt: { gte: since } },
    select: { answeredAt: true },
  });
  return rows.flatMap((r) => (r.answeredAt ? [r.answeredAt] : []));
}

/** An attempt's item at a position, with what running its SQL needs (the key stays here). */
export async function sqlRunItem(client: Client, attemptId: string, position: number) {
  const item = await client.attemptItem.findUnique({
    where: { attemptId_position: { attemptId, position } },
    select: {
      id: true,
      sqlRuns: true,
      checkedAt: true,
      attempt: { select: { userId: true, status: true, deadlineAt: true } },
      questionVersionId: true,
    },
  });
  if (!item) return null;
  const { questionVersionId, ...fields } = item;
  return { ...fields, questionVersion: await shownVersion(client, questionVersionId) };
}

/**
 * The common case in one statement: counts a run of the SQL exercise at `position` of the
 * user's open attempt, before its deadline and within the exercise's run limit. What running
 * needs (schema, kind, runs left), or null when anything does not hold (the caller then finds
 * out which, with sqlRunItem).
 */
export async function claimSqlRun(
  client: Client,
  input: { attemptId: string; userId: string; position: number; now: Date },
): Promise<ClaimedRun | null> {
  const rows = await client.$queryRaw<ClaimedRun[]>`
    UPDATE attempt_items it SET "sqlRuns" = it."sqlRuns" + 1
    FROM attempts a, question_versions v
    WHERE it."attemptId" = ${input.attemptId}::uuid AND it.position = ${input.position}
      AND a.id = it."attemptId" AND a."userId" = ${input.userId}::uuid AND a.status = 'open'
      AND a."deadlineAt" > ${input.now.toISOString()}::timestamptz AND it.score IS NULL
      AND v.id = it."questionVersionId" AND v.type = 'sql'
      AND (v.body #> '{exercise,runs}' IS NULL OR it."sqlRuns" < (v.body #>> '{exercise,runs}')::int)
    RETURNING v.body ->> 'schema' AS schema, v.body #>> '{exercise,kind}' AS kind, v.body #>> '{exercise,check}' AS check,
      it."sqlRuns" AS runs, (v.body #>> '{exercise,runs}')::int AS limit`;
  return rows[0] ?? null;
}

type ClaimedRun = { schema: string; kind: "read" | "write"; check: string | null; runs: number; limit: number | null };

/**
 * Keeps a successful run of an open attempt's SQL exercise (with its check, as grading runs
 * it), so that grading need not run the same statement again. Nothing once the item is graded.
 */
export async function keepLastRun(
  client: Client,
  /** `json`: a LastRun as JSON. */
  input: { attemptId: string; position: number; json: string },
): Promise<void> {
  await client.$executeRaw`
    UPDATE attempt_items SET "lastRun" = ${input.json}::jsonb
    WHERE "attemptId" = ${input.attemptId}::uuid AND position = ${input.position} AND score IS NULL`;
}

/** Questions the learner answered wrongly in submitted attempts, latest first; blanks are not misses. */
export function missedQuestionIdsOfLearner(client: Client, input: { userId: string; limit: number }) {
  return client.$queryRaw<{ questionId: string }[]>`
    SELECT v."questionId" FROM attempt_items i
    JOIN attempts a ON a.id = i."attemptId"
    JOIN question_versions v ON v.id = i."questionVersionId"
    JOIN questions q ON q.id = v."questionId"
    WHERE a."userId" = ${input.userId}::uuid AND a.status = 'submitted'
      AND i.correct = false AND i.response IS NOT NULL AND q."retiredAt" IS NULL
    GROUP BY v."questionId" ORDER BY max(a."submittedAt") DESC LIMIT ${input.limit}`;
}
