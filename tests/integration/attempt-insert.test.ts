// A start's insert (the attempt and its items in one statement) keeps each item's version,
// topic and display order exactly as drawn, whatever characters the ids hold, through both
// ways in: the ordinary insert and the insert from a kept pool. Item ids are time-ordered
// (version 7) and increase with the position.
import { insertAttempt, insertAttemptIfCurrent } from "../../src/modules/exams/attempts.repo";
import { examBankSet } from "../../src/modules/exams/exam-access";
import { createExamFixture } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Display orders an array literal must carry through unchanged. */
const ORDERS = [
  ["qwerty", "asdfgh"],
  [],
  ['say "hi"', "back\\slash", "a,b", "{braces}", " spaced ", "NULL", ""],
  ["é", "日本", "tab\there"],
];

async function drawnItems() {
  const { slug, exam } = await createExamFixture(t.prisma);
  const versions = await t.prisma.questionVersion.findMany({
    where: { question: { externalId: { startsWith: `${slug}-` } } },
    orderBy: { id: "asc" },
    take: ORDERS.length,
  });
  const items = versions.map((v, i) => ({
    versionId: v.id,
    topicPath: i % 2 ? `${slug}/basics` : `${slug}/more`,
    displayOrder: ORDERS[i]!,
  }));
  return { exam, items };
}

const storedItems = (attemptId: string) =>
  t.prisma.attemptItem.findMany({
    where: { attemptId },
    orderBy: { position: "asc" },
    select: { id: true, position: true, questionVersionId: true, topicPath: true, displayOrder: true },
  });

const expected = (items: Awaited<ReturnType<typeof drawnItems>>["items"]) =>
  items.map((i, n) => ({
    id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/),
    position: n + 1,
    questionVersionId: i.versionId,
    topicPath: i.topicPath,
    displayOrder: i.displayOrder,
  }));

/** A new timed attempt of `exam` for `userId` with a ten-minute deadline, as a start builds it. */
function newAttempt(exam: { id: string }, userId: string, items: Awaited<ReturnType<typeof drawnItems>>["items"]) {
  const now = new Date();
  return {
    examId: exam.id,
    userId,
    stack: null,
    mode: "timed" as const,
    startedAt: now,
    deadlineAt: new Date(now.getTime() + 600_000),
    items,
  };
}

test("the ordinary insert stores every item's version, topic and display order as drawn", async () => {
  const { exam, items } = await drawnItems();
  const user = await createUser(t.prisma);
  const id = await insertAttempt(t.prisma, newAttempt(exam, user.id, items));
  const stored = await storedItems(id);
  expect(stored).toEqual(expected(items));
  expect(stored.map((i) => i.id)).toEqual(stored.map((i) => i.id).sort());
});

test("the insert from a kept pool stores them the same way", async () => {
  const { exam, items } = await drawnItems();
  const user = await createUser(t.prisma);
  const { poolToken } = await examBankSet(t.prisma, exam);
  const { userId, ...attempt } = newAttempt(exam, user.id, items);
  const id = await insertAttemptIfCurrent(t.db.pool, {
    ...attempt,
    learner: { userId },
    examUpdatedAt: exam.updatedAt,
    poolToken: poolToken!,
    maxAttempts: null,
  });
  expect(id).not.toBeNull();
  expect(await storedItems(id!)).toEqual(expected(items));
});

describe("the version an item refers to (checked per statement, not by a foreign key)", () => {
  test("an insert naming a version that does not exist fails and writes nothing", async () => {
    const { exam, items } = await drawnItems();
    const user = await createUser(t.prisma);
    const missing = { ...items[0]!, versionId: "00000000-0000-7000-8000-000000000000" };
    await expect(insertAttempt(t.prisma, newAttempt(exam, user.id, [...items, missing]))).rejects.toThrow(
      /question version that does not exist/,
    );
    expect(await t.prisma.attempt.count({ where: { userId: user.id } })).toBe(0);
  });

  test("versions are never deleted, and an item keeps the version it was drawn with", async () => {
    const { exam, items } = await drawnItems();
    const user = await createUser(t.prisma);
    const id = await insertAttempt(t.prisma, newAttempt(exam, user.id, items));
    // Refused by the database itself (raw SQL, as any client would send it).
    await expect(t.db.pool.query(`DELETE FROM question_versions WHERE id = $1`, [items[0]!.versionId])).rejects.toThrow(
      /question versions are kept/,
    );
    await expect(
      t.db.pool.query(`UPDATE attempt_items SET "questionVersionId" = $1 WHERE "attemptId" = $2 AND position = 1`, [
        items[1]!.versionId,
        id,
      ]),
    ).rejects.toThrow(/keeps the question version it was drawn with/);
    // Other changes to an item (a save) go through.
    await t.prisma.attemptItem.update({
      where: { attemptId_position: { attemptId: id, position: 1 } },
      data: { flagged: true },
    });
    expect((await storedItems(id))[0]!.questionVersionId).toBe(items[0]!.versionId);
  });
});
