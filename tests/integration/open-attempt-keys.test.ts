// While a learner has a timed attempt open, nothing else they can reach shows a key of one of
// its questions: practice drawn then leaves them out, results of other attempts hold their
// keys back, and review cards of them are neither shown nor due. Each path with a mock open.
import { createExamFixture, LEAK, wrongAnswers } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt, startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

const clock = new TestClock(new Date("2026-07-01T08:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** The fixture bank (6 questions, each explanation marked LEAK-n), a practice module over it
 * and a mock exam that draws 3 of its questions. */
async function setting() {
  const { slug, exam: module } = await createExamFixture(t.prisma);
  const mock = await t.prisma.exam.create({
    data: {
      slug: `mock-${slug}`,
      title: `Mock ${slug}`,
      kind: "mock",
      questionCount: 3,
      timeLimitSeconds: 3600,
      passMarkPercent: 70,
      blueprint: { [slug]: 1 },
      reviewPolicy: "after_submit",
    },
  });
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  return { slug, module, mock, user, agent };
}

/** The bank numbers (n of `${slug}-n`) of the questions in an attempt. */
async function numbersIn(attemptId: string): Promise<number[]> {
  const items = await itemsWithVersions(t.prisma, {
    where: { attemptId },
  });
  return items.map((i) => Number(i.questionVersion.question.externalId.split("-").pop())).sort();
}

const leaksOf = (text: string, numbers: number[]) => numbers.filter((n) => text.includes(`${LEAK}-${n}`));

async function submit(agent: Agent, attemptId: string) {
  const token = await tokenFor(agent, `/attempts/${attemptId}/summary`);
  const res = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
  expect(res.status).toBe(303);
}

describe("with a mock attempt open", () => {
  it("a custom quiz on the same topics leaves out the open attempt's questions, and submitting it at once shows none of their keys", async () => {
    const { slug, mock, agent } = await setting();
    const mockAttempt = await startAttempt(agent, mock.slug);
    const open = await numbersIn(mockAttempt);
    expect(open).toHaveLength(3);

    const token = await tokenFor(agent, "/exams/custom");
    const res = await agent
      .post("/exams/custom")
      .type("form")
      .send({ _csrf: token, topics: slug, questionCount: "6", minutes: "5" });
    expect(res.status).toBe(303);
    const quiz = (res.headers.location as string).split("/").pop()!;
    const drawn = await numbersIn(quiz);
    expect(drawn).toHaveLength(3);
    expect(drawn.filter((n) => open.includes(n))).toEqual([]);
    await submit(agent, quiz);
    const result = (await agent.get(`/attempts/${quiz}/result`)).text;
    expect(leaksOf(result, drawn)).toEqual(drawn); // its own keys are shown
    expect(leaksOf(result, open)).toEqual([]);

    // With every question of the topic in the open attempt, there is nothing left to draw.
    const second = await setting();
    const all = await t.prisma.exam.update({ where: { id: second.mock.id }, data: { questionCount: 6 } });
    await startAttempt(second.agent, all.slug);
    const refused = await second.agent
      .post("/exams/custom")
      .type("form")
      .send({
        _csrf: await tokenFor(second.agent, "/exams/custom"),
        topics: second.slug,
        questionCount: "3",
        minutes: "5",
      });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("in an attempt you have open");
  });

  it("results of other attempts hold back the key, explanation and correctness of its questions until it closes", async () => {
    const { module, mock, agent } = await setting();
    // Sat before the mock opened: all six questions, keys shown.
    const earlier = await sitAttempt(agent, module.slug, [
      { position: 3, response: { type: "truefalse", value: true } },
    ]);
    expect(leaksOf((await agent.get(`/attempts/${earlier}/result`)).text, [1, 2, 3, 4, 5, 6])).toHaveLength(6);
    // A practice attempt started before the mock (so drawn from everything), submitted during it.
    const practice = await startAttempt(agent, module.slug);

    const mockAttempt = await startAttempt(agent, mock.slug);
    const open = await numbersIn(mockAttempt);
    const shown = [1, 2, 3, 4, 5, 6].filter((n) => !open.includes(n));
    await submit(agent, practice);
    for (const attemptId of [earlier, practice]) {
      const page = (await agent.get(`/attempts/${attemptId}/result`)).text;
      expect(leaksOf(page, open)).toEqual([]);
      expect(leaksOf(page, shown)).toEqual(shown);
      for (const position of open) {
        // The fixture module does not shuffle: position n is question n.
        expect(page).toContain(`<h3>Question ${position}</h3>`);
        expect(page).not.toMatch(new RegExp(`Question ${position}: (correct|incorrect)`));
      }
      // The truefalse key (question 3) is the word "True": its line is absent when held.
      if (open.includes(3)) expect(page).not.toContain("<strong>Correct answer:</strong> True");
    }

    await submit(agent, mockAttempt);
    const after = (await agent.get(`/attempts/${earlier}/result`)).text;
    expect(leaksOf(after, [1, 2, 3, 4, 5, 6])).toHaveLength(6);
  });

  it("review cards of its questions are neither shown nor due until it closes", async () => {
    const { slug, module, mock, agent, user } = await setting();
    await sitAttempt(agent, module.slug, await wrongAnswers(t.prisma, slug)); // six misses: six cards due now
    const mockAttempt = await startAttempt(agent, mock.slug);
    const open = await numbersIn(mockAttempt);
    const items = await itemsWithVersions(t.prisma, { where: { attemptId: mockAttempt } });
    const questions = [
      ...new Map(items.map((i) => [i.questionVersion.question.id, i.questionVersion.question])).values(),
    ];
    const heldKeys = new Set(questions.map((q) => `q:${q.id}`));
    const navOf = async () => /href="\/review">(Review[^<]*)</.exec((await agent.get("/exams")).text)?.[1];
    expect(await navOf()).toBe("Review (3 due)");

    // Go through the whole review session: the three held cards never come up.
    const seen: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const page = (await agent.get("/review")).text;
      expect(leaksOf(page, open)).toEqual([]);
      const card = /action="\/review\/(q:[0-9a-f-]{36})\/grade"/.exec(page);
      if (!card) break;
      if (i === 0) expect(page).toContain("3 card(s) due");
      seen.push(card[1]!);
      const version = /name="version" value="([^"]+)"/.exec(page)![1]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      const graded = await agent
        .post(`/review/${card[1]}/grade`)
        .type("form")
        .send({ _csrf: csrf, rating: "4", version });
      expect(graded.status).toBe(303);
    }
    expect(seen).toHaveLength(3);
    // Only held cards are due now: the navigation counts none (it does not say 0 either).
    expect(await navOf()).toBe("Review");
    expect(seen.filter((key) => heldKeys.has(key))).toEqual([]);
    expect(await t.prisma.reviewItem.count({ where: { userId: user.id, cardKey: { in: [...heldKeys] } } })).toBe(3);

    // Grading a held card by its address is refused as if it did not exist.
    const csrf = await tokenFor(agent, "/review");
    const held = await agent
      .post(`/review/${[...heldKeys][0]}/grade`)
      .type("form")
      .send({ _csrf: csrf, rating: "3", version: "0-0" });
    expect(held.status).toBe(404);

    await submit(agent, mockAttempt);
    const back = (await agent.get("/review")).text;
    expect(back).toContain("3 card(s) due");
    expect(await navOf()).toBe("Review (3 due)");
    expect([...heldKeys].some((key) => back.includes(key))).toBe(true);
  });
});
