import { createExamFixture, withStoredIds, wrongAnswers } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";
import { grade, newState } from "../../src/modules/review/scheduler";
import { importService } from "../../src/modules/banks";
import { miniBank } from "../support/banks";

const clock = new TestClock(new Date("2026-06-01T08:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/**
 * A learner who sat the fixture exam (timed), answering question 1 right, flagging question 3
 * (right), answering 2, 4, 5 and 6 wrongly.
 */
async function learnerWhoMissed(): Promise<{ agent: Agent; userId: string; slug: string }> {
  const { slug, exam } = await createExamFixture(t.prisma);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  await sitAttempt(agent, exam.slug, [
    { position: 1, response: await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" }) },
    { position: 3, response: { type: "truefalse", value: true }, flagged: true },
    ...(await wrongAnswers(t.prisma, slug, [2, 4, 5, 6])),
  ]);
  return { agent, userId: user.id, slug };
}

const gradeForm = async (agent: Agent, page: string, rating: number) => {
  const cardKey = /action="\/review\/([dq]:[0-9a-f-]{36})\/grade"/.exec(page)![1]!;
  const version = /name="version" value="([^"]+)"/.exec(page)![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const res = await agent
    .post(`/review/${cardKey}/grade`)
    .type("form")
    .send({ _csrf: csrf, rating: String(rating), version, topic: "", mode: "" });
  return { res, cardKey, version, csrf };
};

describe("review", () => {
  it("makes one card per missed or flagged question, once", async () => {
    const { userId, slug } = await learnerWhoMissed();
    const items = await t.prisma.reviewItem.findMany({ where: { userId }, orderBy: { topicPath: "asc" } });
    // Questions 2, 4, 5, 6 missed (answered wrongly), 3 right but flagged; question 1 right: no card.
    expect(items.map((i) => i.origin).sort()).toEqual(["flagged", "missed", "missed", "missed", "missed"]);
    const q1 = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });
    expect(items.some((i) => i.questionId === q1.id)).toBe(false);
    expect(new Set(items.map((i) => i.cardKey)).size).toBe(items.length);
  });

  it("leaves a card as it is when the question is missed again", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    await sitAttempt(agent, exam.slug, await wrongAnswers(t.prisma, slug, [2, 4]));
    const first = await t.prisma.reviewItem.findMany({ where: { userId: user.id }, orderBy: { cardKey: "asc" } });
    expect(first).toHaveLength(2);
    await sitAttempt(agent, exam.slug, await wrongAnswers(t.prisma, slug, [2, 4, 5]));
    const second = await t.prisma.reviewItem.findMany({ where: { userId: user.id }, orderBy: { cardKey: "asc" } });
    expect(second).toHaveLength(3);
    for (const card of first) expect(second.find((c) => c.cardKey === card.cardKey)).toEqual(card);
    const q5 = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-5` } });
    expect(second.find((c) => c.questionId === q5.id)).toMatchObject({
      cardKey: `q:${q5.id}`,
      origin: "missed",
      state: 0,
    });
  });

  it("makes no card of a question left blank in a timed exam, while a wrong answer makes one", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptId = await sitAttempt(agent, exam.slug, [
      ...(await wrongAnswers(t.prisma, slug, [1, 4])),
      // Left blank but flagged: the learner asked to see it again.
      { position: 3, response: null, flagged: true },
    ]);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt.mode).toBe("timed");
    expect(attempt.correctCount).toBe(0); // blanks still score 0 in the exam
    const items = await t.prisma.reviewItem.findMany({ where: { userId: user.id } });
    const numberOf = async (questionId: string | null) =>
      Number((await t.prisma.question.findUniqueOrThrow({ where: { id: questionId! } })).externalId.split("-").pop());
    const cards = await Promise.all(items.map(async (i) => [await numberOf(i.questionId), i.origin] as const));
    // 1 and 4 answered wrongly: missed. 2, 5, 6 blank: no card. 3 blank and flagged: a flagged card.
    expect(cards.sort((a, b) => a[0] - b[0])).toEqual([
      [1, "missed"],
      [3, "flagged"],
      [4, "missed"],
    ]);
    const review = (await agent.get("/review")).text;
    expect(review).toContain("3 card(s) due");
  });

  it("in practice mode, a question left unchecked is still missed, as before", async () => {
    const { exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const token = await tokenFor(agent, "/exams");
    const started = await agent
      .post(`/exams/${exam.slug}/attempts`)
      .type("form")
      .send({ _csrf: token, mode: "practice" });
    const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(started.headers.location as string)![1]!;
    const csrf = await tokenFor(agent, `/attempts/${attemptId}/summary`);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: csrf });
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ mode: "practice", status: "submitted" });
    const origins = (await t.prisma.reviewItem.findMany({ where: { userId: user.id } })).map((i) => i.origin);
    expect(origins).toEqual(["missed", "missed", "missed", "missed", "missed", "missed"]);
  });

  it("a grade moves the due date as FSRS says, and a repeated post changes nothing", async () => {
    const { agent, userId } = await learnerWhoMissed();
    const page = (await agent.get("/review")).text;
    expect(page).toMatch(/a question you (missed|flagged)/);
    const before = await t.prisma.reviewItem.findMany({ where: { userId } });
    const first = await gradeForm(agent, page, 3);
    expect(first.res.status).toBe(303);
    const item = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey: first.cardKey } });
    const stored = before.find((i) => i.cardKey === first.cardKey)!;
    const expected = grade(stored, clock.now(), 3, 0.9).next;
    expect(item.due.toISOString()).toBe(expected.due.toISOString());
    expect(item.reps).toBe(1);
    expect(await t.prisma.reviewLog.count({ where: { userId } })).toBe(1);
    // The same form posted again (double click, retry): nothing changes.
    const again = await agent
      .post(`/review/${first.cardKey}/grade`)
      .type("form")
      .send({ _csrf: first.csrf, rating: "1", version: first.version });
    expect(again.status).toBe(303);
    const after = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey: first.cardKey } });
    expect(after.due.toISOString()).toBe(item.due.toISOString());
    expect(await t.prisma.reviewLog.count({ where: { userId } })).toBe(1);
  });

  it("introduces deck cards on their first grade", async () => {
    const slug = `deck${Date.now().toString(36)}`;
    const report = await importService({ prisma: t.prisma, clock, maxBytes: 1 << 20 }).importBanks({
      sources: [
        {
          name: `${slug}.yaml`,
          text: miniBank(
            slug,
            [{ id: `${slug}-1`, stem: "Deck stem" }],
            [{ id: `${slug}-c1`, front: "What is a deck card?" }],
          ),
        },
      ],
      actor: "operator",
    });
    expect(report.ok).toBe(true);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const page = (await agent.get(`/review?topic=${slug}`)).text;
    expect(page).toContain("What is a deck card?");
    expect(page).toContain("new card");
    const { res, cardKey } = await gradeForm(agent, page, 4);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/review");
    const item = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId: user.id, cardKey } });
    expect(item).toMatchObject({
      origin: "deck",
      reps: 1,
      state: grade(newState(clock.now()), clock.now(), 4, 0.9).next.state,
    });
    expect((await agent.get(`/review?topic=${slug}`)).text).toContain("Nothing to review right now");
  });

  it("one learner cannot grade another's card", async () => {
    const { agent } = await learnerWhoMissed();
    const page = (await agent.get("/review")).text;
    const cardKey = /action="\/review\/(q:[0-9a-f-]{36})\/grade"/.exec(page)![1]!;
    const version = /name="version" value="([^"]+)"/.exec(page)![1]!;
    const stranger = await login(t.app, (await createUser(t.prisma)).email);
    const csrf = await tokenFor(stranger, "/review");
    const res = await stranger
      .post(`/review/${cardKey}/grade`)
      .type("form")
      .send({ _csrf: csrf, rating: "3", version });
    expect(res.status).toBe(404);
    expect(await t.prisma.reviewLog.count({ where: { reviewItem: { cardKey } } })).toBe(0);
  });

  it("keeps the desired retention within 0.70 to 0.97", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const csrf = await tokenFor(agent, "/review");
    expect((await agent.post("/review/settings").type("form").send({ _csrf: csrf, retention: "0.99" })).status).toBe(
      400,
    );
    expect((await agent.post("/review/settings").type("form").send({ _csrf: csrf, retention: "0.85" })).status).toBe(
      303,
    );
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).desiredRetention).toBe(0.85);
  });
});
