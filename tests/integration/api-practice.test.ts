// Practice mode over the API: an untimed attempt where each answer is checked on its own
// (marked, explained, locked) with the use cases the pages call; the key of one question
// never comes with another's check, and never before a check.
import { createExamFixture, LEAK, storedChoiceIds, withStoredIds } from "../factories/exams";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, TestClock, type TestApp } from "../support/app";

const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let t: TestApp;
let api: ContractClient;
beforeAll(async () => {
  t = await createTestApp({ clock });
  api = await ContractClient.load(t.app);
});
afterAll(() => t.close());

async function learner() {
  const user = await createUser(t.prisma);
  return { user, token: (await createToken(t.prisma, user.id)).token };
}

describe("practice mode over the API", () => {
  it("checks one answer at a time: its marking, explanation and feedback only, then locks it", async () => {
    const { exam, slug } = await createExamFixture(t.prisma);
    const { token } = await learner();
    const started = await api.call("post", `/exams/${exam.slug}/attempts`, { token, body: { mode: "practice" } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;

    const open = await api.call("get", `/attempts/${id}`, { token });
    expect(open.body).toMatchObject({ status: "open", mode: "practice" });
    expect(open.body.items.every((i: { checked: boolean }) => !i.checked)).toBe(true);
    expect(open.text).not.toContain(LEAK);

    const wrong = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "b" });
    const checked = await api.call("post", `/attempts/${id}/answers/1/check`, { token, body: { response: wrong } });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ position: 1, correct: false, scorePercent: 0 });
    expect(checked.body.explanationHtml).toContain(`${LEAK}-1`);
    const ids = await storedChoiceIds(t.prisma, slug, 1);
    expect(checked.body.options.map((o: { id: string }) => o.id)).toEqual(ids);
    expect(checked.body.options.map((o: { correct: boolean; chosen: boolean }) => [o.correct, o.chosen])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
    // Only this question's marking: nothing of the others.
    expect(checked.text).not.toMatch(new RegExp(`${LEAK}-[2-6]`));

    // The same check again answers the same; another answer, or a save, is refused: it is locked.
    const repeat = await api.call("post", `/attempts/${id}/answers/1/check`, { token, body: { response: wrong } });
    expect(repeat.body).toEqual(checked.body);
    const right = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" });
    const changed = await api.call("post", `/attempts/${id}/answers/1/check`, { token, body: { response: right } });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe("answer_checked");
    const saved = await api.call("put", `/attempts/${id}/answers/1`, { token, body: { seq: 50, response: right } });
    expect(saved.status).toBe(409);
    const stored = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId: id, position: 1 } });
    expect(stored).toMatchObject({ correct: false, score: 0 });
    expect(stored.checkedAt).not.toBeNull();

    const after = await api.call("get", `/attempts/${id}`, { token });
    expect(after.body.items[0].checked).toBe(true);
    expect(after.body.items[1].checked).toBe(false);
    expect(after.text).not.toContain(LEAK);

    const empty = await api.call("post", `/attempts/${id}/answers/2/check`, { token, body: { response: null } });
    expect(empty.status).toBe(400);
    const missing = await api.call("post", `/attempts/${id}/answers/99/check`, { token, body: { response: right } });
    expect(missing.status).toBe(404);
  });

  it("checks only in practice mode, never a mock exam in practice, and never another learner's attempt", async () => {
    const { exam, slug } = await createExamFixture(t.prisma);
    const { token } = await learner();
    const timed = await api.call("post", `/exams/${exam.slug}/attempts`, { token, body: {} });
    const open = await api.call("get", `/attempts/${timed.body.id}`, { token });
    expect(open.body.mode).toBe("timed");
    const right = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" });
    const refused = await api.call("post", `/attempts/${timed.body.id}/answers/1/check`, {
      token,
      body: { response: right },
    });
    expect(refused.status).toBe(409);
    expect(refused.text).not.toContain(LEAK);

    const other = await learner();
    const foreign = await api.call("post", `/attempts/${timed.body.id}/answers/1/check`, {
      token: other.token,
      body: { response: right },
    });
    expect(foreign.status).toBe(404);

    const mock = await createExamFixture(t.prisma);
    await t.prisma.exam.update({ where: { id: mock.exam.id }, data: { kind: "mock" } });
    const practiceMock = await api.call("post", `/exams/${mock.exam.slug}/attempts`, {
      token,
      body: { mode: "practice" },
    });
    expect(practiceMock.status).toBe(409);
  });

  it("practises a topic as a quiz of one's own, and the questions one missed", async () => {
    const { exam, slug } = await createExamFixture(t.prisma);
    const { token } = await learner();
    const quiz = await api.call("post", "/quizzes", {
      token,
      body: { topics: [slug], questionCount: 3, minutes: 10, mode: "practice" },
    });
    expect(quiz.status).toBe(201);
    const quizAttempt = await api.call("get", `/attempts/${quiz.body.id}`, { token });
    expect(quizAttempt.body).toMatchObject({ mode: "practice" });
    expect(quizAttempt.body.items).toHaveLength(3);
    const first = quizAttempt.body.items[0];
    const answer =
      first.type === "truefalse"
        ? { type: "truefalse", value: true }
        : first.type === "numeric"
          ? { type: "numeric", value: 32 }
          : first.type === "short"
            ? { type: "short", text: "nope" }
            : first.type === "multiple"
              ? { type: "multiple", optionIds: [first.options[0].id] }
              : first.type === "single"
                ? { type: "single", optionId: first.options[0].id }
                : { type: "ordering", itemIds: first.options.map((o: { id: string }) => o.id) };
    const checked = await api.call("post", `/attempts/${quiz.body.id}/answers/1/check`, {
      token,
      body: { response: answer },
    });
    expect(checked.status).toBe(200);
    expect(checked.body.explanationHtml).toContain(LEAK);
    await api.call("post", `/attempts/${quiz.body.id}/submission`, { token });

    const none = await learner();
    const nothing = await api.call("post", "/missed-quizzes", { token: none.token, body: {} });
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe("nothing_missed");

    // A timed sitting with a wrong answer: that question comes back in practice mode.
    const timed = await api.call("post", `/exams/${exam.slug}/attempts`, { token: none.token, body: {} });
    const wrong = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "c" });
    await api.call("put", `/attempts/${timed.body.id}/answers/1`, {
      token: none.token,
      body: { seq: 1, response: wrong },
    });
    await api.call("post", `/attempts/${timed.body.id}/submission`, { token: none.token });
    const missed = await api.call("post", "/missed-quizzes", { token: none.token, body: {} });
    expect(missed.status).toBe(201);
    const practice = await api.call("get", `/attempts/${missed.body.id}`, { token: none.token });
    expect(practice.body.mode).toBe("practice");
    expect(practice.body.items.map((i: { stemHtml: string }) => i.stemHtml).join()).toContain("Not Found");
  });
});
