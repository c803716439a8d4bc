// SQL about a learner's review items (review_items, which this module owns), reading the
// banks' cards and the learner's graded answers where a question needs them.
import { Prisma, type Db } from "../../db";
import { cardSides, currentQuestionContent, keyHtml, type StoredBody } from "../banks";
import { CARD_KEY_PREFIX } from "./card-key";

/** Top-level topics ordered weakest first, from the learner's graded answers. */
export async function weakTopicOrder(prisma: Db, userId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ topic: string }[]>`
    SELECT split_part(i."topicPath", '/', 1) AS topic
    FROM attempt_items i JOIN attempts a ON a.id = i."attemptId"
    WHERE a."userId" = ${userId}::uuid AND a.status = 'submitted' AND i.score IS NOT NULL
    GROUP BY 1 ORDER BY avg(i.score) ASC, 1`;
  return rows.map((r) => r.topic);
}

/** Deck cards this learner has not met yet, in deck order, optionally under one topic; only of the given banks. */
export function freshCards(prisma: Db, input: { userId: string; topic?: string; limit: number; bankIds?: string[] }) {
  return prisma.$queryRaw<{ id: string; topicPath: string }[]>`
    SELECT c.id, t.path AS "topicPath" FROM cards c JOIN topics t ON t.id = c."topicId"
    WHERE c."retiredAt" IS NULL
      ${input.bankIds ? Prisma.sql`AND c."bankId" = ANY(${input.bankIds}::uuid[])` : Prisma.empty}
      AND NOT EXISTS (SELECT 1 FROM review_items r WHERE r."userId" = ${input.userId}::uuid AND r."cardKey" = ${CARD_KEY_PREFIX.deck} || c.id::text)
      ${input.topic ? Prisma.sql`AND (t.path = ${input.topic} OR t.path LIKE ${`${input.topic}/%`})` : Prisma.empty}
    ORDER BY t.path, c."externalId" LIMIT ${input.limit}`;
}

/**
 * The learner's review items whose card or question is in a bank out of their reach (a class
 * they left, a bank archived or deleted): usually none.
 */
export async function outOfReach(prisma: Db, userId: string, reach: string[]) {
  const rows = await prisma.$queryRaw<{ cardId: string | null; questionId: string | null }[]>`
    SELECT r."cardId"::text AS "cardId", r."questionId"::text AS "questionId" FROM review_items r
    LEFT JOIN cards c ON c.id = r."cardId" LEFT JOIN questions q ON q.id = r."questionId"
    WHERE r."userId" = ${userId}::uuid AND NOT (coalesce(c."bankId", q."bankId") = ANY(${reach}::uuid[]))`;
  return {
    cardIds: rows.flatMap((r) => (r.cardId ? [r.cardId] : [])),
    questionIds: rows.flatMap((r) => (r.questionId ? [r.questionId] : [])),
  };
}

/** The learner's review items due at `now`, suspended and buried ones aside (a WHERE condition). */
const dueNow = (userId: string, now: Date) => Prisma.sql`"userId" = ${userId}::uuid AND due <= ${now}
  AND "suspendedAt" IS NULL AND ("buriedUntil" IS NULL OR "buriedUntil" <= ${now})`;

/** Whether any of the learner's cards is due at `now`, before those held back or out of reach are left out. */
export async function anyDue(prisma: Db, userId: string, now: Date): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ due: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM review_items WHERE ${dueNow(userId, now)}) AS due`;
  return row?.due ?? false;
}

/** Cards due at `now` per top-level topic, leaving out the `hidden` ones (held back, out of reach). */
export async function dueCountsByTopic(
  prisma: Db,
  userId: string,
  now: Date,
  hidden: { questionIds: string[]; cardIds: string[] } = { questionIds: [], cardIds: [] },
) {
  const held = hidden.questionIds;
  const away = hidden.cardIds;
  const rows = await prisma.$queryRaw<{ topic: string; due: bigint }[]>`
    SELECT split_part("topicPath", '/', 1) AS topic, count(*) AS due FROM review_items
    WHERE ${dueNow(userId, now)}
      AND ("questionId" IS NULL OR NOT ("questionId" = ANY(${held}::uuid[])))
      AND ("cardId" IS NULL OR NOT ("cardId" = ANY(${away}::uuid[])))
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ topic: r.topic, due: Number(r.due) }));
}

/** An option of a missed question on the back of its card: its text, whether it is right, its feedback. */
export type OptionFeedback = { html: string; correct: boolean; feedback: string };

/** Every option with the feedback the bank gives (a gap's options marked with their blank), or none when no option has any. */
function optionFeedback(body: StoredBody): OptionFeedback[] {
  const options =
    "options" in body
      ? body.options.map((o) => ({ ...o, blank: "" }))
      : "gaps" in body
        ? body.gaps.flatMap((g, i) =>
            g.kind === "choice" ? g.options.map((o) => ({ ...o, blank: `(${i + 1}) ` })) : [],
          )
        : [];
  if (!options.some((o) => o.feedback)) return [];
  return options.map((o) => ({ html: `${o.blank}${o.html}`, correct: o.correct, feedback: o.feedback ?? "" }));
}

/** What a card shows: a deck card's two sides, or a missed question with its key (bodies typed here, once). */
export async function cardContent(prisma: Db, key: { cardId: string | null; questionId: string | null }) {
  if (key.cardId) {
    const card = await cardSides(prisma, key.cardId);
    if (!card) return null;
    return {
      ...card,
      choicesHtml: [] as string[],
      feedback: [] as OptionFeedback[],
      explanationHtml: "",
      backLabel: "Answer",
    };
  }
  if (!key.questionId) return null;
  const question = await currentQuestionContent(prisma, key.questionId);
  if (!question) return null;
  const { body } = question;
  return {
    topicTitle: question.topicTitle,
    // The text a description gave the question comes first, as on the question's page.
    frontHtml: body.intro ? `<div class="intro">${body.intro.html}</div>${question.stemHtml}` : question.stemHtml,
    choicesHtml: "options" in body ? body.options.map((o) => o.html) : [],
    backHtml: keyHtml(body),
    // An essay's card: the learner recalls an answer, then compares it with the model answer.
    backLabel: "modelAnswer" in body ? "Model answer" : "Answer",
    // The feedback the bank gives per option, shown on the back with the key (none: nothing).
    feedback: optionFeedback(body),
    explanationHtml: question.explanationHtml,
  };
}

/** The moments a learner graded a card since `since` (review_logs by user and time: indexed). */
export async function reviewTimes(client: Db, userId: string, since: Date): Promise<Date[]> {
  const rows = await client.reviewLog.findMany({ where: { userId, review: { gte: since } }, select: { review: true } });
  return rows.map((r) => r.review);
}

export const BROWSE_PAGE_SIZE = 20;

/**
 * The learner's cards for the card browser: deck cards met and question cards, with their
 * front text (Markdown source), filtered by top-level topic and text, a page at a time.
 */
export async function browseCards(
  prisma: Db,
  input: { userId: string; topic?: string; text?: string; page: number; bankIds?: string[] | undefined },
) {
  const pattern = input.text ? `%${input.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await prisma.$queryRaw<
    {
      cardKey: string;
      topicPath: string;
      origin: string;
      due: Date;
      suspended: boolean;
      front: string;
      total: bigint;
    }[]
  >`
    SELECT r."cardKey", r."topicPath", r.origin, r.due, r."suspendedAt" IS NOT NULL AS suspended,
           coalesce(c."frontMd", v."stemMd", '') AS front, count(*) OVER () AS total
    FROM review_items r
    LEFT JOIN cards c ON c.id = r."cardId"
    LEFT JOIN questions q ON q.id = r."questionId"
    LEFT JOIN question_versions v ON v.id = q."currentVersionId"
    WHERE r."userId" = ${input.userId}::uuid
      ${input.bankIds ? Prisma.sql`AND coalesce(c."bankId", q."bankId") = ANY(${input.bankIds}::uuid[])` : Prisma.empty}
      ${input.topic ? Prisma.sql`AND split_part(r."topicPath", '/', 1) = ${input.topic}` : Prisma.empty}
      ${pattern ? Prisma.sql`AND coalesce(c."frontMd", v."stemMd", '') ILIKE ${pattern}` : Prisma.empty}
    ORDER BY r."topicPath", r."cardKey"
    LIMIT ${BROWSE_PAGE_SIZE} OFFSET ${(input.page - 1) * BROWSE_PAGE_SIZE}`;
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

/**
 * Cards due now per learner (not suspended, not buried), for a class's gradebook: one count
 * over the learners, without the per-learner hiding the learner's own pages apply.
 */
export async function dueCountsOf(prisma: Db, userIds: string[], now: Date): Promise<Map<string, number>> {
  if (!userIds.length) return new Map();
  const rows = await prisma.$queryRaw<{ userId: string; due: bigint }[]>`
    SELECT "userId"::text AS "userId", count(*) AS due FROM review_items
    WHERE "userId" = ANY(${userIds}::uuid[]) AND due <= ${now}
      AND "suspendedAt" IS NULL AND ("buriedUntil" IS NULL OR "buriedUntil" <= ${now})
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.userId, Number(r.due)]));
}

/** Each learner's latest card review. */
export async function lastReviewsOf(prisma: Db, userIds: string[]): Promise<Map<string, Date>> {
  if (!userIds.length) return new Map();
  const rows = await prisma.reviewLog.groupBy({
    by: ["userId"],
    where: { userId: { in: userIds } },
    _max: { review: true },
  });
  return new Map(rows.flatMap((r) => (r._max.review ? [[r.userId, r._max.review] as const] : [])));
}

/**
 * New cards for a learner's missed and flagged questions, in one statement; a card that exists
 * stays as it is. (Prisma's createMany would be compiled afresh on every call: its query plans
 * are not cached, and a cohort submitting at the deadline makes this call in every grading.)
 */
export async function insertQuestionCards(
  tx: Prisma.TransactionClient,
  input: {
    userId: string;
    due: Date;
    cards: { questionId: string; topicPath: string; origin: "missed" | "flagged" }[];
  },
): Promise<void> {
  if (input.cards.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO review_items (id, "userId", "cardKey", "questionId", "topicPath", origin, due)
    SELECT gen_random_uuid(), ${input.userId}::uuid, ${CARD_KEY_PREFIX.question} || c.question, c.question::uuid, c.topic, c.origin,
      ${input.due.toISOString()}::timestamp
    FROM unnest(${input.cards.map((c) => c.questionId)}::text[], ${input.cards.map((c) => c.topicPath)}::text[],
                ${input.cards.map((c) => c.origin)}::text[]) AS c(question, topic, origin)
    ON CONFLICT ("userId", "cardKey") DO NOTHING`;
}
