import { createExamFixture, LEAK, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";

const clock = new TestClock(new Date("2026-05-04T10:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

async function learnerWithAttempt(options: Parameters<typeof createExamFixture>[1] = {}) {
  const { slug, exam } = await createExamFixture(t.prisma, options);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  // Choices are written by letter in the file's order; the fixture keeps question n at position n.
  const ids = <T>(position: number, response: T) => withStoredIds(t.prisma, slug, position, response);
  const save = async (position: number, seq: number, response: unknown, flagged = false) =>
    agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position, seq, response: await ids(position, response), flagged });
  return { slug, exam, user, agent, attemptId, token, ids, save };
}

const RIGHT: unknown[] = [
  { type: "single", optionId: "a" },
  { type: "multiple", optionIds: ["b", "a"] },
  { type: "truefalse", value: true },
  { type: "short", text: "  zebradistinct " },
  { type: "numeric", value: 32 },
  { type: "ordering", itemIds: ["a", "b", "c"] },
];

describe("starting an attempt", () => {
  it("freezes the questions in rows, sets the deadline from server time, and resumes instead of starting twice", async () => {
    const { exam, agent, attemptId } = await learnerWithAttempt();
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId }, include: { items: true } });
    expect(attempt.items).toHaveLength(6);
    expect(attempt.deadlineAt.getTime() - attempt.startedAt.getTime()).toBe(600_000);
    expect(attempt.startedAt.toISOString()).toBe(clock.now().toISOString());
    expect(await startAttempt(agent, exam.slug)).toBe(attemptId);
    expect(await t.prisma.attempt.count({ where: { examId: exam.id } })).toBe(1);
  });

  it("gives another learner's attempt a 404", async () => {
    const { attemptId } = await learnerWithAttempt();
    const other = await login(t.app, (await createUser(t.prisma)).email);
    expect((await other.get(`/attempts/${attemptId}`)).status).toBe(404);
    expect((await other.get(`/attempts/${attemptId}/result`)).status).toBe(404);
    const token = await tokenFor(other, "/exams");
    const res = await other
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 1, response: { type: "single", optionId: "a" } });
    expect(res.status).toBe(404);
    expect((await other.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token })).status).toBe(
      404,
    );
  });
});

describe("answering", () => {
  it("saves answers, refuses a stale sequence number, and grades every type", async () => {
    const { agent, attemptId, save, token, ids } = await learnerWithAttempt();
    for (let i = 0; i < 6; i += 1) expect((await save(i + 1, 5, RIGHT[i])).status).toBe(200);
    const stale = await save(1, 4, { type: "single", optionId: "b" });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toContain("A newer answer");
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } });
    expect(item.response).toEqual(await ids(1, { type: "single", optionId: "a" }));
    const submitted = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    expect(submitted.headers.location).toBe(`/attempts/${attemptId}/result`);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("100.0%");
    expect(result.text).toContain("6 of 6 correct");
    expect(result.text).toContain(`${LEAK}-3`);
    const after = await save(1, 9, { type: "single", optionId: "b" });
    expect(after.status).toBe(409);
  });

  it("works as a plain form post without JavaScript", async () => {
    const { agent, attemptId, token, ids } = await learnerWithAttempt();
    const chosen = (await ids(2, { type: "multiple", optionIds: ["a", "b"] })).optionIds;
    const res = await agent
      .post(`/attempts/${attemptId}/answers`)
      .type("form")
      .send({ _csrf: token, position: "2", seq: "1", type: "multiple", answer: chosen, flagged: "1", go: "next" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/attempts/${attemptId}?q=3`);
    const past = await agent.get(`/attempts/${attemptId}?q=7`);
    expect(past.status).toBe(303);
    expect(past.headers.location).toBe(`/attempts/${attemptId}/summary`);
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 2 } });
    expect(item).toMatchObject({ response: { type: "multiple", optionIds: chosen }, flagged: true, seq: 1 });
    const bad = await agent
      .post(`/attempts/${attemptId}/answers`)
      .type("form")
      .send({ _csrf: token, position: "5", seq: "1", type: "numeric", text: "thirty-two" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("is not a number");
  });

  it("never sends the key, correctness or explanations while the attempt is open", async () => {
    const { agent, attemptId, save } = await learnerWithAttempt();
    const bodies: string[] = [];
    for (let q = 1; q <= 6; q += 1) {
      const page = await agent.get(`/attempts/${attemptId}?q=${q}`);
      expect(page.status).toBe(200);
      bodies.push(page.text);
      const saved = await save(q, 1, RIGHT[q - 1]);
      bodies.push(JSON.stringify(saved.body));
    }
    bodies.push((await agent.get(`/attempts/${attemptId}/summary`)).text);
    bodies.push((await agent.get(`/attempts/${attemptId}/result`)).headers.location as string);
    for (const body of bodies) {
      expect(body).not.toContain(LEAK);
      expect(body).not.toMatch(/ZEBRADISTINCT/i);
      expect(body).not.toMatch(/"correct"|data-correct|class="[^"]*\bcorrect\b/);
    }
  });
});

describe("the clock", () => {
  it("accepts a save within the grace period, refuses a later one and submits the attempt", async () => {
    const { attemptId, save } = await learnerWithAttempt({ timeLimitSeconds: 60 });
    expect((await save(1, 1, RIGHT[0])).status).toBe(200);
    clock.advance(63_000); // 3 s past the deadline: in flight, accepted
    expect((await save(2, 1, RIGHT[1])).status).toBe(200);
    clock.advance(10_000);
    const late = await save(3, 1, RIGHT[2]);
    expect(late.status).toBe(409);
    expect(late.body.error).toContain("Time is up");
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({
      status: "submitted",
      submittedBy: "deadline",
      correctCount: 2,
      timeUsedSeconds: 60,
    });
  });

  it("submits an overdue attempt on the next page view", async () => {
    const { agent, attemptId } = await learnerWithAttempt({ timeLimitSeconds: 60 });
    clock.advance(120_000);
    const res = await agent.get(`/attempts/${attemptId}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/attempts/${attemptId}/result`);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("Time ran out");
  });

  it("the sweep submits each overdue attempt exactly once, even when two instances sweep together", async () => {
    const a = await learnerWithAttempt({ timeLimitSeconds: 30 });
    const b = await learnerWithAttempt({ timeLimitSeconds: 30 });
    await a.save(1, 1, RIGHT[0]);
    clock.advance(60_000);
    const other = await createTestApp({ clock });
    try {
      const sweeps = await Promise.all([sweep(t), sweep(other)]);
      expect(sweeps.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(2);
    } finally {
      await other.close();
    }
    for (const id of [a.attemptId, b.attemptId]) {
      const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id } });
      expect(attempt).toMatchObject({ status: "submitted", submittedBy: "deadline" });
    }
    expect((await t.prisma.attempt.findUniqueOrThrow({ where: { id: a.attemptId } })).correctCount).toBe(1);
  });

  it("resumes with the same remaining time on another app instance", async () => {
    const { agent, attemptId, user } = await learnerWithAttempt({ timeLimitSeconds: 600 });
    clock.advance(100_000);
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.text).toContain('data-remaining="500"');
    expect(page.text).toContain('data-announce="600,300,60"'); // the countdown's polite announcements
    const restarted = await createTestApp({ clock });
    try {
      const again = await login(restarted.app, user.email);
      const resumed = await again.get(`/attempts/${attemptId}?q=1`);
      expect(resumed.text).toContain('data-remaining="500"');
    } finally {
      await restarted.close();
    }
  });
});

describe("submission", () => {
  it("50 concurrent submissions give exactly one result", async () => {
    const { agent, attemptId, token, save } = await learnerWithAttempt();
    await save(1, 1, RIGHT[0]);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token }),
      ),
    );
    expect(responses.every((r) => r.status === 303)).toBe(true);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", submittedBy: "learner", correctCount: 1, openKey: null });
    const graded = await t.prisma.attemptItem.count({ where: { attemptId, score: { not: null } } });
    expect(graded).toBe(6);
  });

  it("50 concurrent starts and 50 concurrent submissions all succeed on a pool of 2 connections", async () => {
    // A busy machine, made repeatable: a pool far smaller than the burst, and every write of
    // an attempt row slowed by 50 ms. Requests queue for a connection longer than Prisma's
    // default 2 s wait, and one learner's gradings wait for each other's progress update.
    const small = await createTestApp({ clock, poolMax: 2 });
    await small.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION slow_attempt_write() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await small.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE TRIGGER slow_attempt_writes BEFORE INSERT OR UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION slow_attempt_write()`,
    );
    try {
      const { slug, exam } = await createExamFixture(small.prisma);
      const user = await createUser(small.prisma);
      const agent = await login(small.app, user.email);
      const token = await tokenFor(agent, "/exams");
      const starts = await Promise.all(
        Array.from({ length: 50 }, () =>
          agent.post(`/exams/${exam.slug}/attempts`).type("form").send({ _csrf: token }),
        ),
      );
      expect(starts.map((r) => r.status)).toEqual(starts.map(() => 303));
      expect(new Set(starts.map((r) => r.headers.location as string)).size).toBe(1);
      expect(await small.prisma.attempt.count({ where: { examId: exam.id } })).toBe(1);

      const others = await Promise.all(
        Array.from({ length: 49 }, (_, i) =>
          small.prisma.exam.create({
            // Mocks draw their whole pool; practice modules would leave out the questions the
            // other open attempts hold.
            data: {
              ...examCopy(exam),
              kind: "mock",
              blueprint: { [slug]: 100 },
              slug: `${exam.slug}-${i}`,
              title: `${exam.title} ${i}`,
            },
          }),
        ),
      );
      const attemptIds = [
        /[0-9a-f-]{36}$/.exec(starts[0]!.headers.location as string)![0],
        ...(await Promise.all(others.map((e) => startAttempt(agent, e.slug)))),
      ];
      const submissions = await Promise.all(
        attemptIds.map((id) => agent.post(`/attempts/${id}/submission`).type("form").send({ _csrf: token })),
      );
      expect(submissions.map((r) => r.status)).toEqual(submissions.map(() => 303));
      expect(await small.prisma.attempt.count({ where: { id: { in: attemptIds }, status: "submitted" } })).toBe(50);
      const mastery = await small.prisma.topicMastery.findUniqueOrThrow({
        where: { userId_topicPath: { userId: user.id, topicPath: slug } },
      });
      expect(mastery.answers).toBe(50 * 6);
    } finally {
      await small.prisma.$executeRawUnsafe(`DROP TRIGGER slow_attempt_writes ON attempts`);
      await small.close();
    }
  }, 120_000);

  it("hides keys and explanations when the review policy says never", async () => {
    const { agent, attemptId, token } = await learnerWithAttempt({ reviewPolicy: "never" });
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain("0.0%");
    expect(result.text).not.toContain(LEAK);
  });
});

const sweep = (app: TestApp) => app.sweepOverdue();

/** An exam's settings, for another exam over the same questions. */
const examCopy = (exam: Awaited<ReturnType<typeof createExamFixture>>["exam"]) => ({
  kind: exam.kind,
  questionCount: exam.questionCount,
  timeLimitSeconds: exam.timeLimitSeconds,
  passMarkPercent: exam.passMarkPercent,
  shuffleQuestions: exam.shuffleQuestions,
  shuffleOptions: exam.shuffleOptions,
  topicPaths: exam.topicPaths,
});

describe("custom quiz", () => {
  it("lets a learner pick topics, count and time, privately", async () => {
    const { slug } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const form = await agent.get("/exams/custom");
    expect(form.text).toContain(`value="${slug}"`);
    const token = await tokenFor(agent, "/exams/custom");
    const bad = await agent
      .post("/exams/custom")
      .type("form")
      .send({ _csrf: token, topics: slug, questionCount: "0", minutes: "5" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Ask for at least 1 question.");
    const res = await agent
      .post("/exams/custom")
      .type("form")
      .send({ _csrf: token, topics: slug, questionCount: "4", minutes: "7" });
    expect(res.status).toBe(303);
    const attemptId = (res.headers.location as string).split("/").pop()!;
    const attempt = await t.prisma.attempt.findUniqueOrThrow({
      where: { id: attemptId },
      include: { exam: true, items: true },
    });
    expect(attempt.items).toHaveLength(4);
    expect(attempt.deadlineAt.getTime() - attempt.startedAt.getTime()).toBe(7 * 60_000);
    expect(attempt.exam).toMatchObject({ kind: "custom", published: false, ownerId: user.id, topicPaths: [slug] });
    // Private: another learner cannot start it, and it is not listed.
    const other = await login(t.app, (await createUser(t.prisma)).email);
    const otherToken = await tokenFor(other, "/exams");
    expect(
      (await other.post(`/exams/${attempt.exam.slug}/attempts`).type("form").send({ _csrf: otherToken })).status,
    ).toBe(404);
    expect((await other.get("/exams")).text).not.toContain(attempt.exam.title);
  });
});
