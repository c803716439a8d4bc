// A sitting's question page reads its session in the attempt's own statement, before the
// session middleware (attempts.routes.ts questionPageInSession). It must show exactly the page
// the ordinary route shows, and leave to that route everything it cannot settle itself.
import request from "supertest";
import { createExamFixture, storedChoiceIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { withStatements } from "../support/statements";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";

const clock = new TestClock(new Date("2026-08-01T09:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const MINUTE = 60_000;

async function sitting() {
  const { exam } = await createExamFixture(t.prisma);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, exam.slug);
  return { user, agent, attemptId };
}

const sessionOf = async (userId: string) =>
  (
    await t.db.pool.query<{ sess: { seenAt?: number; flash?: unknown[] } }>(
      `SELECT sess FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
      [userId],
    )
  ).rows[0]!.sess;

const setSession = (userId: string, field: string, json: unknown) =>
  t.db.pool.query(
    `UPDATE "session" SET sess = jsonb_set(sess::jsonb, $2::text[], $3::jsonb)::json
     WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [userId, `{${field}}`, JSON.stringify(json)],
  );

describe("a sitting's question page, its session read in the page's statement", () => {
  it("takes one prepared statement, which reads the session too", async () => {
    const { agent, attemptId } = await sitting();
    expect((await agent.get(`/attempts/${attemptId}?q=2`)).status).toBe(200); // the version is read once per process
    const { result: page, statements } = await withStatements(t.db.pool, () => agent.get(`/attempts/${attemptId}?q=2`));
    expect(page.status).toBe(200);
    expect(page.text).toContain("Question 2 of 6");
    expect(statements).toHaveLength(1);
    expect(statements[0]!.name).toBe("attempt_with_items_in_session");
    expect(statements[0]!.text).toContain('FROM "session"');
  });

  it("is the very page the ordinary route renders, forms and token included", async () => {
    const { user, agent, attemptId } = await sitting();
    const token = await tokenFor(agent, "/exams");
    // Answers and flags on other questions: this page reads only its own item whole, and the
    // others' states (answered, flagged) for the jump list and the count.
    const save = (position: number, response: unknown, flagged: boolean) =>
      agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({ position, seq: 1, response, flagged })
        .expect(200);
    await save(3, { type: "truefalse", value: false }, false);
    await save(4, { type: "short", text: "UNIQUE" }, true);
    await save(5, null, true);
    const fast = await agent.get(`/attempts/${attemptId}?q=3`);
    expect(fast.status).toBe(200);
    expect(fast.text).toContain(`value="${token}"`);
    expect(fast.text).toContain("2 of 6 answered");
    expect(fast.text).toMatch(/class="jump answered flagged">4</);
    expect(fast.text).toMatch(/class="jump flagged">5</);
    expect(fast.text).toMatch(/class="jump answered" aria-current="step">3</);
    expect(fast.headers["cache-control"]).toBe("private, no-store");
    // A session due a last-seen refresh is not read there: the ordinary route refreshes and renders it.
    const seenAt = clock.now().getTime() - 6 * MINUTE;
    await setSession(user.id, "seenAt", seenAt);
    const ordinary = await agent.get(`/attempts/${attemptId}?q=3`);
    expect(ordinary.status).toBe(200);
    expect((await sessionOf(user.id)).seenAt).toBeGreaterThan(seenAt);
    expect(fast.text).toBe(ordinary.text);
    expect(fast.headers["content-security-policy"]).toBe(ordinary.headers["content-security-policy"]);
  });

  it("shows a practice attempt's checked answers in the jump list, as the ordinary route does", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptId = await startAttempt(agent, exam.slug, "practice");
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const [, wrong] = await storedChoiceIds(t.prisma, slug, 1);
    await agent
      .post(`/attempts/${attemptId}/checks`)
      .type("form")
      .send({ _csrf: token, position: "1", seq: "1", type: "single", answer: wrong! })
      .expect(303);
    await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 2, seq: 1, response: null, flagged: true })
      .expect(200);
    const { result: fast, statements } = await withStatements(t.db.pool, () => agent.get(`/attempts/${attemptId}?q=3`));
    expect(statements.map((s) => s.name)).toContain("attempt_with_items_in_session");
    expect(fast.text).toMatch(/class="jump answered checked">1</);
    expect(fast.text).toMatch(/class="jump flagged">2</);
    expect(fast.text).toMatch(/class="jump" aria-current="step">3</);
    // The ordinary route (a session due a last-seen refresh) reads every item whole: the same page.
    await setSession(user.id, "seenAt", clock.now().getTime() - 6 * MINUTE);
    const ordinary = await agent.get(`/attempts/${attemptId}?q=3`);
    expect(fast.text).toBe(ordinary.text);
  });

  it("leaves a flash message to the ordinary route, which shows it once", async () => {
    const { user, agent, attemptId } = await sitting();
    await setSession(user.id, "flash", [{ kind: "info", message: "A message waiting for the next page." }]);
    const first = await agent.get(`/attempts/${attemptId}`);
    expect(first.text).toContain("A message waiting for the next page.");
    expect((await sessionOf(user.id)).flash).toBeUndefined();
    const second = await agent.get(`/attempts/${attemptId}`);
    expect(second.status).toBe(200);
    expect(second.text).not.toContain("A message waiting for the next page.");
  });

  it("answers as the ordinary route for another learner's attempt, no session, a submission and an overdue attempt", async () => {
    const mine = await sitting();
    const other = await sitting();
    expect((await other.agent.get(`/attempts/${mine.attemptId}`)).status).toBe(404);
    expect((await other.agent.get(`/attempts/not-an-id`)).status).toBe(400);

    const anonymous = await request(t.app).get(`/attempts/${mine.attemptId}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);

    const token = await tokenFor(other.agent, `/attempts/${other.attemptId}/summary`);
    await other.agent.post(`/attempts/${other.attemptId}/submission`).type("form").send({ _csrf: token });
    const submitted = await other.agent.get(`/attempts/${other.attemptId}`);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(`/attempts/${other.attemptId}/result`);

    // Past the deadline (10 minutes, plus grace) the page submits the attempt and shows the result.
    clock.advance(11 * MINUTE);
    await setSession(mine.user.id, "seenAt", clock.now().getTime());
    const overdue = await mine.agent.get(`/attempts/${mine.attemptId}`);
    expect(overdue.status).toBe(303);
    expect(overdue.headers.location).toBe(`/attempts/${mine.attemptId}/result`);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: mine.attemptId } });
    expect(attempt.status).toBe("submitted");
  });
});
