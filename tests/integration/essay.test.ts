// Essays reach learners in practice mode only: a text area, then (asked for, answered or
// blank) the model answer beside the learner's answer with the explanation, then a
// self-assessment that is stored and feeds review but is never a score. Timed attempts and
// mock exams leave essays out (docs/scoring.md).
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { essayBank, MODEL, positionsOf } from "../support/essays";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

const clock = new TestClock(new Date("2026-06-10T09:00:00Z"));
let t: TestApp;
let bank: Awaited<ReturnType<typeof essayBank>>;
beforeAll(async () => {
  t = await createTestApp({ clock });
  bank = await essayBank(t.app, t.prisma);
});
afterAll(() => t.close());

async function practising() {
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const token = await tokenFor(agent, "/exams");
  const res = await agent
    .post(`/exams/${bank.exam.slug}/attempts`)
    .type("form")
    .send({ _csrf: token, mode: "practice" });
  expect(res.status).toBe(303);
  const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
  const pos = await positionsOf(t.prisma, attemptId);
  const csrf = await tokenFor(agent, `/attempts/${attemptId}`);
  /** "Show model answer" as the page's form posts it (no script). */
  const show = (position: number, essay: string) =>
    agent
      .post(`/attempts/${attemptId}/checks`)
      .type("form")
      .send({ _csrf: csrf, position: String(position), seq: "1", type: "essay", essay });
  const assess = (position: number, assessment: string) =>
    agent
      .post(`/attempts/${attemptId}/self-assessments`)
      .type("form")
      .send({ _csrf: csrf, position: String(position), seq: "2", type: "essay", assessment });
  return { user, agent, attemptId, pos, csrf, show, assess };
}

const questionIdOf = async (suffix: string) =>
  (await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${bank.slug}-${suffix}` } })).id;

describe("essays", () => {
  it("are imported with their model answer, and left out of timed attempts", async () => {
    const essay = await t.prisma.questionVersion.findFirstOrThrow({
      where: { question: { externalId: `${bank.slug}-1` } },
    });
    expect(essay.type).toBe("essay");
    expect(essay.body).toMatchObject({ modelAnswer: { html: expect.stringContaining(`<strong>${MODEL}-1</strong>`) } });
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, learner.email);
    const attemptId = await startAttempt(agent, bank.exam.slug);
    const items = await itemsWithVersions(t.prisma, { where: { attemptId } });
    expect(items.map((i) => i.questionVersion.type)).toEqual(["truefalse"]);
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.text).not.toContain(MODEL);
  });

  it("are left out of mock exams, which are always timed", async () => {
    // No pass mark: this small mock must never become the exam readiness is measured against.
    const mock = await t.prisma.exam.create({
      data: {
        slug: `mock-${bank.slug}`,
        title: "Mock with essays in its topic",
        kind: "mock",
        questionCount: 1,
        timeLimitSeconds: 600,
        passMarkPercent: null,
        blueprint: { [bank.slug]: 1 },
        topicPaths: [],
        published: true,
        public: true,
      },
    });
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, learner.email);
    const token = await tokenFor(agent, "/exams");
    const practice = await agent
      .post(`/exams/${mock.slug}/attempts`)
      .type("form")
      .send({ _csrf: token, mode: "practice" });
    expect(practice.status).toBe(409);
    const attemptId = await startAttempt(agent, mock.slug);
    const items = await itemsWithVersions(t.prisma, { where: { attemptId } });
    expect(items.map((i) => i.questionVersion.type)).toEqual(["truefalse"]);
    for (let q = 1; q <= items.length; q += 1)
      expect((await agent.get(`/attempts/${attemptId}?q=${q}`)).text).not.toContain(MODEL);
  });

  it("are delivered in practice as a text area, with no model answer or explanation before it is asked for", async () => {
    const { agent, attemptId, pos, csrf } = await practising();
    const types = await itemsWithVersions(t.prisma, { where: { attemptId } });
    expect(types.map((i) => i.questionVersion.type).sort()).toEqual(["essay", "essay", "truefalse"]);
    const page = await agent.get(`/attempts/${attemptId}?q=${pos["1"]}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<textarea id="essay" name="essay"');
    expect(page.text).toContain('maxlength="10000"');
    expect(page.text).toContain("Show model answer</button>");
    for (const secret of [MODEL, "EXPLAINS-ESSAY", "How did your answer compare"])
      expect(page.text).not.toContain(secret);
    // The autosave keeps a draft, and answers without any of it either.
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", csrf)
      .send({ position: pos["1"], seq: 5, response: { type: "essay", text: "A draft" }, flagged: false });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain(MODEL);
    expect((await agent.get(`/attempts/${attemptId}?q=${pos["1"]}`)).text).toContain(">A draft</textarea>");
    // Too long an answer is refused by the schema.
    const long = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", csrf)
      .send({ position: pos["1"], seq: 6, response: { type: "essay", text: "x".repeat(10_001) }, flagged: false });
    expect(long.status).toBe(400);
  });

  it("shows the answer beside the model answer and the explanation, locks it, and stores the self-assessment", async () => {
    const { agent, attemptId, pos, csrf, show, assess, user } = await practising();
    const early = await assess(pos["1"]!, "had");
    expect(early.status).toBe(409);
    const shown = await show(pos["1"]!, "Because <b>the</b> same state results.");
    expect(shown.status).toBe(303);
    const page = await agent.get(`/attempts/${attemptId}?q=${pos["1"]}`);
    expect(page.text).toContain("Compare your answer with the model answer");
    expect(page.text).toContain("Because &lt;b&gt;the&lt;/b&gt; same state results.");
    expect(page.text).toContain(`<strong>${MODEL}-1</strong>`);
    expect(page.text).toContain("EXPLAINS-ESSAY-1");
    expect(page.text).not.toContain(`${MODEL}-2`);
    expect(page.text).toContain("How did your answer compare?");
    for (const label of ["I had it", "Partly", "Missed it"]) expect(page.text).toContain(label);
    expect(page.text).not.toMatch(/>(Correct|Not correct)</);
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: pos["1"] } });
    expect(item).toMatchObject({ correct: null, score: null, response: { type: "essay" } });
    expect(item.checkedAt).not.toBeNull();
    // Locked: the autosave cannot change it now.
    const save = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", csrf)
      .send({ position: pos["1"], seq: 50, response: { type: "essay", text: "changed" }, flagged: false });
    expect(save.status).toBe(409);
    expect(save.body.code).toBe("answer_checked");

    // "Missed it": stored, and a review card due now, as a missed question makes.
    expect((await assess(pos["1"]!, "missed")).status).toBe(303);
    expect((await assess(pos["1"]!, "missed")).status).toBe(303); // a repeat changes nothing
    expect((await assess(pos["1"]!, "had")).status).toBe(409);
    const stored = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: pos["1"] } });
    expect(stored).toMatchObject({ selfAssessment: "missed", correct: null, score: null });
    const cards = await t.prisma.reviewItem.findMany({ where: { userId: user.id } });
    expect(cards).toEqual([
      expect.objectContaining({ questionId: await questionIdOf("1"), origin: "missed", due: clock.now(), reps: 0 }),
    ]);
    const after = await agent.get(`/attempts/${attemptId}?q=${pos["1"]}`);
    expect(after.text).toContain("Your assessment: <strong>Missed it</strong>");
    expect(after.text).not.toContain("How did your answer compare?");
  });

  it("shows the model answer for a blank answer; 'I had it' makes no card", async () => {
    const { agent, attemptId, pos, show, assess, user } = await practising();
    expect((await show(pos["2"]!, "")).status).toBe(303);
    const page = await agent.get(`/attempts/${attemptId}?q=${pos["2"]}`);
    expect(page.text).toContain("(left blank)");
    expect(page.text).toContain(`${MODEL}-2`);
    expect((await assess(pos["2"]!, "had")).status).toBe(303);
    expect(await t.prisma.reviewItem.count({ where: { userId: user.id } })).toBe(0);
    // Not an essay: nothing to assess.
    expect((await assess(pos["3"]!, "had")).status).toBe(409);
  });

  it("grades an existing card: 'I had it' as Good, 'Partly' as Hard; a bad assessment is refused", async () => {
    const first = await practising();
    await first.show(first.pos["1"]!, "first try");
    await first.assess(first.pos["1"]!, "partly"); // makes the card
    const card = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId: first.user.id } });
    expect(card.reps).toBe(0);
    await first.show(first.pos["2"]!, "");
    await first.assess(first.pos["2"]!, "missed");
    const token = await tokenFor(first.agent, `/attempts/${first.attemptId}`);
    await first.agent.post(`/attempts/${first.attemptId}/submission`).type("form").send({ _csrf: token });

    clock.advance(60_000);
    const again = await practisingAs(first.agent);
    await again.show(again.pos["1"]!, "second try");
    expect((await again.assess(again.pos["1"]!, "had")).status).toBe(303);
    await again.show(again.pos["2"]!, "");
    expect((await again.assess(again.pos["2"]!, "partly")).status).toBe(303);
    const logs = await t.prisma.reviewLog.findMany({
      where: { userId: first.user.id },
      include: { reviewItem: true },
      orderBy: { id: "asc" },
    });
    expect(logs.map((l) => [l.reviewItem.questionId, l.rating])).toEqual([
      [await questionIdOf("1"), 3],
      [await questionIdOf("2"), 2],
    ]);
    const graded = await t.prisma.reviewItem.findUniqueOrThrow({ where: { id: card.id } });
    expect(graded.reps).toBe(1);
    expect(graded.due.getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await again.assess(again.pos["3"]!, "somewhat")).status).toBe(400);
  });

  it("never scores: the result, mastery and missed questions count only the marked question", async () => {
    const { agent, attemptId, pos, csrf, show, assess, user } = await practising();
    await show(pos["1"]!, "an answer");
    await assess(pos["1"]!, "had");
    // The true/false question, checked right; essay 2 left untouched.
    const checked = await agent
      .post(`/attempts/${attemptId}/checks`)
      .type("form")
      .send({ _csrf: csrf, position: String(pos["3"]), seq: "1", type: "truefalse", answer: "true" });
    expect(checked.status).toBe(303);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: csrf });
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", scorePercent: 100, correctCount: 1, passed: true });
    expect(attempt.topicBreakdown).toEqual([{ topicPath: bank.slug, total: 1, correct: 1, scorePercent: 100 }]);
    const essays = (await itemsWithVersions(t.prisma, { where: { attemptId } })).filter(
      (i) => i.questionVersion.type === "essay",
    );
    expect(essays.map((i) => [i.correct, i.score])).toEqual([
      [null, null],
      [null, null],
    ]);
    const mastery = await t.prisma.topicMastery.findMany({ where: { userId: user.id } });
    expect(mastery.map((m) => m.answers)).toEqual([1]);
    // No card from grading for the untouched essay; none from "I had it" either.
    expect(await t.prisma.reviewItem.count({ where: { userId: user.id } })).toBe(0);
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("1 of 1 correct");
    expect(result.text).toContain("2 essays are not scored");
    expect(result.text).toContain("Question " + pos["1"] + ": not scored");
    expect(result.text).toContain("Your assessment:</strong> I had it (not a score)");
    expect(result.text).not.toContain("Retry the");
  });

  it("an essays-only practice reports no pass or fail", async () => {
    const quiz = await t.prisma.exam.create({
      data: {
        slug: `essays-only-${bank.slug}`,
        title: "Essays only",
        kind: "module",
        questionCount: 2,
        timeLimitSeconds: 600,
        passMarkPercent: 50,
        topicPaths: [],
        questionIds: [await questionIdOf("1"), await questionIdOf("2")],
        published: true,
        public: true,
      },
    });
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, learner.email);
    const token = await tokenFor(agent, "/exams");
    const res = await agent.post(`/exams/${quiz.slug}/attempts`).type("form").send({ _csrf: token, mode: "practice" });
    expect(res.status).toBe(303);
    const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const csrf = await tokenFor(agent, `/attempts/${attemptId}`);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: csrf });
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", correctCount: 0, passed: null });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("Nothing in this practice is scored");
    expect(result.text).not.toContain("not passed yet");
  });
});

/** Another practice of the module by the same learner. */
async function practisingAs(agent: Agent) {
  const token = await tokenFor(agent, "/exams");
  const res = await agent
    .post(`/exams/${bank.exam.slug}/attempts`)
    .type("form")
    .send({ _csrf: token, mode: "practice" });
  const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
  const pos = await positionsOf(t.prisma, attemptId);
  const csrf = await tokenFor(agent, `/attempts/${attemptId}`);
  return {
    pos,
    show: (position: number, essay: string) =>
      agent
        .post(`/attempts/${attemptId}/checks`)
        .type("form")
        .send({ _csrf: csrf, position: String(position), seq: "1", type: "essay", essay }),
    assess: (position: number, assessment: string) =>
      agent
        .post(`/attempts/${attemptId}/self-assessments`)
        .type("form")
        .send({ _csrf: csrf, position: String(position), assessment }),
  };
}

describe("an essay's item statistics", () => {
  it("count learners by their latest self-assessment, never a facility", async () => {
    const own = await essayBank(t.app, t.prisma);
    const assessWith = async (assessments: string[]) => {
      const user = await createUser(t.prisma);
      const agent = await login(t.app, user.email);
      const token = await tokenFor(agent, "/exams");
      for (const assessment of assessments) {
        const res = await agent
          .post(`/exams/${own.exam.slug}/attempts`)
          .type("form")
          .send({ _csrf: token, mode: "practice" });
        const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
        const pos = await positionsOf(t.prisma, attemptId);
        const csrf = await tokenFor(agent, `/attempts/${attemptId}`);
        await agent
          .post(`/attempts/${attemptId}/checks`)
          .type("form")
          .send({ _csrf: csrf, position: String(pos["1"]), seq: "1", type: "essay", essay: "x" });
        await agent
          .post(`/attempts/${attemptId}/self-assessments`)
          .type("form")
          .send({ _csrf: csrf, position: String(pos["1"]), assessment });
        await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: csrf });
        clock.advance(1000);
      }
    };
    await assessWith(["missed", "had"]); // counted once, by the latest: had
    await assessWith(["partly"]);
    const page = await own.teacher.get(`/teach/banks/${own.slug}`);
    expect(page.status).toBe(200);
    const essay1 = page.text.split(`id="q-${own.slug}-1"`)[1]!.split("</article>")[0]!;
    expect(essay1).toContain("Essay, never scored.");
    expect(essay1).toContain("2 learners · I had it 1 · partly 1 · missed it 0");
    expect(essay1).not.toContain("facility");
    const essay2 = page.text.split(`id="q-${own.slug}-2"`)[1]!.split("</article>")[0]!;
    expect(essay2).toContain("0 learners · I had it 0");
    const tf = page.text.split(`id="q-${own.slug}-3"`)[1]!.split("</article>")[0]!;
    expect(tf).toContain("facility");
  });
});

describe("an essay's review card", () => {
  it("shows the prompt, then the model answer behind 'Show answer', and is rated as usual", async () => {
    const { agent, pos, show, assess, csrf, attemptId } = await practising();
    await show(pos["1"]!, "");
    await assess(pos["1"]!, "missed");
    // The true/false question right, so the essay's is the one card due.
    await agent
      .post(`/attempts/${attemptId}/checks`)
      .type("form")
      .send({ _csrf: csrf, position: String(pos["3"]), seq: "1", type: "truefalse", answer: "true" });
    // Its card waits while the practice holding the question is open.
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: csrf });
    const page = await agent.get("/review");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Explain why PUT is idempotent.");
    const [front, back] = page.text.split('<details class="card-back"');
    expect(front).not.toContain(MODEL);
    expect(back).toContain('<h2 class="back-label">Model answer</h2>');
    expect(back).toContain(`${MODEL}-1`);
    expect(page.text).toContain("Good");
  });
});
