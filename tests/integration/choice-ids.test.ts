// Option and item ids say nothing of the key: random per version (banks/choice-ids.ts), so
// sorting them gives no order, and the pages of an attempt list choices in the delivery
// order only (shuffled, or the file's order when the exam does not shuffle). Versions stored
// with the older positional ids still deliver and grade.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { importService } from "../../src/modules/banks";
import { createExamFixture, storedChoiceIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt, startAttempt } from "../support/attempts";
import { csrfFrom, login } from "../support/http";
import { itemsWithVersions } from "../support/items";

const clock = new TestClock(new Date("2026-08-01T08:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const N = 50;

/** N ordering questions (4 items, written in the correct order) and N multiple-response
 * questions whose 2 correct options are written first: the shapes the positional ids gave away. */
function keyFirstBank(slug: string, variant = ""): string {
  const ordering = Array.from(
    { length: N },
    (_, i) => `  - id: ${slug}-o${i}
    topic: ${slug}
    type: ordering
    difficulty: 2
    stem: Put the steps of process ${i} in order.${variant}
    items: [Step one of ${i}, Step two of ${i}, Step three of ${i}, Step four of ${i}]
    explanation: The steps go one, two, three, four.
`,
  ).join("");
  const multiple = Array.from(
    { length: N },
    (_, i) => `  - id: ${slug}-m${i}
    topic: ${slug}
    type: multiple
    difficulty: 2
    stem: Which statements about thing ${i} hold?
    options:
      - text: True statement A of ${i}
        correct: true
      - text: True statement B of ${i}
        correct: true
      - text: False statement C of ${i}
      - text: False statement D of ${i}
    explanation: A and B hold; C and D do not.
`,
  ).join("");
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Bank ${slug}
topics:
  ${slug}: Bank ${slug}
questions:
${ordering}${multiple}`;
}

async function importBank(slug: string, text: string) {
  const report = await importService({ prisma: t.prisma, clock, maxBytes: 1 << 20 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  return report;
}

type Body = { options?: { id: string; correct: boolean }[]; items?: { id: string }[] };

async function bodies(slug: string, kind: "o" | "m") {
  const questions = await t.prisma.question.findMany({
    where: { externalId: { startsWith: `${slug}-${kind}` } },
    include: { currentVersion: true },
  });
  return new Map(questions.map((q) => [q.externalId, q.currentVersion!.body as Body]));
}

const sorted = (ids: string[]) => [...ids].sort();
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

describe("option and item ids", () => {
  it("are random six-letter ids per question: sorting them gives the key no more often than chance", async () => {
    const slug = `ids${randomUUID().slice(0, 8)}`;
    await importBank(slug, keyFirstBank(slug));
    const ordering = [...(await bodies(slug, "o")).values()].map((b) => b.items!.map((i) => i.id));
    const multiple = [...(await bodies(slug, "m")).values()].map((b) => b.options!);
    expect(ordering).toHaveLength(N);
    const all = [...ordering.flat(), ...multiple.flat().map((o) => o.id)];
    expect(all.every((id) => /^[a-z]{6}$/.test(id))).toBe(true);
    expect(new Set(all).size).toBeGreaterThan(all.length - 3); // distinct, but for a rare chance repeat across questions
    expect(ordering.every((ids) => new Set(ids).size === 4)).toBe(true);

    // Items are stored in the correct order; with ids by position, sorting them gave it every
    // time. By chance it happens for 1 in 24 (about 2 of 50); more than 10 has odds below 1e-5.
    const orderedBySort = ordering.filter((ids) => same(sorted(ids), ids)).length;
    expect(orderedBySort).toBeLessThanOrEqual(10);
    // Correct options written first: sorting ids put both first every time; by chance 1 in 6
    // (about 8 of 50); more than 20 has odds below 1e-5.
    const keyFirstBySort = multiple.filter((options) => {
      const firstTwo = sorted(options.map((o) => o.id)).slice(0, 2);
      return firstTwo.every((id) => options.find((o) => o.id === id)!.correct);
    }).length;
    expect(keyFirstBySort).toBeLessThanOrEqual(20);
  });

  it("stay with their version on an unchanged re-import, and a changed version gets new ones", async () => {
    const slug = `ids${randomUUID().slice(0, 8)}`;
    await importBank(slug, keyFirstBank(slug));
    const before = await storedChoiceIds(t.prisma, slug, "o1");
    expect((await importBank(slug, keyFirstBank(slug))).updated).toBe(0);
    expect(await storedChoiceIds(t.prisma, slug, "o1")).toEqual(before);
    const changed = await importBank(slug, keyFirstBank(slug, " (revised)"));
    expect(changed.updated).toBe(N);
    const after = await storedChoiceIds(t.prisma, slug, "o1");
    expect(after).toHaveLength(4);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });
});

/** Stores fixture questions' ids as they were before they became random: a, b, c ... */
async function makePositional(slug: string, numbers: number[]) {
  for (const n of numbers) {
    const q = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-${n}` },
      include: { currentVersion: true },
    });
    const body = q.currentVersion!.body as { options?: object[]; items?: object[] };
    const positional = <T extends object>(list: T[]) => list.map((o, i) => ({ ...o, id: "abcdefgh"[i]! }));
    await t.prisma.questionVersion.update({
      where: { id: q.currentVersionId! },
      data: { body: body.options ? { options: positional(body.options) } : { items: positional(body.items!) } },
    });
  }
}

describe("what an attempt's pages send", () => {
  async function examOver(slug: string, shuffleOptions: boolean) {
    return t.prisma.exam.create({
      data: {
        slug: `exam-${slug}-${shuffleOptions ? "s" : "f"}`,
        title: `Exam ${slug}`,
        kind: "module",
        questionCount: 2 * N,
        timeLimitSeconds: 3600,
        passMarkPercent: 70,
        shuffleQuestions: false,
        shuffleOptions,
        topicPaths: [slug],
      },
    });
  }

  /** The choice ids of each question page, in page order, with the question's stored body. */
  async function pages(examSlug: string) {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptId = await startAttempt(agent, examSlug);
    const items = await itemsWithVersions(t.prisma, {
      where: { attemptId },
      orderBy: { position: "asc" },
    });
    const out: { type: string; shown: string[]; body: Body; html: string }[] = [];
    for (const item of items) {
      const html = (await agent.get(`/attempts/${attemptId}?q=${item.position}`)).text;
      const shown =
        item.questionVersion.type === "ordering"
          ? [...html.matchAll(/name="order_([a-z]+)"/g)].map((m) => m[1]!)
          : [...html.matchAll(/name="answer" value="([a-z]+)"/g)].map((m) => m[1]!);
      out.push({ type: item.questionVersion.type, shown, body: item.questionVersion.body as Body, html });
    }
    return out;
  }

  it("never list ordering items in the key's order, and list options shuffled or as written", async () => {
    const slug = `ids${randomUUID().slice(0, 8)}`;
    await importBank(slug, keyFirstBank(slug));
    const shuffled = await pages((await examOver(slug, true)).slug);
    const asWritten = await pages((await examOver(slug, false)).slug);
    for (const page of [...shuffled, ...asWritten]) {
      expect(page.html).not.toContain("The steps go one"); // no explanation while open
      if (page.type !== "ordering") continue;
      const key = page.body.items!.map((i) => i.id);
      expect(sorted(page.shown)).toEqual(sorted(key));
      expect(page.shown).not.toEqual(key);
    }
    // Not shuffled: the file's order, which is the body's.
    for (const page of asWritten.filter((p) => p.type === "multiple"))
      expect(page.shown).toEqual(page.body.options!.map((o) => o.id));
    // Shuffled: correct options first (as written) on about 1 page in 6, not on every page.
    const keyFirst = shuffled
      .filter((p) => p.type === "multiple")
      .filter((p) => p.shown.slice(0, 2).every((id) => p.body.options!.find((o) => o.id === id)!.correct)).length;
    expect(keyFirst).toBeLessThanOrEqual(20);
  });

  it("deliver and grade a version stored with the older positional ids", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    await makePositional(slug, [1, 6]);
    expect(await storedChoiceIds(t.prisma, slug, 1)).toEqual(["a", "b", "c"]);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptId = await sitAttempt(agent, exam.slug, [
      { position: 1, response: { type: "single", optionId: "a" } },
      { position: 6, response: { type: "ordering", itemIds: ["a", "b", "c"] } },
    ]);
    const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
    expect(items[0]).toMatchObject({ response: { type: "single", optionId: "a" }, correct: true, score: 1 });
    expect(items[5]).toMatchObject({ response: { type: "ordering", itemIds: ["a", "b", "c"] }, correct: true });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("2 of 6 correct");
  });
});

describe("the migration that re-ids older versions", () => {
  const sql = readFileSync(
    path.join(__dirname, "../../prisma/migrations/20261202190000_random_choice_ids/migration.sql"),
    "utf8",
  );
  async function migrate() {
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(sql);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  }

  it("gives them random ids and maps the stored display orders and responses, so grading is unchanged", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    await makePositional(slug, [1, 2, 6]);
    const right = [
      { position: 1, response: { type: "single", optionId: "a" } },
      { position: 2, response: { type: "multiple", optionIds: ["b", "a"] } },
      { position: 6, response: { type: "ordering", itemIds: ["a", "b", "c"] } },
    ];
    // One sitting submitted before the upgrade, one still open across it.
    const submitted = await sitAttempt(await login(t.app, (await createUser(t.prisma)).email), exam.slug, right);
    const learner = await login(t.app, (await createUser(t.prisma)).email);
    const open = await startAttempt(learner, exam.slug);
    const token = csrfFrom((await learner.get(`/attempts/${open}`)).text);
    for (const a of right)
      expect(
        (
          await learner
            .post(`/attempts/${open}/answers`)
            .set("x-csrf-token", token)
            .send({ position: a.position, seq: 1, response: a.response })
        ).status,
      ).toBe(200);

    await migrate();
    const ids = {
      1: await storedChoiceIds(t.prisma, slug, 1),
      2: await storedChoiceIds(t.prisma, slug, 2),
      6: await storedChoiceIds(t.prisma, slug, 6),
    };
    for (const list of Object.values(ids)) {
      expect(list.every((id) => /^[a-z]{6}$/.test(id))).toBe(true);
      expect(new Set(list).size).toBe(list.length);
    }
    for (const attemptId of [submitted, open]) {
      const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
      expect(items[0]!.displayOrder).toEqual(ids[1]);
      expect(items[0]!.response).toEqual({ type: "single", optionId: ids[1][0] });
      expect(items[1]!.response).toEqual({ type: "multiple", optionIds: [ids[2][1], ids[2][0]] });
      expect(items[5]!.response).toEqual({ type: "ordering", itemIds: ids[6] });
      expect([...items[5]!.displayOrder].sort()).toEqual([...ids[6]].sort());
    }
    expect((await t.prisma.attempt.findUniqueOrThrow({ where: { id: submitted } })).correctCount).toBe(3);

    // The open attempt goes on with the new ids, and grades as before.
    const page = (await learner.get(`/attempts/${open}?q=1`)).text;
    expect(page).toContain(`value="${ids[1][0]}" checked`);
    const changed = await learner
      .post(`/attempts/${open}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 2, response: { type: "single", optionId: ids[1][0] } });
    expect(changed.status).toBe(200);
    await learner.post(`/attempts/${open}/submission`).type("form").send({ _csrf: token });
    expect((await t.prisma.attempt.findUniqueOrThrow({ where: { id: open } })).correctCount).toBe(3);

    // Run again: nothing positional is left, so nothing changes.
    await migrate();
    expect(await storedChoiceIds(t.prisma, slug, 6)).toEqual(ids[6]);
  });
});
