// Database side of an import: reads the stored state of banks, writes a plan in a transaction.
// Questions and their versions are written in chunks of CHUNK, one statement a chunk, whose
// rows travel as one JSON array (INSERT ... SELECT FROM json_to_recordset('[...]'::json)) inside
// the import's transaction: Prisma cannot COPY, and one round trip per chunk is enough. Markdown
// is rendered chunk by chunk too, so memory does not grow with the bank, and the next chunks
// render (in worker threads for a large import: render.pool.ts) while Postgres inserts the
// previous one (bench/import, docs/performance.md).
import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "../../db";
import type { ParsedBank } from "./model";
import { planBank, type BankPlan, type StoredCard, type StoredQuestion } from "./import.plan";
import { choiceCount, newChoiceIds } from "./choice-ids";
import { cardContent, type VersionRow, type VersionStatement } from "./normalise";
import { inThreadRenderer, sqlText, type RenderedSql, type VersionRenderer } from "./render.pool";

type Tx = Prisma.TransactionClient;

/** Questions per statement: big enough that round trips do not count, small enough to fit a socket buffer. */
const CHUNK = 500;

export async function loadStoredBank(prisma: Db | Tx, slug: string) {
  const bank = await prisma.bank.findUnique({ where: { slug }, select: { id: true, ownerId: true } });
  if (!bank) return { bank: undefined, questions: [] as StoredQuestion[], cards: [] as StoredCard[] };
  // One query each, one after the other: inside a transaction both would queue on one connection anyway.
  const questions = await prisma.$queryRaw<
    {
      id: string;
      externalId: string;
      retired: boolean;
      topicPath: string;
      contentHash: string | null;
      number: number | null;
    }[]
  >`
    SELECT q.id::text AS id, q."externalId", q."retiredAt" IS NOT NULL AS retired, t.path AS "topicPath",
           v."contentHash", v.number
    FROM questions q
    JOIN topics t ON t.id = q."topicId"
    LEFT JOIN question_versions v ON v.id = q."currentVersionId"
    WHERE q."bankId" = ${bank.id}::uuid`;
  const cards = await prisma.card.findMany({
    where: { bankId: bank.id },
    select: { id: true, externalId: true, retiredAt: true, contentHash: true, topic: { select: { path: true } } },
  });
  return {
    bank,
    questions: questions.map((q) => ({
      id: q.id,
      externalId: q.externalId,
      topicPath: q.topicPath,
      retired: q.retired,
      contentHash: q.contentHash,
      versionNumber: q.number ?? 0,
    })),
    cards: cards.map((c) => ({
      id: c.id,
      externalId: c.externalId,
      topicPath: c.topic.path,
      retired: c.retiredAt !== null,
      contentHash: c.contentHash,
    })),
  };
}

/** Ids (questions and cards) that already belong to a bank other than `slug`. */
export async function idsOwnedElsewhere(
  prisma: Db,
  slug: string,
  questionIds: string[],
  cardIds: string[],
): Promise<Map<string, string>> {
  const [questions, cards] = await Promise.all([
    prisma.$queryRaw<{ externalId: string; slug: string }[]>`
      SELECT q."externalId", b.slug FROM questions q JOIN banks b ON b.id = q."bankId"
      WHERE q."externalId" = ANY(${questionIds}::text[]) AND b.slug <> ${slug}`,
    prisma.$queryRaw<{ externalId: string; slug: string }[]>`
      SELECT c."externalId", b.slug FROM cards c JOIN banks b ON b.id = c."bankId"
      WHERE c."externalId" = ANY(${cardIds}::text[]) AND b.slug <> ${slug}`,
  ]);
  return new Map([...questions, ...cards].map((row) => [row.externalId, row.slug]));
}

/**
 * SQL around the rows of a version statement: they come as a JSON array (versionRowsJson:
 * each row's keys and VersionContent) inlined as a dollar-quoted literal, which PostgreSQL
 * reads with json_to_recordset (JSON arrays become the text[] columns). Not a parameter:
 * Prisma writes its raw parameters to JSON and reads them back, three copies of megabytes a
 * chunk, which filled the old generation; the statement's text goes to pg as it is.
 */
const versionStatement = (keys: string, rest: string, rows: VersionRow[]): VersionStatement => ({
  before: "WITH v AS (SELECT * FROM json_to_recordset(",
  rows,
  after: `::json) AS v(${keys}, "versionId" uuid, number int, type text, "stemMd" text, "stemHtml" text,
    body jsonb, "explanationMd" text, "explanationHtml" text, difficulty int, tags text[], "references" text[],
    "contentHash" text))
    ${rest}`,
});

/** INSERT INTO question_versions from the rows of CTE `v` (versionStatement). */
const INSERT_VERSIONS = `
  INSERT INTO question_versions (id, "questionId", number, type, "stemMd", "stemHtml", body, "explanationMd",
    "explanationHtml", difficulty, tags, "references", "contentHash")
  SELECT "versionId", "questionId", number, type::"QuestionType", "stemMd", "stemHtml", body, "explanationMd",
    "explanationHtml", difficulty, tags, "references", "contentHash"
  FROM v`;

/** SQL (as text or as the bytes of a worker's answer: sqlText) and its parameters. */
type Statement = [RenderedSql, ...unknown[]];

/**
 * Runs one statement per chunk of `ids`, in order. While Postgres executes a chunk, the next
 * ones are prepared (rendered): `ahead` at most. In this thread that is 1: the statement is
 * started, the event loop turns once so that it goes out on the socket, and only then does
 * the next chunk's CPU work begin. With a render pool it is more, so that the workers render
 * several chunks while this thread sends statements.
 */
async function inChunks(
  tx: Tx,
  ids: string[],
  statement: (chunk: string[]) => Statement | Promise<Statement>,
  ahead = 1,
) {
  const chunks: string[][] = [];
  for (let at = 0; at < ids.length; at += CHUNK) chunks.push(ids.slice(at, at + CHUNK));
  const prepared: Promise<Statement>[] = [];
  let next = 0;
  let running: Promise<unknown> = Promise.resolve();
  try {
    for (let done = 0; done < chunks.length; done += 1) {
      while (next < chunks.length && prepared.length < ahead) {
        const chunk = chunks[next++]!;
        const statementOf = Promise.resolve().then(() => statement(chunk));
        // Its failure is reported when it is awaited below, not as an unhandled rejection.
        statementOf.catch(() => undefined);
        prepared.push(statementOf);
      }
      const [sql, ...values] = await prepared.shift()!;
      await running;
      running = tx.$executeRawUnsafe(sqlText(sql), ...values).then((n) => n);
      running.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await running;
  } finally {
    // Never leave a statement running behind a failure (the transaction rolls back after it),
    // nor a chunk rendering for nothing.
    await running.catch(() => undefined);
    await Promise.allSettled(prepared);
  }
}

/** Makes every topic path (and its ancestors) exist; returns path -> id. */
async function ensureTopics(tx: Tx, topics: { path: string; title: string }[]): Promise<Map<string, string>> {
  const titles = new Map(topics.map((t) => [t.path, t.title]));
  const all = new Set<string>();
  for (const t of topics) t.path.split("/").forEach((_, i, parts) => all.add(parts.slice(0, i + 1).join("/")));
  const ids = new Map<string, string>();
  const byDepth = [...all].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
  const existing = await tx.topic.findMany({
    where: { path: { in: byDepth } },
    select: { id: true, path: true, title: true },
  });
  for (const row of existing) {
    ids.set(row.path, row.id);
    const title = titles.get(row.path);
    if (title && title !== row.title) await tx.topic.update({ where: { id: row.id }, data: { title } });
  }
  for (const path of byDepth) {
    if (ids.has(path)) continue;
    const parentPath = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : undefined;
    const id = randomUUID();
    await tx.topic.create({
      data: {
        id,
        path,
        title: titles.get(path) ?? path.split("/").at(-1)!,
        parentId: parentPath ? ids.get(parentPath)! : null,
      },
    });
    ids.set(path, id);
  }
  return ids;
}

/** Writes one bank, planning against the state read under a per-bank lock. */
export async function writeBank(
  tx: Tx,
  options: {
    bank: ParsedBank;
    format: string;
    ownerId: string | null;
    now: Date;
    renderer?: VersionRenderer;
    /** Ids of questions left out of this import (refused); not retired (planBank). */
    keep?: ReadonlySet<string>;
  },
): Promise<BankPlan> {
  const { bank, now } = options;
  const renderer = options.renderer ?? inThreadRenderer;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`bank:${bank.slug}`}))`;
  const topicIds = await ensureTopics(
    tx,
    bank.topics.length
      ? bank.topics
      : [...new Set(bank.questions.map((q) => q.topic))].map((path) => ({ path, title: path })),
  );
  const topicOf = (path: string) => topicIds.get(path)!;
  const meta = {
    title: bank.title,
    description: bank.description,
    licence: bank.licence,
    sourceFormat: options.format,
  };
  const stored = await tx.bank.upsert({
    where: { slug: bank.slug },
    create: { slug: bank.slug, ownerId: options.ownerId, ...meta },
    update: meta,
    select: { id: true },
  });
  const state = await loadStoredBank(tx, bank.slug);
  const plan = planBank(bank, state.questions, state.cards, options.keep);
  const storedQuestions = new Map(state.questions.map((q) => [q.externalId, q]));
  const parsedQuestions = new Map(bank.questions.map((q) => [q.externalId, q]));

  // New questions, each with its first version: one statement per chunk. The foreign keys
  // between the two rows (currentVersionId, questionId) are checked at the end of the statement.
  await inChunks(
    tx,
    plan.createdQuestions,
    async (ids) => {
      const rows = ids.map((externalId) => {
        const question = parsedQuestions.get(externalId)!;
        const keys = { questionId: randomUUID(), externalId, topicId: topicOf(question.topic) };
        const choiceIds = newChoiceIds(choiceCount(question));
        return { keys: { ...keys, versionId: randomUUID(), number: 1 }, question, choiceIds };
      });
      const statement = versionStatement(
        '"questionId" uuid, "externalId" text, "topicId" uuid',
        `, created AS (
           INSERT INTO questions (id, "externalId", "bankId", "topicId", "currentVersionId", "updatedAt")
           SELECT "questionId", "externalId", $1::uuid, "topicId", "versionId", now() FROM v
         )
         ${INSERT_VERSIONS}`,
        rows,
      );
      return [await renderer.render(statement), stored.id];
    },
    renderer.parallel,
  );

  // Changed content: a new version, made current, and the question's topic and retirement as in the file.
  await inChunks(
    tx,
    plan.changedQuestions,
    async (ids) => {
      const rows = ids.map((externalId) => {
        const question = parsedQuestions.get(externalId)!;
        const target = storedQuestions.get(externalId)!;
        const keys = { questionId: target.id, topicId: topicOf(question.topic) };
        const choiceIds = newChoiceIds(choiceCount(question));
        return { keys: { ...keys, versionId: randomUUID(), number: target.versionNumber + 1 }, question, choiceIds };
      });
      const statement = versionStatement(
        '"questionId" uuid, "topicId" uuid',
        `, added AS (${INSERT_VERSIONS} RETURNING id, "questionId")
         UPDATE questions q SET "currentVersionId" = added.id, "topicId" = v."topicId", "retiredAt" = NULL, "updatedAt" = now()
         FROM added JOIN v ON v."questionId" = added."questionId"
         WHERE q.id = added."questionId"`,
        rows,
      );
      return [await renderer.render(statement)];
    },
    renderer.parallel,
  );

  // Moved (topic only) and restored questions: no new version.
  const changed = new Set(plan.changedQuestions);
  const touched = [...new Set([...plan.movedQuestions, ...plan.restoredQuestions])].filter((id) => !changed.has(id));
  await inChunks(tx, touched, (ids) => [
    `UPDATE questions q SET "topicId" = u."topicId", "retiredAt" = NULL, "updatedAt" = now()
     FROM unnest($1::text[], $2::uuid[]) AS u("externalId", "topicId")
     WHERE q."externalId" = u."externalId"`,
    ids,
    ids.map((externalId) => topicOf(parsedQuestions.get(externalId)!.topic)),
  ]);
  if (plan.retiredQuestions.length)
    await tx.question.updateMany({
      where: { bankId: stored.id, externalId: { in: plan.retiredQuestions } },
      data: { retiredAt: now },
    });

  const parsedCards = new Map(bank.cards.map((c) => [c.externalId, c]));
  await tx.card.createMany({
    data: plan.createdCards.map((externalId) => {
      const c = parsedCards.get(externalId)!;
      return { externalId, bankId: stored.id, topicId: topicOf(c.topic), ...cardContent(c) };
    }),
  });
  for (const externalId of plan.changedCards) {
    const c = parsedCards.get(externalId)!;
    await tx.card.update({
      where: { externalId },
      data: { topicId: topicOf(c.topic), retiredAt: null, ...cardContent(c) },
    });
  }
  if (plan.retiredCards.length)
    await tx.card.updateMany({
      where: { bankId: stored.id, externalId: { in: plan.retiredCards } },
      data: { retiredAt: now },
    });
  return plan;
}
