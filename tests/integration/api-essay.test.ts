// Practice essays over the API, with the use cases the pages call: the open attempt carries the
// prompt only, the check returns the model answer beside the learner's answer with no mark,
// the self-assessment is stored and feeds review, and the result never scores an essay. Every
// response is checked against the OpenAPI document.
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { essayBank, MODEL, positionsOf } from "../support/essays";

const clock = new TestClock(new Date("2026-06-11T09:00:00Z"));
let t: TestApp;
let api: ContractClient;
let bank: Awaited<ReturnType<typeof essayBank>>;
beforeAll(async () => {
  t = await createTestApp({ clock });
  api = await ContractClient.load(t.app);
  bank = await essayBank(t.app, t.prisma);
});
afterAll(() => t.close());

async function learner() {
  const user = await createUser(t.prisma);
  return { user, token: (await createToken(t.prisma, user.id)).token };
}

describe("practice essays over the API", () => {
  it("deliver the prompt only, then the model answer with no mark, then store the self-assessment", async () => {
    const { user, token } = await learner();
    const started = await api.call("post", `/exams/${bank.exam.slug}/attempts`, { token, body: { mode: "practice" } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const pos = await positionsOf(t.prisma, id);

    const open = await api.call("get", `/attempts/${id}`, { token });
    expect(open.status).toBe(200);
    const essay = open.body.items.find((i: { position: number }) => i.position === pos["1"]);
    expect(essay).toMatchObject({ type: "essay", options: [], checked: false, selfAssessment: null });
    expect(open.text).not.toContain(MODEL);
    expect(open.text).not.toContain("EXPLAINS-ESSAY");

    const early = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/self-assessment`, {
      token,
      body: { assessment: "missed" },
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("essay_not_shown");

    const saved = await api.call("put", `/attempts/${id}/answers/${pos["1"]}`, {
      token,
      body: { seq: 1, response: { type: "essay", text: "Same state again." } },
    });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain(MODEL);
    const tooLong = await api.call("put", `/attempts/${id}/answers/${pos["1"]}`, {
      token,
      body: { seq: 2, response: { type: "essay", text: "x".repeat(10_001) } },
    });
    expect(tooLong.status).toBe(400);

    const checked = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/check`, {
      token,
      body: { response: { type: "essay", text: "Same state again." } },
    });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({
      position: pos["1"],
      correct: null,
      scorePercent: null,
      essay: {
        answerText: "Same state again.",
        modelAnswerHtml: expect.stringContaining(`<strong>${MODEL}-1</strong>`),
        selfAssessment: null,
      },
    });
    expect(checked.body.explanationHtml).toContain("EXPLAINS-ESSAY-1");
    expect(checked.text).not.toContain(`${MODEL}-2`);

    // A blank essay shows its model answer too.
    const blank = await api.call("post", `/attempts/${id}/answers/${pos["2"]}/check`, {
      token,
      body: { response: null },
    });
    expect(blank.status).toBe(200);
    expect(blank.body.essay).toMatchObject({ answerText: "", modelAnswerHtml: expect.stringContaining(`${MODEL}-2`) });

    const assessed = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/self-assessment`, {
      token,
      body: { assessment: "partly" },
    });
    expect(assessed.status).toBe(200);
    expect(assessed.body).toEqual({ position: pos["1"], assessment: "partly", repeated: false });
    const again = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/self-assessment`, {
      token,
      body: { assessment: "partly" },
    });
    expect(again.body.repeated).toBe(true);
    const other = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/self-assessment`, {
      token,
      body: { assessment: "had" },
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("already_assessed");
    const bad = await api.call("post", `/attempts/${id}/answers/${pos["1"]}/self-assessment`, {
      token,
      body: { assessment: "good" },
    });
    expect(bad.status).toBe(400);
    const notEssay = await api.call("post", `/attempts/${id}/answers/${pos["3"]}/self-assessment`, {
      token,
      body: { assessment: "had" },
    });
    expect(notEssay.status).toBe(409);

    const cards = await t.prisma.reviewItem.findMany({ where: { userId: user.id } });
    expect(cards).toEqual([expect.objectContaining({ origin: "missed", cardKey: expect.stringMatching(/^q:/) })]);
    const reread = await api.call("get", `/attempts/${id}`, { token });
    expect(reread.body.items.find((i: { position: number }) => i.position === pos["1"]).selfAssessment).toBe("partly");

    // Submitted with the true/false question right: the essays are in the review, never scored.
    await api.call("post", `/attempts/${id}/answers/${pos["3"]}/check`, {
      token,
      body: { response: { type: "truefalse", value: true } },
    });
    expect((await api.call("post", `/attempts/${id}/submission`, { token })).status).toBe(200);
    const result = await api.call("get", `/attempts/${id}/result`, { token });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ scorePercent: 100, correctCount: 1, total: 1, essays: 2, passed: true });
    const reviewed = result.body.review.find((r: { position: number }) => r.position === pos["1"]);
    expect(reviewed).toMatchObject({ correct: null, score: null, selfAssessment: "partly" });
    expect(reviewed.keyHtml).toContain(`${MODEL}-1`);

    // The bank's owner sees how learners assessed each essay, and no difficulty from scores.
    const owner = (await createToken(t.prisma, bank.instructor.id)).token;
    const detail = await api.call("get", `/banks/${bank.slug}`, { token: owner });
    expect(detail.status).toBe(200);
    const byId = Object.fromEntries(
      detail.body.questions.map((q: { externalId: string }) => [q.externalId.split("-").pop(), q]),
    );
    expect(byId["1"]).toMatchObject({
      selfAssessments: { had: 0, partly: 1, missed: 0, total: 1 },
      statistics: { responses: 0 },
    });
    expect(byId["2"].selfAssessments).toEqual({ had: 0, partly: 0, missed: 0, total: 0 });
    expect(byId["3"].selfAssessments).toBeNull();
  });

  it("a timed attempt over the API has no essays", async () => {
    const { token } = await learner();
    const started = await api.call("post", `/exams/${bank.exam.slug}/attempts`, { token, body: { mode: "timed" } });
    const open = await api.call("get", `/attempts/${started.body.id}`, { token });
    expect(open.body.items.map((i: { type: string }) => i.type)).toEqual(["truefalse"]);
    expect(open.text).not.toContain(MODEL);
  });
});
