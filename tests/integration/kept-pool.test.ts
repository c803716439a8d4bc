// A shipped mock exam (no owner: it draws from the public banks) is started from a pool each
// process keeps after its first start. Every change to the public banks, to the exam or to the
// learner's attempts after that is still what the next start sees; and a bank's pool revision,
// which the kept pool is checked against, moves with every change to its questions.
import { randomUUID } from "node:crypto";
import { systemClock } from "../../src/clock";
import { importService } from "../../src/modules/banks";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { withStatements } from "../support/statements";
import { startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

const clock = new TestClock(new Date("2026-07-01T08:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** A public bank of single-choice questions, stems as given (question n is `${slug}-n`). */
const bankYaml = (slug: string, stems: string[]) =>
  `format: stackprep-bank/1\nbank: { slug: ${slug}, title: Kept ${slug} }\n` +
  `topics:\n  ${slug}: Kept ${slug}\n  ${slug}/core: Core\nquestions:\n` +
  stems
    .map(
      (stem, i) =>
        `  - id: ${slug}-${i + 1}\n    topic: ${slug}/core\n    difficulty: 2\n    type: single\n` +
        `    stem: ${JSON.stringify(stem)}\n` +
        `    options: [{ text: "right", correct: true }, { text: "wrong" }, { text: "other" }]\n` +
        `    explanation: The first option is right; the others are not.\n`,
    )
    .join("");

async function importBank(slug: string, stems: string[]) {
  const report = await importService({ prisma: t.prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text: bankYaml(slug, stems) }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
}

const stems = (n: number, prefix = "Question") =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1} of the bank?`);

/** A bank of `questions` and a shipped-style mock exam (no owner) drawing `draw` of them. */
async function setting(questions: number, draw: number, exam: { maxAttempts?: number } = {}) {
  const slug = `k${randomUUID().slice(0, 8)}`;
  await importBank(slug, stems(questions));
  const mock = await t.prisma.exam.create({
    data: {
      slug: `mock-${slug}`,
      title: `Mock ${slug}`,
      kind: "mock",
      questionCount: draw,
      timeLimitSeconds: 3600,
      passMarkPercent: 70,
      topicPaths: [slug],
      maxAttempts: exam.maxAttempts ?? null,
    },
  });
  return { slug, mock };
}

async function learner(): Promise<Agent> {
  return login(t.app, (await createUser(t.prisma)).email);
}

/** What an attempt holds: each item's question (its bank number) and the version it shows. */
async function drawn(attemptId: string) {
  const items = await itemsWithVersions(t.prisma, {
    where: { attemptId },
  });
  return items
    .map((i) => ({
      n: Number(i.questionVersion.question.externalId.split("-").pop()),
      versionId: i.questionVersionId,
      current: i.questionVersion.question.currentVersionId === i.questionVersionId,
    }))
    .sort((a, b) => a.n - b.n);
}

/** The exam's Start button, pressed: with the token of the exam list unless one is given. */
async function pressStart(agent: Agent, slug: string, token?: string) {
  return agent
    .post(`/exams/${slug}/attempts`)
    .type("form")
    .send({ _csrf: token ?? (await tokenFor(agent, "/exams")) });
}

const poolRevision = async (slug: string) =>
  (await t.prisma.bank.findUniqueOrThrow({ where: { slug }, select: { poolRevision: true } })).poolRevision;

describe("starting a shipped mock exam after its pool was kept", () => {
  it("never draws a question retired since, and draws one added since", async () => {
    const { slug, mock } = await setting(4, 5); // draws every question there is
    const first = await drawn(await startAttempt(await learner(), mock.slug));
    expect(first.map((d) => d.n)).toEqual([1, 2, 3, 4]);
    // Retired by a statement of its own (as any process, or an operator at psql, could).
    await t.prisma.$executeRaw`UPDATE questions SET "retiredAt" = now() WHERE "externalId" = ${`${slug}-2`}`;
    for (let i = 0; i < 2; i += 1)
      expect((await drawn(await startAttempt(await learner(), mock.slug))).map((d) => d.n)).toEqual([1, 3, 4]);
    // The import brings question 2 back (it is in the file again) and adds question 5.
    await importBank(slug, stems(5));
    for (let i = 0; i < 2; i += 1)
      expect((await drawn(await startAttempt(await learner(), mock.slug))).map((d) => d.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it("shows the version a question has now, not the one it had when the pool was kept", async () => {
    const { slug, mock } = await setting(3, 3);
    const before = await drawn(await startAttempt(await learner(), mock.slug));
    await importBank(slug, ["Question 1, reworded, of the bank?", ...stems(3).slice(1)]);
    const after = await drawn(await startAttempt(await learner(), mock.slug));
    expect(after.every((d) => d.current)).toBe(true);
    expect(after[0]!.versionId).not.toBe(before[0]!.versionId);
    expect(after.slice(1).map((d) => d.versionId)).toEqual(before.slice(1).map((d) => d.versionId));
  });

  it("resumes the learner's open attempt, keeps to the attempt limit, and refuses a closed exam", async () => {
    const { mock } = await setting(3, 2, { maxAttempts: 1 });
    await startAttempt(await learner(), mock.slug); // keeps the pool
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const id = await startAttempt(agent, mock.slug);
    expect(await startAttempt(agent, mock.slug)).toBe(id); // resumed, not a second attempt
    expect(await t.prisma.attempt.count({ where: { examId: mock.id } })).toBe(2);

    const token = await tokenFor(agent, `/attempts/${id}/summary`);
    expect((await agent.post(`/attempts/${id}/submission`).type("form").send({ _csrf: token })).status).toBe(303);
    const again = await pressStart(agent, mock.slug);
    expect(again.status).toBe(409);
    expect(again.text).toContain("You have used all 1 attempt(s) of this exam.");
    expect(await t.prisma.attempt.count({ where: { examId: mock.id, userId: user.id } })).toBe(1);

    await t.prisma.exam.update({ where: { id: mock.id }, data: { closesAt: new Date(clock.now().getTime() - 1000) } });
    const refused = await pressStart(await learner(), mock.slug);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("This exam has closed.");
  });

  it("starts each learner once when the whole cohort starts together", async () => {
    const { mock } = await setting(6, 6);
    await startAttempt(await learner(), mock.slug);
    const agents = await Promise.all(Array.from({ length: 8 }, () => learner()));
    const tokens = await Promise.all(agents.map((a) => tokenFor(a, "/exams")));
    const start = async (a: Agent, token: string) => {
      const res = await pressStart(a, mock.slug, token);
      expect(res.status).toBe(303);
      return /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    };
    // Each learner presses Start twice at once (a double click): one attempt, the same for both.
    const ids = await Promise.all(agents.flatMap((a, i) => [start(a, tokens[i]!), start(a, tokens[i]!)]));
    for (let i = 0; i < agents.length; i += 1) expect(ids[2 * i]).toBe(ids[2 * i + 1]);
    expect(new Set(ids).size).toBe(agents.length);
    for (const id of new Set(ids)) expect((await drawn(id)).map((d) => d.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

const sessionOf = (userId: string) =>
  t.db.pool.query<{ sess: { seenAt?: number } }>(
    `SELECT sess FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [userId],
  );

describe("a start from a kept pool, proved in its own statement", () => {
  const MINUTE = 60_000;

  it("takes one prepared statement: the session is proved in the insert, not loaded first", async () => {
    const { mock } = await setting(4, 3);
    await startAttempt(await learner(), mock.slug); // keeps the pool
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const token = await tokenFor(agent, "/exams");
    const { result: res, statements } = await withStatements(t.db.pool, () => pressStart(agent, mock.slug, token));
    expect(res.status).toBe(303);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.name).toBe("stackprep_start_kept_in_session");
    expect(statements[0]!.text).toContain('FROM "session"');
    const attempt = await t.prisma.attempt.findFirstOrThrow({ where: { examId: mock.id, userId: user.id } });
    expect(res.headers.location).toBe(`/attempts/${attempt.id}`);
    expect(await t.prisma.attemptItem.count({ where: { attemptId: attempt.id } })).toBe(3);
    // The page the start leads to opens for this learner.
    expect((await agent.get(`/attempts/${attempt.id}`)).status).toBe(200);
  });

  it("refuses what the ordinary start refuses, and writes nothing", async () => {
    const { mock } = await setting(4, 3);
    await startAttempt(await learner(), mock.slug);
    const count = (userId: string) => t.prisma.attempt.count({ where: { examId: mock.id, userId } });

    // A token that is not the session's: 403, as every form post.
    const forger = await createUser(t.prisma);
    const forged = await pressStart(await login(t.app, forger.email), mock.slug, "x".repeat(43));
    expect(forged.status).toBe(403);
    expect(await count(forger.id)).toBe(0);

    // Signed out, with the token of the page they had open.
    const leaver = await createUser(t.prisma);
    const left = await login(t.app, leaver.email);
    const leftToken = await tokenFor(left, "/exams");
    expect((await left.post("/logout").type("form").send({ _csrf: leftToken })).status).toBe(303);
    expect((await pressStart(left, mock.slug, leftToken)).status).toBeGreaterThanOrEqual(400);
    expect(await count(leaver.id)).toBe(0);

    // Idle past the timeout: sent to sign in again.
    const idler = await createUser(t.prisma);
    const idle = await login(t.app, idler.email);
    const idleToken = await tokenFor(idle, "/exams");
    clock.advance(31 * MINUTE);
    const expired = await pressStart(idle, mock.slug, idleToken);
    expect(expired.status).toBe(303);
    expect(expired.headers.location).toBe("/login?expired=1");
    expect(await count(idler.id)).toBe(0);
  });

  it("keeps the pool for the cohort's very first starts, and never for an exam that does not reach them", async () => {
    const { mock } = await setting(6, 6);
    const agents = await Promise.all(Array.from({ length: 6 }, () => learner()));
    const tokens = await Promise.all(agents.map((a) => tokenFor(a, "/exams")));
    // No start has kept anything yet: all press Start at once, and each gets one whole attempt.
    const starts = await Promise.all(agents.map((a, i) => pressStart(a, mock.slug, tokens[i])));
    const ids = starts.map((res) => /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)?.[1]);
    expect(new Set(ids).size).toBe(agents.length);
    for (const id of ids) expect((await drawn(id!)).map((d) => d.n)).toEqual([1, 2, 3, 4, 5, 6]);

    // An unpublished exam with no owner reaches nobody, however its start is sent.
    const hidden = await setting(3, 2);
    await t.prisma.exam.update({ where: { id: hidden.mock.id }, data: { published: false } });
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const refused = await pressStart(agent, hidden.mock.slug);
    expect(refused.status).toBe(404);
    expect(await t.prisma.attempt.count({ where: { examId: hidden.mock.id } })).toBe(0);
    // Published, it starts (the exam changed, so nothing kept before is used).
    await t.prisma.exam.update({ where: { id: hidden.mock.id }, data: { published: true } });
    expect((await pressStart(agent, hidden.mock.slug)).status).toBe(303);
    expect(await t.prisma.attempt.count({ where: { examId: hidden.mock.id, userId: user.id } })).toBe(1);
  });

  it("leaves a session due a last-seen refresh to the ordinary path, which refreshes it and starts", async () => {
    const { mock } = await setting(4, 3);
    await startAttempt(await learner(), mock.slug);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const token = await tokenFor(agent, "/exams");
    const seenBefore = (await sessionOf(user.id)).rows[0]!.sess.seenAt!;
    clock.advance(6 * MINUTE); // past the refresh interval, within the idle timeout
    const res = await pressStart(agent, mock.slug, token);
    expect(res.status).toBe(303);
    const attempt = await t.prisma.attempt.findFirstOrThrow({ where: { examId: mock.id, userId: user.id } });
    expect(res.headers.location).toBe(`/attempts/${attempt.id}`);
    expect((await sessionOf(user.id)).rows[0]!.sess.seenAt).toBeGreaterThan(seenBefore);
  });
});

describe("a bank's pool revision", () => {
  it("moves in the same transaction as every change to its questions, and only then", async () => {
    const a = `k${randomUUID().slice(0, 8)}`;
    const b = `k${randomUUID().slice(0, 8)}`;
    await importBank(a, stems(2));
    await importBank(b, stems(2, "Other"));
    const [a0, b0] = [await poolRevision(a), await poolRevision(b)];

    await t.prisma.$executeRaw`UPDATE questions SET "retiredAt" = now() WHERE "externalId" = ${`${a}-1`}`;
    expect(await poolRevision(a)).toBeGreaterThan(a0);
    expect(await poolRevision(b)).toBe(b0);

    // A question moved between banks changes both.
    const [a1, b1] = [await poolRevision(a), await poolRevision(b)];
    const bankB = await t.prisma.bank.findUniqueOrThrow({ where: { slug: b } });
    await t.prisma.$executeRaw`UPDATE questions SET "bankId" = ${bankB.id}::uuid WHERE "externalId" = ${`${a}-2`}`;
    expect(await poolRevision(a)).toBeGreaterThan(a1);
    expect(await poolRevision(b)).toBeGreaterThan(b1);

    // A change rolled back leaves the revision as it was.
    const a2 = await poolRevision(a);
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE questions SET "retiredAt" = NULL WHERE "externalId" = ${`${a}-1`}`;
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await poolRevision(a)).toBe(a2);
  });
});
