// Database side of an import: reads the stored state of banks, writes a plan in a transaction.
// Questions and their versions are written in chunks of CHUNK, one statement a chunk, whose
// rows travel as column arrays (INSERT ... SELECT FROM unnest($1::uuid[], ...)) inside the
// import's transaction: Prisma cannot COPY, and one round trip per chunk is enough. Markdown
// is rendered chunk by chunk too, so memory does not grow with the bank, and the next chunk
// renders while Postgres inserts the previous one (bench/import, docs/performance.md).
import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "../../db";
import type { ParsedBank, ParsedQuestion } from "./model";
import { planBank, type BankPlan, type StoredCard, type StoredQuestion } from "./import.plan";
import { cardContent, versionContents } from "./normalise";

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

/** The columns of question_versions an import writes, with their types. */
const VERSION_COLUMNS = [
  ["id", "uuid"],
  ["questionId", "uuid"],
  ["number", "int"],
  ["type", '"QuestionType"'],
  ["stemMd", "text"],
  ["stemHtml", "text"],
  ["body", "jsonb"],
  ["explanationMd", "text"],
  ["explanationHtml", "text"],
  ["difficulty", "int"],
  ["tags", "text[]"],
  ["references", "text[]"],
  ["contentHash", "text"],
] as const;

/**
 * INSERT INTO question_versions from column arrays starting at parameter $first. Arrays of
 * arrays cannot be unnested row by row, so tags and references travel as array literals.
 */
const INSERT_VERSIONS = (first: number) => {
  const names = VERSION_COLUMNS.map(([name]) => `"${name}"`).join(", ");
  const params = VERSION_COLUMNS.map(
    ([, type], i) =>
      `$${first + i}::${type === "text[]" || type.startsWith('"') || type === "jsonb" ? "text" : type}[]`,
  ).join(", ");
  const casts = VERSION_COLUMNS.map(([name, type]) =>
    type === "text" || type === "uuid" || type === "int" ? `v."${name}"` : `v."${name}"::${type}`,
  );
  return `INSERT INTO question_versions (${names})
          SELECT ${casts.join(", ")} FROM unnest(${params}) AS v(${names})`;
};

/** A Postgres array literal of text: the text[] value of one row. */
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;

/** Renders the questions (one batch) and returns the version columns, in VERSION_COLUMNS order. */
function versionColumns(keys: { id: string; questionId: string; number: number }[], questions: ParsedQuestion[]) {
  const contents = versionContents(questions);
  return [
    keys.map((k) => k.id),
    keys.map((k) => k.questionId),
    keys.map((k) => k.number),
    contents.map((c) => c.type),
    contents.map((c) => c.stemMd),
    contents.map((c) => c.stemHtml),
    contents.map((c) => JSON.stringify(c.body)),
    contents.map((c) => c.explanationMd),
    contents.map((c) => c.explanationHtml),
    contents.map((c) => c.difficulty),
    contents.map((c) => textArray(c.tags)),
    contents.map((c) => textArray(c.references)),
    contents.map((c) => c.contentHash),
  ];
}

/**
 * Runs one statement per chunk of `ids`. While Postgres executes a chunk, the next one is
 * prepared (rendered): the statement is started, the event loop turns once so that it goes
 * out on the socket, and only then does the next chunk's CPU work begin.
 */
async function inChunks(tx: Tx, ids: string[], statement: (chunk: string[]) => [string, ...unknown[]]) {
  let running: Promise<unknown> = Promise.resolve();
  try {
    for (let at = 0; at < ids.length; at += CHUNK) {
      const [sql, ...values] = statement(ids.slice(at, at + CHUNK));
      await running;
      running = tx.$executeRawUnsafe(sql, ...values).then((n) => n);
      // Its failure is reported by the next `await running`, not as an unhandled rejection.
      running.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await running;
  } finally {
    // Never leave a statement running behind a failure: the transaction rolls back after it.
    await running.catch(() => undefined);
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
  options: { bank: ParsedBank; format: string; ownerId: string | null; now: Date },
): Promise<BankPlan> {
  const { bank, now } = options;
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
  const plan = planBank(bank, state.questions, state.cards);
  const storedQuestions = new Map(state.questions.map((q) => [q.externalId, q]));
  const parsedQuestions = new Map(bank.questions.map((q) => [q.externalId, q]));

  // New questions, each with its first version: one statement per chunk. The foreign keys
  // between the two rows (currentVersionId, questionId) are checked at the end of the statement.
  await inChunks(tx, plan.createdQuestions, (ids) => {
    const questions = ids.map((externalId) => parsedQuestions.get(externalId)!);
    const rows = questions.map(() => ({ id: randomUUID(), versionId: randomUUID() }));
    const versions = versionColumns(
      rows.map(({ id, versionId }) => ({ id: versionId, questionId: id, number: 1 })),
      questions,
    );
    return [
      `WITH created AS (
         INSERT INTO questions (id, "externalId", "bankId", "topicId", "currentVersionId", "updatedAt")
         SELECT u.id, u."externalId", $1::uuid, u."topicId", u."versionId", now()
         FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[]) AS u(id, "externalId", "topicId", "versionId")
       )
       ${INSERT_VERSIONS(6)}`,
      stored.id,
      rows.map((r) => r.id),
      ids,
      questions.map((q) => topicOf(q.topic)),
      rows.map((r) => r.versionId),
      ...versions,
    ];
  });

  // Changed content: a new version, made current, and the question's topic and retirement as in the file.
  await inChunks(tx, plan.changedQuestions, (ids) => {
    const questions = ids.map((externalId) => parsedQuestions.get(externalId)!);
    const targets = ids.map((externalId) => storedQuestions.get(externalId)!);
    const versions = versionColumns(
      targets.map((s) => ({ id: randomUUID(), questionId: s.id, number: s.versionNumber + 1 })),
      questions,
    );
    return [
      `WITH added AS (${INSERT_VERSIONS(3)} RETURNING id, "questionId")
       UPDATE questions q SET "currentVersionId" = added.id, "topicId" = u."topicId", "retiredAt" = NULL, "updatedAt" = now()
       FROM added, unnest($1::uuid[], $2::uuid[]) AS u(id, "topicId")
       WHERE q.id = added."questionId" AND u.id = added."questionId"`,
      targets.map((s) => s.id),
      questions.map((q) => topicOf(q.topic)),
      ...versions,
    ];
  });

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
