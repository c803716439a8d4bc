// SQL exercises in practice mode and in custom quizzes: Run shows the grid, Check runs the
// statement and marks it on its result (the learner's rows beside the expected ones, the
// explanation), the item is locked, and the finished attempt counts toward mastery and review
// with the mark the learner was shown.
import { createUser } from "../factories/users";
import { createSqlExam, EXPECTED_MARK, READ_RIGHT, REFERENCE_MARK } from "../factories/sql";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { csrfFrom, login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const WRITE_WRONG = "UPDATE stock SET quantity = 3 WHERE sku = 'B2' RETURNING sku, quantity";

/** Positions of the bank's two exercises in an attempt (a custom quiz shuffles them). */
async function positionsOf(attemptId: string, slug: string) {
  const items = await itemsWithVersions(t.prisma, {
    where: { attemptId },
  });
  const at = (id: string) => items.find((i) => i.questionVersion.question.externalId === id)!.position;
  return { read: at(`${slug}-1`), write: at(`${slug}-2`) };
}

function helpers(agent: Agent, attemptId: string, token: string) {
  return {
    run: (position: number, query: string) =>
      agent.post(`/attempts/${attemptId}/sql-runs`).set("x-csrf-token", token).send({ position, query }),
    /** Check as the page's form posts it without a script. */
    checkForm: (position: number, query: string) =>
      agent
        .post(`/attempts/${attemptId}/checks`)
        .type("form")
        .send({ _csrf: token, position: String(position), seq: "1", type: "sql", query }),
    /** Check as the script posts it, asking for JSON. */
    checkJson: (position: number, query: string) =>
      agent
        .post(`/attempts/${attemptId}/checks`)
        .set("accept", "application/json")
        .type("form")
        .send({ _csrf: token, position: String(position), seq: "1", type: "sql", query }),
  };
}

async function finish(agent: Agent, attemptId: string, token: string) {
  const summary = await agent.get(`/attempts/${attemptId}/summary`);
  const done = await agent
    .post(`/attempts/${attemptId}/submission`)
    .type("form")
    .send({ _csrf: csrfFrom(summary.text) || token });
  expect(done.headers.location).toBe(`/attempts/${attemptId}/result`);
}

describe("SQL exercises in practice mode", () => {
  async function practising() {
    const { slug, exam } = await createSqlExam(t);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptId = await startAttempt(agent, exam.slug, "practice"); // expects the 303 to the attempt
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    return { slug, user, agent, attemptId, token, ...helpers(agent, attemptId, token) };
  }

  it("runs a statement, then checks it: marked on its rows with the expected ones and the explanation, then locked", async () => {
    const { agent, attemptId, run, checkForm } = await practising();
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.text).toContain("practice, no clock");
    expect(page.text).toContain(">Check</button>");
    for (const secret of [REFERENCE_MARK, EXPECTED_MARK, "A left join keeps"]) expect(page.text).not.toContain(secret);
    const ran = await run(1, READ_RIGHT);
    expect(ran.body).toMatchObject({ ok: true, rowCount: 3 });
    expect(JSON.stringify(ran.body)).not.toContain(REFERENCE_MARK);

    const checked = await checkForm(1, READ_RIGHT);
    expect(checked.status).toBe(303);
    expect(checked.headers.location).toBe(`/attempts/${attemptId}?q=1`);
    const marked = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(marked.text).toContain(">Correct</h2>");
    expect(marked.text).toContain("<caption>Yours</caption>");
    expect(marked.text).toContain("<caption>Expected</caption>");
    expect(marked.text).toContain(EXPECTED_MARK);
    expect(marked.text).toContain("A left join keeps customers without orders.");
    expect(marked.text).toContain(REFERENCE_MARK); // the reference, now that the answer is marked
    expect(marked.text).toContain("<fieldset disabled>");
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } });
    expect(item).toMatchObject({ correct: true, score: 1, response: { type: "sql", query: READ_RIGHT } });
    expect(item.checkedAt).not.toBeNull();
    expect(item.sqlResult).toMatchObject({ ok: true });
    // The other exercise shows nothing of its key.
    expect((await agent.get(`/attempts/${attemptId}?q=2`)).text).not.toContain("An upsert with ON CONFLICT.");

    // Locked: neither a save nor another check changes it.
    const again = await checkForm(1, "SELECT 1");
    expect(again.status).toBe(409);
    expect((await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } })).correct).toBe(true);
  });

  it("marks a wrong write statement with the differing rows, in JSON for the script", async () => {
    const { attemptId, checkJson } = await practising();
    const res = await checkJson(2, WRITE_WRONG);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ position: 2, correct: false, score: 0 });
    expect(res.body.html).toContain("Not correct");
    expect(res.body.html).toContain("Rows returned");
    expect(res.body.html).toContain("The table afterwards");
    expect(res.body.html).toContain('class="sql-diff"');
    expect(res.body.html).toContain("An upsert with ON CONFLICT.");
    // A repeated check answers as the first.
    expect((await checkJson(2, WRITE_WRONG)).body).toMatchObject({ position: 2, correct: false });
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 2 } });
    expect(item.sqlResult).toMatchObject({ ok: true, result: { rows: [["B2", "3"]] } });
  });

  it("marks a failing statement wrong and shows its error", async () => {
    const { agent, attemptId, checkForm } = await practising();
    await checkForm(1, "SELECT nope FROM customers");
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.text).toContain("Not correct");
    expect(page.text).toContain("column &#34;nope&#34; does not exist");
  });

  it("counts toward mastery and review with the marks shown, once finished", async () => {
    const { slug, user, agent, attemptId, token, checkForm } = await practising();
    await checkForm(1, READ_RIGHT);
    await checkForm(2, WRITE_WRONG);
    await finish(agent, attemptId, token);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", correctCount: 1, scorePercent: 50 });
    const mastery = await t.prisma.topicMastery.findFirstOrThrow({ where: { userId: user.id, topicPath: slug } });
    expect(mastery.answers).toBe(2);
    const missed = await t.prisma.reviewItem.findMany({ where: { userId: user.id, origin: "missed" } });
    const wrong = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-2` } });
    expect(missed.map((m) => m.questionId)).toEqual([wrong.id]);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("<caption>Yours</caption>");
  });
});

describe("SQL exercises in a custom quiz", () => {
  async function quiz(mode: "practice" | "timed") {
    const { slug } = await createSqlExam(t);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const res = await agent
      .post("/exams/custom")
      .type("form")
      .send({ _csrf: await tokenFor(agent, "/exams/custom"), topics: slug, questionCount: "2", minutes: "10", mode });
    expect(res.status).toBe(303);
    const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    return { slug, user, agent, attemptId, token, at: await positionsOf(attemptId, slug) };
  }

  it("runs and checks SQL answers in a practice custom quiz", async () => {
    const { agent, attemptId, token, at, user, slug } = await quiz("practice");
    const { run, checkForm, checkJson } = helpers(agent, attemptId, token);
    expect((await run(at.read, "SELECT count(*) FROM customers")).body).toMatchObject({ ok: true, rows: [["3"]] });
    await checkForm(at.read, READ_RIGHT);
    expect((await agent.get(`/attempts/${attemptId}?q=${at.read}`)).text).toContain(">Correct</h2>");
    expect((await checkJson(at.write, WRITE_WRONG)).body).toMatchObject({ correct: false });
    await finish(agent, attemptId, token);
    expect(await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ correctCount: 1 });
    expect(
      (await t.prisma.topicMastery.findFirstOrThrow({ where: { userId: user.id, topicPath: slug } })).answers,
    ).toBe(2);
  });

  it("grades SQL answers of a timed custom quiz at submission", async () => {
    const { agent, attemptId, token, at } = await quiz("timed");
    const save = (position: number, seq: number, query: string) =>
      agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({ position, seq, response: { type: "sql", query }, flagged: false });
    expect((await save(at.read, 1, READ_RIGHT)).status).toBe(200);
    expect((await save(at.write, 1, WRITE_WRONG)).status).toBe(200);
    // No checking in a timed attempt.
    expect((await helpers(agent, attemptId, token).checkJson(at.read, READ_RIGHT)).status).toBe(409);
    await finish(agent, attemptId, token);
    const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, orderBy: { position: "asc" } });
    expect(items.find((i) => i.position === at.read)).toMatchObject({ correct: true });
    expect(items.find((i) => i.position === at.write)).toMatchObject({ correct: false });
  });
});
