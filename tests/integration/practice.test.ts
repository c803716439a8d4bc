import { createExamFixture, LEAK, storedChoiceIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { csrfFrom, login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

const clock = new TestClock(new Date("2026-05-06T10:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

async function start(agent: Agent, examSlug: string, mode?: "practice" | "timed") {
  const token = await tokenFor(agent, "/exams");
  const res = await agent
    .post(`/exams/${examSlug}/attempts`)
    .type("form")
    .send({ _csrf: token, ...(mode ? { mode } : {}) });
  return res;
}

async function practising() {
  const { slug, exam } = await createExamFixture(t.prisma);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const res = await start(agent, exam.slug, "practice");
  expect(res.status).toBe(303);
  const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  /** Checks an answer the way the page's form posts it (no script). */
  const checkForm = (position: number, type: string, fields: Record<string, string | string[]>) =>
    agent
      .post(`/attempts/${attemptId}/checks`)
      .type("form")
      .send({ _csrf: token, position: String(position), seq: "1", type, ...fields });
  return { slug, exam, user, agent, attemptId, token, checkForm };
}

describe("practice mode", () => {
  it("starts untimed, and shows no key, explanation or feedback before an answer is checked", async () => {
    const { agent, attemptId, token } = await practising();
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt.mode).toBe("practice");
    const page = await agent.get(`/attempts/${attemptId}?q=4`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("practice, no clock");
    expect(page.text).not.toContain("Time left");
    expect(page.text).toContain(">Check</button>");
    for (const secret of [LEAK, "ZEBRADISTINCT", "Explanation", "Correct"]) expect(page.text).not.toContain(secret);
    // The autosave answers without any marking either.
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 4, seq: 5, response: { type: "short", text: "unique" }, flagged: false });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toMatch(/correct|score|ZEBRA|SECRET/i);
    for (let q = 1; q <= 6; q += 1) expect((await agent.get(`/attempts/${attemptId}?q=${q}`)).text).not.toContain(LEAK);
  });

  it("checks an answer without a script: marked at once with the explanation and every option's verdict, then locked", async () => {
    const { slug, agent, attemptId, token, checkForm } = await practising();
    const [right, wrong] = await storedChoiceIds(t.prisma, slug, 1);
    const checked = await checkForm(1, "single", { answer: wrong! });
    expect(checked.status).toBe(303);
    expect(checked.headers.location).toBe(`/attempts/${attemptId}?q=1`);
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.text).toContain("Not correct");
    expect(page.text).toContain(`${LEAK}-1 explains the key`);
    expect(page.text).toContain("Right answer, not chosen:");
    expect(page.text).toContain("Wrong, and you chose it:");
    expect(page.text).toContain("<fieldset disabled>");
    expect(page.text).not.toContain(`${LEAK}-2`);
    expect((await agent.get(`/attempts/${attemptId}?q=2`)).text).not.toContain(LEAK);

    // Locked: neither the autosave nor another check can change it.
    const save = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 50, response: { type: "single", optionId: right }, flagged: false });
    expect(save.status).toBe(409);
    expect(save.body.code).toBe("answer_checked");
    const again = await checkForm(1, "single", { answer: right! });
    expect(again.status).toBe(409);
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 1 } });
    expect(item.response).toEqual({ type: "single", optionId: wrong });
    expect(item.correct).toBe(false);
    expect(item.checkedAt).not.toBeNull();
    // Moving on from a checked question with the page's buttons is not an error.
    const next = await agent
      .post(`/attempts/${attemptId}/answers`)
      .type("form")
      .send({ _csrf: token, position: "1", seq: "9", type: "single", go: "next" });
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe(`/attempts/${attemptId}?q=2`);
  });

  it("answers a scripted check with JSON holding the marking, and repeats it for a repeated check", async () => {
    const { agent, attemptId, token } = await practising();
    const check = () =>
      agent
        .post(`/attempts/${attemptId}/checks`)
        .set("accept", "application/json")
        .type("form")
        .send({ _csrf: token, position: "4", seq: "1", type: "short", text: "distinct" });
    const res = await check();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ position: 4, correct: false, score: 0 });
    expect(res.body.html).toContain("ZEBRADISTINCT");
    expect(res.body.html).toContain(`${LEAK}-4`);
    expect((await check()).body).toMatchObject({ position: 4, correct: false });
  });

  it("asks for an answer before checking, and refuses checks in a timed attempt and for the mock exam", async () => {
    const { agent, attemptId, checkForm } = await practising();
    const empty = await checkForm(2, "multiple", {});
    expect(empty.status).toBe(303);
    expect((await agent.get(empty.headers.location as string)).text).toContain(
      "Choose or write an answer, then check it.",
    );
    expect(await t.prisma.attemptItem.count({ where: { attemptId, checkedAt: { not: null } } })).toBe(0);

    const { exam } = await createExamFixture(t.prisma);
    const timed = await start(agent, exam.slug);
    const timedId = /\/attempts\/([0-9a-f-]{36})$/.exec(timed.headers.location as string)![1]!;
    expect((await t.prisma.attempt.findUniqueOrThrow({ where: { id: timedId } })).mode).toBe("timed");
    const token = await tokenFor(agent, `/attempts/${timedId}`);
    const refused = await agent
      .post(`/attempts/${timedId}/checks`)
      .type("form")
      .send({ _csrf: token, position: "3", seq: "1", type: "truefalse", answer: "true" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("only in practice mode");
    expect(
      (await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId: timedId, position: 3 } })).score,
    ).toBeNull();
  });

  it("does not check a question that is also in an exam the learner has open", async () => {
    const { slug, user, agent, attemptId, checkForm } = await practising();
    const mock = await t.prisma.exam.create({
      data: {
        slug: `mock-${slug}`,
        title: `Mock ${slug}`,
        kind: "mock",
        questionCount: 6,
        timeLimitSeconds: 600,
        passMarkPercent: 70,
        blueprint: { [slug]: 1 },
        topicPaths: [],
        ownerId: user.id,
        published: false,
      },
    });
    expect((await start(agent, mock.slug, "practice")).status).toBe(409);
    expect((await start(agent, mock.slug)).status).toBe(303);
    const res = await checkForm(3, "truefalse", { answer: "true" });
    expect(res.status).toBe(409);
    expect(res.text).toContain("also in an exam you have open");
    expect((await agent.get(`/attempts/${attemptId}?q=3`)).text).not.toContain(LEAK);
  });

  it("counts toward mastery and review when finished, like any attempt", async () => {
    const { slug, user, agent, attemptId, token, checkForm } = await practising();
    const [right] = await storedChoiceIds(t.prisma, slug, 1);
    await checkForm(1, "single", { answer: right! });
    await checkForm(3, "truefalse", { answer: "false" });
    await checkForm(5, "numeric", { text: "32" });
    const summary = await agent.get(`/attempts/${attemptId}/summary`);
    expect(summary.text).toContain("3 of 6 answers checked");
    const done = await agent
      .post(`/attempts/${attemptId}/submission`)
      .type("form")
      .send({ _csrf: csrfFrom(summary.text) || token });
    expect(done.headers.location).toBe(`/attempts/${attemptId}/result`);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt.status).toBe("submitted");
    expect(attempt.correctCount).toBe(2);
    const mastery = await t.prisma.topicMastery.findFirstOrThrow({ where: { userId: user.id, topicPath: slug } });
    expect(mastery.answers).toBeGreaterThanOrEqual(3);
    const missed = await t.prisma.reviewItem.findMany({ where: { userId: user.id, origin: "missed" } });
    const q3 = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-3` } });
    expect(missed.map((m) => m.questionId)).toContain(q3.id);
  });
});

describe("practising missed questions", () => {
  it("draws the questions answered wrongly (not the blank ones) into a practice quiz", async () => {
    const { slug, agent, attemptId, checkForm } = await practising();
    const [, wrong] = await storedChoiceIds(t.prisma, slug, 1);
    await checkForm(1, "single", { answer: wrong! });
    await checkForm(3, "truefalse", { answer: "true" });
    const token = await tokenFor(agent, `/attempts/${attemptId}/summary`);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });

    const res = await agent.post("/exams/missed/attempts").type("form").send({ _csrf: token });
    expect(res.status).toBe(303);
    const missedId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const missed = {
      ...(await t.prisma.attempt.findUniqueOrThrow({ where: { id: missedId }, include: { exam: true } })),
      items: await itemsWithVersions(t.prisma, { where: { attemptId: missedId } }),
    };
    expect(missed.mode).toBe("practice");
    expect(missed.exam.title).toBe("Your missed questions");
    expect(missed.items.map((i) => i.questionVersion.question.externalId)).toEqual([`${slug}-1`]);
  });

  it("says so when there is nothing missed yet", async () => {
    const agent = await login(t.app, (await createUser(t.prisma)).email);
    const token = await tokenFor(agent, "/exams");
    const res = await agent.post("/exams/missed/attempts").type("form").send({ _csrf: token });
    expect(res.headers.location).toBe("/exams");
    expect((await agent.get("/exams")).text).toContain("No missed questions yet");
  });
});
