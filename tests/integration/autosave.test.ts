// Autosave proves the session inside its save statement (web/session.ts sessionProof); every
// request it cannot settle that way must get exactly the answer of the ordinary, fully checked
// path, and nothing may be written for it. Also the races the statement's row checks settle.
import request from "supertest";
import { createExamFixture, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { withStatements } from "../support/statements";
import { startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";

const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const ANSWER = { type: "single", optionId: "a" };

async function sitting(options: { timeLimitSeconds?: number } = {}) {
  const { slug, exam } = await createExamFixture(t.prisma, options);
  const answer = await withStoredIds(t.prisma, slug, 1, ANSWER);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  const save = (seq: number, options: { agent?: Agent; token?: string; response?: unknown } = {}) =>
    (options.agent ?? agent)
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", options.token ?? token)
      .send({ position: 1, seq, response: options.response ?? answer, flagged: false });
  const item = () =>
    t.prisma.attemptItem.findUniqueOrThrow({ where: { attemptId_position: { attemptId, position: 1 } } });
  return { slug, user, agent, attemptId, token, answer, save, item };
}

/** The raw session cookie an agent holds (supertest's jar). */
function cookieOf(agent: Agent): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } })
    .jar;
  const cookie = jar.getCookie("stackprep", { domain: "127.0.0.1", path: "/", secure: false, script: false });
  if (!cookie) throw new Error("no session cookie");
  return `stackprep=${cookie.value}`;
}

async function sessionRows(userId: string) {
  return t.db.pool.query<{ sess: { seenAt?: number; authAt?: number } }>(
    `SELECT sess FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [userId],
  );
}

describe("autosave and the session", () => {
  it("saves for a signed-in learner with the session's CSRF token", async () => {
    const { save, item, answer } = await sitting();
    const res = await save(1);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saved: true, seq: 1 });
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(await item()).toMatchObject({ seq: 1, response: answer });
  });

  it("takes one prepared statement: the session is proved in the save, not loaded first", async () => {
    const { save } = await sitting();
    const { statements } = await withStatements(t.db.pool, async () => {
      expect((await save(1)).status).toBe(200);
      expect((await save(2)).status).toBe(200);
    });
    expect(statements).toHaveLength(2);
    expect(statements[0]!.name).toBe("stackprep_save_answer_in_session");
    expect(statements[0]!.text).toContain('FROM "session"');
  });

  it("refuses a wrong or missing CSRF token with 403 and writes nothing", async () => {
    const { agent, attemptId, save, item } = await sitting();
    const wrong = await save(1, { token: "x".repeat(43) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toContain("did not come from this site");
    const missing = await agent.post(`/attempts/${attemptId}/answers`).send({ position: 1, seq: 2, response: ANSWER });
    expect(missing.status).toBe(403);
    expect(await item()).toMatchObject({ seq: 0, response: null });
  });

  it("refuses a forged session cookie and a session that was signed out elsewhere", async () => {
    const { user, agent, attemptId, token, save, item } = await sitting();
    const cookie = cookieOf(agent);
    const forged = cookie.slice(0, -2) + (cookie.endsWith("A") ? "BB" : "AA");
    const res = await request(t.app)
      .post(`/attempts/${attemptId}/answers`)
      .set("Cookie", forged)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 1, response: ANSWER });
    // No session behind the cookie: a script is told to sign in again (401), not a 403 or a redirect.
    expect(res.status).toBe(401);
    await t.db.pool.query(`DELETE FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`, [user.id]);
    expect((await save(2)).status).toBe(401);
    expect(await item()).toMatchObject({ seq: 0, response: null });
  });

  it("another learner's valid session gets 404 for the attempt", async () => {
    const { attemptId, item } = await sitting();
    const other = await login(t.app, (await createUser(t.prisma)).email);
    const token = await tokenFor(other, "/exams");
    const res = await other
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 1, response: ANSWER });
    expect(res.status).toBe(404);
    expect(await item()).toMatchObject({ seq: 0 });
  });

  it("refreshes the last-seen time when it is due, and ends an idle or too old session", async () => {
    const { user, save, item } = await sitting();
    const before = (await sessionRows(user.id)).rows[0]!.sess.seenAt ?? 0;
    clock.advance(6 * 60_000); // past the 5-minute refresh interval: the ordinary path saves and refreshes
    expect((await save(1)).status).toBe(200);
    const after = (await sessionRows(user.id)).rows[0]!.sess.seenAt!;
    expect(after).toBe(clock.now().getTime());
    expect(after).toBeGreaterThan(before);
    expect((await save(2)).status).toBe(200);

    // Signed in more than 12 hours ago, though seen a moment ago: the absolute lifetime ends it.
    await t.db.pool.query(
      `UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{authAt}', to_jsonb($2::bigint))::json
       WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
      [user.id, clock.now().getTime() - 13 * 3600_000],
    );
    const old = await save(3);
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ error: expect.any(String), code: "session_expired" });
    expect(await item()).toMatchObject({ seq: 2 });
    expect((await sessionRows(user.id)).rowCount).toBe(0);
  });

  it("ends a session idle for more than 30 minutes instead of saving", async () => {
    const { save, item } = await sitting();
    clock.advance(31 * 60_000);
    const res = await save(1);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("session_expired");
    expect(await item()).toMatchObject({ seq: 0 });
  });

  it("answers a body that does not parse with 400, after the session checks", async () => {
    const { agent, attemptId, token } = await sitting();
    const bad = await agent.post(`/attempts/${attemptId}/answers`).set("x-csrf-token", token).send({ position: "x" });
    expect(bad.status).toBe(400);
    const anonymous = await request(t.app)
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: "x" });
    expect(anonymous.status).toBe(401); // no session: sign in first, before the body is read
    expect(anonymous.body.code).toBe("unauthenticated");
  });
});

/** Makes the session's last-seen time due for a refresh: its saves then take the ordinary route. */
async function dueForRefresh(userId: string) {
  await t.db.pool.query(
    `UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{seenAt}', to_jsonb($2::bigint))::json
     WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [userId, clock.now().getTime() - 6 * 60_000],
  );
}

/** Sends a save and tells which way it went: the ordinary route loads the session row. */
async function traced(send: () => Promise<request.Response>) {
  const { result: res, statements } = await withStatements(t.db.pool, send);
  return { res, loadedSession: statements.some((s) => s.text.startsWith("SELECT sess FROM")) };
}

const refusedAsJson = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.location).toBeUndefined();
  expect(res.headers["content-type"]).toMatch(/^application\/(problem\+)?json/);
  expect(res.body).toMatchObject({ error: expect.any(String), code });
};

describe("a save that cannot be saved never says it was", () => {
  it.each([
    ["the in-session fast path", false],
    ["the ordinary route", true],
  ])("%s answers 409 JSON for a stale number, a passed deadline and a closed attempt", async (_path, ordinary) => {
    const { user, save, item } = await sitting({ timeLimitSeconds: 60 });
    expect((await save(5)).status).toBe(200);
    if (ordinary) await dueForRefresh(user.id);
    const stale = await traced(() => save(4));
    expect(stale.loadedSession).toBe(ordinary);
    refusedAsJson(stale.res, 409, "stale_answer");

    clock.advance(2 * 60_000); // past the deadline and its grace, within the refresh interval
    if (ordinary) await dueForRefresh(user.id);
    const late = await traced(() => save(6));
    expect(late.loadedSession).toBe(ordinary);
    refusedAsJson(late.res, 409, "deadline_passed");

    if (ordinary) await dueForRefresh(user.id);
    const closed = await traced(() => save(7));
    expect(closed.loadedSession).toBe(ordinary);
    refusedAsJson(closed.res, 409, "attempt_submitted");
    expect(await item()).toMatchObject({ seq: 5 });
  });

  it("answers 401 JSON for a session that is gone or expired, whether or not it tried the fast path", async () => {
    const gone = await sitting();
    await t.db.pool.query(`DELETE FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`, [gone.user.id]);
    const withToken = await traced(() => gone.save(1)); // cookie and token: the fast path tries, proves nothing
    refusedAsJson(withToken.res, 401, "unauthenticated");
    const withoutToken = await gone.agent
      .post(`/attempts/${gone.attemptId}/answers`)
      .send({ position: 1, seq: 2, response: ANSWER }); // no token: straight to the ordinary route
    refusedAsJson(withoutToken, 401, "unauthenticated");
    expect(await gone.item()).toMatchObject({ seq: 0, response: null });

    const idle = await sitting();
    clock.advance(31 * 60_000);
    const expired = await traced(() => idle.save(1));
    expect(expired.loadedSession).toBe(true);
    refusedAsJson(expired.res, 401, "session_expired");
    expect(await idle.item()).toMatchObject({ seq: 0, response: null });
  });
});

describe("saves racing other writes", () => {
  it("a stale save that waited for the row cannot overwrite a newer one", async () => {
    const { slug, save, item } = await sitting();
    const other = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "b" });
    const holder = await t.db.pool.connect();
    try {
      const row = await item();
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM attempt_items WHERE id = $1 FOR UPDATE", [row.id]);
      const newer = save(6, { response: other }).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const older = save(5).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await holder.query("COMMIT");
      const [n, o] = await Promise.all([newer, older]);
      expect(n.status).toBe(200);
      expect([200, 409]).toContain(o.status);
    } finally {
      holder.release();
    }
    expect(await item()).toMatchObject({ seq: 6, response: other });
  });

  it("a save that waited for a submission's grading is refused as submitted", async () => {
    const { attemptId, save, item } = await sitting();
    const grader = await t.db.pool.connect();
    try {
      await grader.query("BEGIN");
      // What the submission does first: lock every item, then set the scores.
      await grader.query(`SELECT 1 FROM attempt_items WHERE "attemptId" = $1 FOR UPDATE`, [attemptId]);
      await grader.query(`UPDATE attempt_items SET score = 0, correct = false WHERE "attemptId" = $1`, [attemptId]);
      await grader.query(`UPDATE attempts SET status = 'submitted', "openKey" = NULL WHERE id = $1`, [attemptId]);
      const late = save(1).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await grader.query("COMMIT");
      const res = await late;
      expect(res.status).toBe(409);
      expect(res.body.error).toContain("This attempt has been submitted");
    } finally {
      grader.release();
    }
    expect(await item()).toMatchObject({ seq: 0, response: null });
  });

  it("a submission waits for a save in flight and grades it", async () => {
    const { agent, attemptId, token, item, answer } = await sitting();
    const saver = await t.db.pool.connect();
    try {
      const row = await item();
      await saver.query("BEGIN");
      await saver.query(`UPDATE attempt_items SET response = $2::jsonb, seq = 1 WHERE id = $1`, [
        row.id,
        JSON.stringify(answer),
      ]);
      const submitted = agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
      const pending = submitted.then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await saver.query("COMMIT");
      expect((await pending).status).toBe(303);
    } finally {
      saver.release();
    }
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", correctCount: 1 });
    expect(await item()).toMatchObject({ correct: true, score: 1 });
  });
});
