import { createExamFixture, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt } from "../support/attempts";
import { csrfFrom, login, type Agent } from "../support/http";

const clock = new TestClock(new Date("2026-06-03T08:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** A learner with question cards due: they answered questions 1 to 6 wrongly. */
async function learnerWithCards(): Promise<{ agent: Agent; userId: string; email: string }> {
  const { slug, exam } = await createExamFixture(t.prisma);
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  await sitAttempt(agent, exam.slug, [
    { position: 1, response: await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "b" }) },
    { position: 2, response: await withStoredIds(t.prisma, slug, 2, { type: "multiple", optionIds: ["c"] }) },
    { position: 3, response: { type: "truefalse", value: false } },
  ]);
  return { agent, userId: user.id, email: user.email };
}

const shownCard = (page: string) => /action="\/review\/([dq]:[0-9a-f-]{36})\/grade"/.exec(page)?.[1];

async function post(agent: Agent, path: string, fields: Record<string, string> = {}) {
  const page = await agent.get("/review");
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), topic: "", mode: "", ...fields });
}

describe("review as Anki users expect", () => {
  it("labels the back, and shows the number due in the navigation", async () => {
    const { agent, userId } = await learnerWithCards();
    const due = await t.prisma.reviewItem.count({ where: { userId, due: { lte: clock.now() } } });
    expect(due).toBeGreaterThan(0);
    const page = await agent.get("/exams");
    expect(page.text).toContain(`Review (${due} due)`);
    const review = (await agent.get("/review")).text;
    expect(review).toContain('<h2 class="back-label">Answer</h2>');
    expect(review).toContain('<h2 class="back-label">Explanation</h2>');
  });

  it("undoes the last grade: the card's state and the log are as before", async () => {
    const { agent, userId } = await learnerWithCards();
    const page = (await agent.get("/review")).text;
    const cardKey = shownCard(page)!;
    const before = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey } });
    const version = /name="version" value="([^"]+)"/.exec(page)![1]!;
    await post(agent, `/review/${cardKey}/grade`, { rating: "3", version });
    const graded = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey } });
    expect(graded.reps).toBe(before.reps + 1);
    expect((await agent.get("/review")).text).toContain("Undo the last grade");

    const undone = await post(agent, "/review/undo");
    expect(undone.status).toBe(303);
    const after = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey } });
    expect({ ...after, suspendedAt: null }).toEqual({ ...before, suspendedAt: null });
    expect(await t.prisma.reviewLog.count({ where: { userId } })).toBe(0);
    const again = await agent.get("/review");
    expect(again.text).toContain("Your last grade was undone.");
    expect(shownCard(again.text)).toBe(cardKey);
    expect(again.text).not.toContain("Undo the last grade");
    expect((await post(agent, "/review/undo")).status).toBe(409);
  });

  it("suspends a card until unsuspended, and buries one until the next day", async () => {
    const { agent, userId, email } = await learnerWithCards();
    const dueBefore = await t.prisma.reviewItem.count({ where: { userId } });
    const first = shownCard((await agent.get("/review")).text)!;
    expect((await post(agent, `/review/${first}/suspension`, { suspended: "true" })).status).toBe(303);
    const second = shownCard((await agent.get("/review")).text)!;
    expect(second).not.toBe(first);
    expect((await post(agent, `/review/${second}/burial`)).status).toBe(303);
    const page = (await agent.get("/review")).text;
    expect([first, second]).not.toContain(shownCard(page));
    expect(page).toContain(`${dueBefore - 2} card(s) due`);
    const buried = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId, cardKey: second } });
    expect(buried.buriedUntil!.toISOString()).toBe("2026-06-04T00:00:00.000Z");

    clock.set(new Date("2026-06-04T00:00:01Z"));
    try {
      const tomorrow = await t.prisma.reviewItem.findMany({ where: { userId } });
      expect(tomorrow).toHaveLength(dueBefore);
      const next = await login(t.app, email); // a new day, a new session
      expect((await next.get("/exams")).text).toContain(`Review (${dueBefore - 1} due)`);
      await post(next, `/review/${first}/suspension`, { suspended: "false" });
      expect((await next.get("/exams")).text).toContain(`Review (${dueBefore} due)`);
    } finally {
      clock.set(new Date("2026-06-03T08:00:00Z"));
    }
  });

  it("refuses actions on cards that are not there, with 404 or 400", async () => {
    const { agent } = await learnerWithCards();
    expect((await post(agent, "/review/d:00000000-0000-4000-8000-000000000000/burial")).status).toBe(404);
    expect((await post(agent, "/review/x:1/suspension")).status).toBe(400);
  });
});

describe("daily limits", () => {
  it("validates the limits with messages on the page, and stops reviews at the daily limit", async () => {
    const { agent, userId } = await learnerWithCards();
    const bad = await post(agent, "/review/limits", { newCards: "-1", reviews: "many" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("New cards per day cannot be negative.");
    expect(bad.text).toContain("Give the reviews per day as a number.");
    expect(bad.text).toContain('value="many"');
    expect((await post(agent, "/review/limits", { newCards: "0", reviews: "1" })).status).toBe(303);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect([user.dailyNewCards, user.dailyReviews]).toEqual([0, 1]);

    const page = (await agent.get("/review")).text;
    const cardKey = shownCard(page)!;
    const version = /name="version" value="([^"]+)"/.exec(page)![1]!;
    await post(agent, `/review/${cardKey}/grade`, { rating: "3", version });
    const after = (await agent.get("/review")).text;
    expect(shownCard(after)).toBeUndefined();
    expect(after).toContain("reached today's limit of 1 reviews");
  });
});

describe("card browser", () => {
  it("lists the learner's cards, searched by topic and text, 20 a page", async () => {
    const { agent, userId } = await learnerWithCards();
    const mine = await t.prisma.reviewItem.findMany({ where: { userId } });
    const all = await agent.get("/review/cards");
    expect(all.status).toBe(200);
    expect(all.text).toContain(`${mine.length} card(s)`);
    expect(all.text).toContain("Which status code means Not Found?");
    const found = await agent.get("/review/cards?q=status%20code");
    expect(found.text).toContain("1 card(s)");
    expect(found.text).not.toContain("GET is a safe method");
    const none = await agent.get("/review/cards?topic=no-such-topic");
    expect(none.text).toContain("0 card(s)");
    const odd = await agent.get("/review/cards?q=%25_&page=abc");
    expect(odd.status).toBe(200);
    expect(odd.text).toContain("0 card(s)");
  });
});
