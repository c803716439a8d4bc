// SQL exercises in an attempt: the question page shows the setup and an editor but no key, Run
// gives the result grid as often as allowed, submission grades on result sets, and the result
// page shows the learner's rows beside the expected ones.
import { createUser } from "../factories/users";
import { createSqlExam, EXPECTED_MARK, READ_RIGHT, READ_WRONG, REFERENCE_MARK, WRITE_RIGHT } from "../factories/sql";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { csrfFrom, login, tokenFor } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function learner() {
  const { exam } = await createSqlExam(t);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  const run = (position: number, query: string) =>
    agent.post(`/attempts/${attemptId}/sql-runs`).set("x-csrf-token", token).send({ position, query });
  const save = (position: number, seq: number, query: string) =>
    agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position, seq, response: { type: "sql", query }, flagged: false });
  return { user, agent, attemptId, token, run, save };
}

describe("an SQL exercise in an attempt", () => {
  it("shows the setup and an editor, and nothing of the key", async () => {
    const { agent, attemptId } = await learner();
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<textarea id="query" name="query"');
    expect(page.text).toContain("CREATE TABLE customers");
    expect(page.text).toContain(`formaction="/attempts/${attemptId}/sql-runs"`);
    expect(page.text).toContain('src="/static/js/sql.js"');
    expect(page.text).not.toContain(REFERENCE_MARK);
    expect(page.text).not.toContain(EXPECTED_MARK);
  });

  it("runs a statement and returns its grid (first 50 rows, count, time), without the key", async () => {
    const { run } = await learner();
    const res = await run(1, "SELECT g AS n, g * 2 AS twice FROM generate_series(1, 120) AS g");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, rowCount: 120, truncated: true, runsLeft: null });
    expect(res.body.columns).toEqual([
      { name: "n", type: "integer" },
      { name: "twice", type: "integer" },
    ]);
    expect(res.body.rows).toHaveLength(50);
    expect(res.body.rows[0]).toEqual(["1", "2"]);
    expect(typeof res.body.ms).toBe("number");
    const text = JSON.stringify((await run(1, "SELECT name FROM customers")).body);
    expect(text).not.toContain(REFERENCE_MARK);
    expect(text).not.toContain(EXPECTED_MARK);
  });

  it("reports a statement's error with its line and column", async () => {
    const { run } = await learner();
    const res = await run(1, "SELECT name\nFROM nowhere");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, error: 'relation "nowhere" does not exist', line: 2, column: 6 });
  });

  it("counts runs and refuses past the exercise's limit", async () => {
    const { run } = await learner();
    for (const left of [2, 1, 0]) {
      const res = await run(2, "INSERT INTO stock VALUES ('Z9', 1) RETURNING *");
      expect(res.body).toMatchObject({ ok: true, rowCount: 1, runsLeft: left });
    }
    const refused = await run(2, "SELECT 1");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/used all 3 runs/);
    // Each run rolled back: the exercise's table is as it was.
    const again = await run(1, "SELECT count(*) FROM customers");
    expect(again.body.rows).toEqual([["3"]]);
  });

  it("refuses a run for another learner's attempt, or a question that is not SQL", async () => {
    const { attemptId } = await learner();
    const other = await createUser(t.prisma);
    const agent = await login(t.app, other.email);
    const token = await tokenFor(agent, "/exams");
    const res = await agent
      .post(`/attempts/${attemptId}/sql-runs`)
      .set("x-csrf-token", token)
      .send({ position: 1, query: "SELECT 1" });
    expect(res.status).toBe(404);
    const none = await agent
      .post(`/attempts/${attemptId}/sql-runs`)
      .set("x-csrf-token", token)
      .send({ position: 1, query: "" });
    expect(none.status).toBe(400);
  });

  it("runs without JavaScript: the form post saves the statement and shows the grid", async () => {
    const { agent, attemptId } = await learner();
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    const res = await agent
      .post(`/attempts/${attemptId}/sql-runs`)
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        position: 1,
        seq: 1,
        type: "sql",
        query: "SELECT name FROM customers ORDER BY id",
        go: "run",
      });
    expect(res.status).toBe(200);
    expect(res.text).toContain("3 rows");
    expect(res.text).toContain("<td>Ada</td>");
    expect(res.text).toContain("SELECT name FROM customers ORDER BY id</textarea>");
  });

  it("grades on result sets: right and wrong statements, and shows both sides after submission", async () => {
    const { agent, attemptId, token, save } = await learner();
    expect((await save(1, 1, READ_RIGHT)).body).toEqual({ saved: true, seq: 1 });
    expect((await save(2, 1, WRITE_RIGHT)).body).toEqual({ saved: true, seq: 1 });
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.correct)).toEqual([true, true]);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("100.0%");
    expect(result.text).toContain("Expected");
    expect(result.text).toContain(EXPECTED_MARK);
    expect(result.text).toContain(REFERENCE_MARK);
  });

  it("grades a statement run in the sitting and saved unchanged on the rows that run showed", async () => {
    const { agent, attemptId, token, run, save } = await learner();
    // The clock's reading differs on every run: the graded rows say which run they came from.
    const clock = "SELECT clock_timestamp()::text AS at";
    const shown = await run(1, clock);
    expect(shown.body).toMatchObject({ ok: true, rowCount: 1 });
    const write = await run(2, WRITE_RIGHT);
    expect(write.body).toMatchObject({ ok: true });
    await save(1, 1, `${clock};\n`); // the same statement, as the editor may send it
    await save(2, 1, WRITE_RIGHT);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
    const graded = items[0]!.sqlResult as { ok: boolean; result: { rows: string[][] } };
    expect(graded.result.rows).toEqual(shown.body.rows);
    // The write exercise is graded on its kept run, check included: right.
    expect(items[1]!.correct).toBe(true);
    // Grading leaves no run behind.
    expect(items.map((i) => i.lastRun)).toEqual([null, null]);
  });

  it("runs a statement again at grading when its Run's result was too large to keep", async () => {
    const { agent, attemptId, token, run, save } = await learner();
    // Some 70 KB of result: shown in full, not kept (every Run would write it).
    const big = "SELECT clock_timestamp()::text AS at, repeat('x', 70000) AS pad";
    const shown = await run(1, big);
    expect(shown.body).toMatchObject({ ok: true, rowCount: 1 });
    await save(1, 1, big);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } });
    const graded = item.sqlResult as { ok: boolean; result: { rows: string[][] } };
    expect(graded.ok).toBe(true);
    expect(graded.result.rows[0]![0]).not.toBe(shown.body.rows[0][0]);
  });

  it("grades the statement saved, not an earlier one that was run", async () => {
    const { agent, attemptId, token, run, save } = await learner();
    expect((await run(1, READ_RIGHT)).body).toMatchObject({ ok: true });
    await save(1, 1, READ_WRONG);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } });
    expect([item.correct, item.score]).toEqual([false, 0]);
  });

  it("marks a wrong result: missing and differing rows, scored 0", async () => {
    const { agent, attemptId, token, save } = await learner();
    await save(1, 1, READ_WRONG);
    await save(2, 1, "UPDATE stock SET quantity = 3 WHERE sku = 'B2' RETURNING sku, quantity");
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
    expect(items.map((i) => [i.correct, i.score])).toEqual([
      [false, 0],
      [false, 0],
    ]);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("2 row(s) instead of 3");
    expect(result.text).toContain('class="sql-diff"');
    expect(result.text).toContain("The table afterwards");
  });

  it("scores a statement that fails as wrong and shows its error", async () => {
    const { agent, attemptId, token, save } = await learner();
    await save(1, 1, "SELECT pg_sleep(5)");
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("stopped: the statement ran longer than 2 s");
  });
});
