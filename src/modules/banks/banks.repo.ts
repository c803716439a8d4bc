// SQL over the banks' tables (topics, questions, cards) that Prisma's query API does not say
// as well; the import's bulk writes are in import.repo.ts.
import type { Db, Prisma } from "../../db";
import type { QuestionType } from "./model";
import type { StoredBody } from "./normalise";

type Client = Db | Prisma.TransactionClient;

/**
 * Top-level topics with their active questions and cards, in one pass grouped by root
 * segment, counting only the given banks (all banks when none are given): a person's
 * catalogue is the topics of the banks that reach them (access.repo.ts).
 */
export async function topicSummaryRows(client: Client, bankIds?: string[]) {
  const all = bankIds === undefined;
  const banks = bankIds ?? [];
  const rows = await client.$queryRaw<{ path: string; title: string; questions: bigint; cards: bigint }[]>`
    WITH q AS (
      SELECT split_part(t.path, '/', 1) AS root, count(*) AS n
      FROM questions q JOIN topics t ON t.id = q."topicId"
      WHERE q."retiredAt" IS NULL AND q."currentVersionId" IS NOT NULL
        AND (${all} OR q."bankId" = ANY(${banks}::uuid[])) GROUP BY 1
    ), c AS (
      SELECT split_part(t.path, '/', 1) AS root, count(*) AS n FROM cards c JOIN topics t ON t.id = c."topicId"
      WHERE c."retiredAt" IS NULL AND (${all} OR c."bankId" = ANY(${banks}::uuid[])) GROUP BY 1
    )
    SELECT r.path, r.title, coalesce(q.n, 0) AS questions, coalesce(c.n, 0) AS cards
    FROM topics r LEFT JOIN q ON q.root = r.path LEFT JOIN c ON c.root = r.path
    WHERE r."parentId" IS NULL AND coalesce(q.n, 0) + coalesce(c.n, 0) > 0
    ORDER BY r.title`;
  return rows.map((r) => ({
    path: r.path,
    title: r.title,
    questionCount: Number(r.questions),
    cardCount: Number(r.cards),
  }));
}

/**
 * Locks a question's bank, then its row, for the rest of the transaction (one writer of
 * version n+1). The bank comes first, as in an import: a change to a question bumps its bank's
 * pool revision (a trigger), and taking the two in the other order could deadlock an import.
 */
export async function lockQuestion(tx: Prisma.TransactionClient, questionId: string): Promise<void> {
  await lockBankOf(tx, questionId);
  await tx.$executeRaw`SELECT 1 FROM questions WHERE id = ${questionId}::uuid FOR UPDATE`;
}

/** Locks the bank row of a question, as a change to its questions would (see lockQuestion). */
export async function lockBankOf(tx: Prisma.TransactionClient, questionId: string): Promise<void> {
  await tx.$executeRaw`
    SELECT 1 FROM banks WHERE id = (SELECT "bankId" FROM questions WHERE id = ${questionId}::uuid) FOR NO KEY UPDATE`;
}

/** Locks a bank's row, before statements that change many of its questions (see lockQuestion). */
export const lockBank = (client: Prisma.TransactionClient | Db, bankId: string) =>
  client.$executeRaw`SELECT 1 FROM banks WHERE id = ${bankId}::uuid FOR NO KEY UPDATE`;

// Reads other modules ask for through index.ts; bodies typed here, once (they were checked
// by the importer when they were written).
const storedBody = (json: Prisma.JsonValue) => json as unknown as StoredBody;

/** Top-level topics by path (all of them when no paths are given), with their titles. */
export function topLevelTopics(client: Client, paths?: string[]) {
  return client.topic.findMany({
    where: { parentId: null, ...(paths ? { path: { in: paths } } : {}) },
    select: { path: true, title: true },
  });
}

/** Topics (at any depth) by path, with their titles. */
export function topicTitles(client: Client, paths: string[]) {
  return client.topic.findMany({ where: { path: { in: paths } }, select: { path: true, title: true } });
}

/** An active deck card with its topic, or null when it is retired or unknown. */
export async function activeCard(client: Client, cardId: string) {
  const card = await client.card.findFirst({ where: { id: cardId, retiredAt: null }, include: { topic: true } });
  return card && { id: card.id, topicPath: card.topic.path, bankId: card.bankId };
}

/** A deck card's two sides and its topic's title (retired cards too: a review item may outlive them). */
export async function cardSides(client: Client, cardId: string) {
  const card = await client.card.findUnique({ where: { id: cardId }, include: { topic: true } });
  return card && { topicTitle: card.topic.title, frontHtml: card.frontHtml, backHtml: card.backHtml };
}

/** A question's current version with its key and explanation, for a review card after it was missed. */
export async function currentQuestionContent(client: Client, questionId: string) {
  const question = await client.question.findUnique({
    where: { id: questionId },
    include: { currentVersion: true, topic: true },
  });
  const v = question?.currentVersion;
  if (!question || !v) return null;
  return {
    topicTitle: question.topic.title,
    stemHtml: v.stemHtml,
    body: storedBody(v.body),
    explanationHtml: v.explanationHtml,
  };
}

type ShownVersion = { type: QuestionType; stemHtml: string; body: StoredBody };

/**
 * Shown versions by id. A version is never changed once written (an edit or a re-import makes
 * a new one), so a version read once is good for as long as this process runs, on every
 * instance alike: a sitting's 60-odd page views read their questions from memory. Entries
 * are frozen, so no caller can change what the next one reads. Bounded: cleared when full.
 */
const shownCache = new Map<string, Readonly<ShownVersion>>();
const SHOWN_CACHE_MAX = 20_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The one question shown during an attempt: stem and options, never the explanation. */
export async function shownVersion(client: Client, versionId: string): Promise<Readonly<ShownVersion>> {
  const cached = shownCache.get(versionId);
  if (cached) return cached;
  const version = await client.questionVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: { type: true, stemHtml: true, body: true },
  });
  const shown = deepFreeze({ type: version.type, stemHtml: version.stemHtml, body: storedBody(version.body) });
  if (shownCache.size >= SHOWN_CACHE_MAX) shownCache.clear();
  shownCache.set(versionId, shown);
  return shown;
}

/** Whole versions by id (key and explanation included), bodies typed: what a submitted attempt's result shows. */
export async function versionsByIds(client: Client, versionIds: readonly string[]) {
  const versions = await client.questionVersion.findMany({ where: { id: { in: [...new Set(versionIds)] } } });
  return new Map(versions.map((v) => [v.id, { ...v, body: storedBody(v.body) }]));
}

/** The shown part (no explanation) of several versions at once, by id: an open attempt for the API. */
export async function shownVersions(client: Client, versionIds: string[]) {
  const versions = await client.questionVersion.findMany({
    where: { id: { in: versionIds } },
    select: { id: true, type: true, stemHtml: true, body: true },
  });
  return new Map(versions.map((v) => [v.id, { type: v.type, stemHtml: v.stemHtml, body: storedBody(v.body) }]));
}

/**
 * A version's explanation, for an answer checked in practice mode (the key and per-option
 * feedback are in the body shownVersion reads). Read only once the answer was checked.
 */
export async function versionExplanation(client: Client, versionId: string): Promise<string> {
  const version = await client.questionVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: { explanationHtml: true },
  });
  return version.explanationHtml;
}

/** A bank with every question (retired ones too), its topic and its current version, bodies typed. */
export async function bankWithQuestions(client: Client, slug: string) {
  const bank = await client.bank.findUnique({
    where: { slug },
    include: { questions: { orderBy: { externalId: "asc" }, include: { topic: true, currentVersion: true } } },
  });
  return (
    bank && {
      ...bank,
      questions: bank.questions.map((q) => ({
        ...q,
        currentVersion: q.currentVersion && { ...q.currentVersion, body: storedBody(q.currentVersion.body) },
      })),
    }
  );
}

/** A question with its bank, topic and current version (body typed), or null. */
export async function questionWithCurrent(client: Client, questionId: string) {
  const q = await client.question.findUnique({
    where: { id: questionId },
    include: { bank: true, topic: true, currentVersion: true },
  });
  const v = q?.currentVersion;
  return q && v ? { ...q, currentVersion: { ...v, body: storedBody(v.body) } } : null;
}

/** A bank's active questions (current versions, bodies typed) and cards, for export. */
export async function activeBankContent(client: Client, slug: string) {
  const bank = await client.bank.findUnique({
    where: { slug },
    include: {
      questions: {
        where: { retiredAt: null },
        orderBy: { externalId: "asc" },
        include: { topic: true, currentVersion: true },
      },
      cards: { where: { retiredAt: null }, orderBy: { externalId: "asc" }, include: { topic: true } },
    },
  });
  return (
    bank && {
      ...bank,
      questions: bank.questions.map((q) => ({
        ...q,
        currentVersion: q.currentVersion && { ...q.currentVersion, body: storedBody(q.currentVersion.body) },
      })),
    }
  );
}
