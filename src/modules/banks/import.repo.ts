// Database side of an import: reads the stored state of banks, writes a plan in a transaction.
import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "../../db";
import type { ParsedBank } from "./model";
import { planBank, type BankPlan, type StoredCard, type StoredQuestion } from "./import.plan";
import { cardContent, versionContent } from "./normalise";

type Tx = Prisma.TransactionClient;

export async function loadStoredBank(prisma: Db | Tx, slug: string) {
  const bank = await prisma.bank.findUnique({ where: { slug }, select: { id: true, ownerId: true } });
  if (!bank) return { bank: undefined, questions: [] as StoredQuestion[], cards: [] as StoredCard[] };
  const [questions, cards] = await Promise.all([
    prisma.question.findMany({
      where: { bankId: bank.id },
      select: {
        id: true,
        externalId: true,
        retiredAt: true,
        topic: { select: { path: true } },
        currentVersion: { select: { contentHash: true, number: true } },
      },
    }),
    prisma.card.findMany({
      where: { bankId: bank.id },
      select: { id: true, externalId: true, retiredAt: true, contentHash: true, topic: { select: { path: true } } },
    }),
  ]);
  return {
    bank,
    questions: questions.map((q) => ({
      id: q.id,
      externalId: q.externalId,
      topicPath: q.topic.path,
      retired: q.retiredAt !== null,
      contentHash: q.currentVersion?.contentHash ?? null,
      versionNumber: q.currentVersion?.number ?? 0,
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
    prisma.question.findMany({
      where: { externalId: { in: questionIds }, bank: { slug: { not: slug } } },
      select: { externalId: true, bank: { select: { slug: true } } },
    }),
    prisma.card.findMany({
      where: { externalId: { in: cardIds }, bank: { slug: { not: slug } } },
      select: { externalId: true, bank: { select: { slug: true } } },
    }),
  ]);
  return new Map([...questions, ...cards].map((row) => [row.externalId, row.bank.slug]));
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

  const newQuestions = plan.createdQuestions.map((externalId) => ({
    id: randomUUID(),
    externalId,
    q: parsedQuestions.get(externalId)!,
  }));
  await tx.question.createMany({
    data: newQuestions.map(({ id, externalId, q }) => ({
      id,
      externalId,
      bankId: stored.id,
      topicId: topicOf(q.topic),
    })),
  });
  const versions = [
    ...newQuestions.map(({ id, q }) => ({ questionId: id, number: 1, q })),
    ...plan.changedQuestions.map((externalId) => {
      const s = storedQuestions.get(externalId)!;
      return { questionId: s.id, number: s.versionNumber + 1, q: parsedQuestions.get(externalId)! };
    }),
  ];
  await tx.questionVersion.createMany({
    data: versions.map(({ questionId, number, q }) => {
      const content = versionContent(q);
      return { questionId, number, ...content, body: content.body };
    }),
  });
  for (const externalId of [...plan.changedQuestions, ...plan.movedQuestions, ...plan.restoredQuestions]) {
    const q = parsedQuestions.get(externalId)!;
    await tx.question.update({ where: { externalId }, data: { topicId: topicOf(q.topic), retiredAt: null } });
  }
  if (plan.retiredQuestions.length)
    await tx.question.updateMany({
      where: { bankId: stored.id, externalId: { in: plan.retiredQuestions } },
      data: { retiredAt: now },
    });
  if (versions.length) {
    // Point each question at its newest version (one statement for any number of questions).
    await tx.$executeRaw`
      UPDATE questions q SET "currentVersionId" = v.id, "updatedAt" = now()
      FROM (SELECT DISTINCT ON ("questionId") id, "questionId" FROM question_versions
            WHERE "questionId" IN (SELECT id FROM questions WHERE "bankId" = ${stored.id}::uuid)
            ORDER BY "questionId", number DESC) v
      WHERE v."questionId" = q.id AND q."currentVersionId" IS DISTINCT FROM v.id`;
  }

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
