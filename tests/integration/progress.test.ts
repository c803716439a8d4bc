import { createExamFixture, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt, startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";
import { initialMastery, updateMastery } from "../../src/modules/progress/mastery";

const clock = new TestClock(new Date("2026-07-01T12:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** Choices by letter in the file's order; the fixture's exam is "exam-<bank slug>" and keeps question n at position n. */
const sit = async (agent: Agent, examSlug: string, answers: Record<number, unknown>) =>
  sitAttempt(
    agent,
    examSlug,
    await Promise.all(
      Object.entries(answers).map(async ([position, response]) => ({
        position: Number(position),
        response: await withStoredIds(t.prisma, examSlug.replace(/^exam-/, ""), Number(position), response),
      })),
    ),
  );

describe("progress", () => {
  it("folds each graded answer into the topic's mastery in the grading transaction", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    // The mock exam readiness is measured against: this bank's topic only.
    await t.prisma.exam.create({
      data: {
        slug: `mock-${slug}`,
        title: "Mock",
        kind: "mock",
        questionCount: 60,
        timeLimitSeconds: 3600,
        passMarkPercent: 70,
        blueprint: { [slug]: 1 },
        topicPaths: [slug],
      },
    });
    const user = await createUser(t.prisma);
    let agent = await login(t.app, user.email);
    await sit(agent, exam.slug, { 1: { type: "single", optionId: "a" }, 3: { type: "truefalse", value: false } });
    const row = await t.prisma.topicMastery.findUniqueOrThrow({
      where: { userId_topicPath: { userId: user.id, topicPath: slug } },
    });
    // Positions 1..6 in order (no shuffle), all of difficulty 2: 1 right, 3 wrong, the rest left
    // blank in a timed attempt (weaker evidence than a wrong answer).
    let expected = initialMastery();
    for (const score of [1, null, 0, null, null, null])
      expected = updateMastery(expected, {
        score: score ?? 0,
        difficulty: 2,
        at: clock.now().getTime(),
        blank: score === null,
      });
    expect(row.answers).toBe(6);
    expect(row.blanks).toBe(4);
    expect(row.alpha).toBeCloseTo(expected.alpha, 9);
    expect(row.beta).toBeCloseTo(expected.beta, 9);

    clock.advance(24 * 3600_000);
    agent = await login(t.app, user.email); // the session timed out meanwhile
    await sit(agent, exam.slug, {
      1: { type: "single", optionId: "a" },
      2: { type: "multiple", optionIds: ["a", "b"] },
    });
    const after = await t.prisma.topicMastery.findUniqueOrThrow({
      where: { userId_topicPath: { userId: user.id, topicPath: slug } },
    });
    for (const score of [1, 1, null, null, null, null])
      expected = updateMastery(expected, {
        score: score ?? 0,
        difficulty: 2,
        at: clock.now().getTime(),
        blank: score === null,
      });
    expect(after.answers).toBe(12);
    expect(after.blanks).toBe(8);
    expect(after.alpha).toBeCloseTo(expected.alpha, 9);
    expect(after.beta).toBeCloseTo(expected.beta, 9);
    const snapshots = await t.prisma.readinessSnapshot.findMany({ where: { userId: user.id }, orderBy: { at: "asc" } });
    // 2, then 4 questions answered in the exam's one topic: early estimates (5 make it ready).
    expect(snapshots.map((s) => s.status)).toEqual(["early", "early"]);
    // One right of two answered (and four blanks): well below the 70% pass mark, though an early
    // estimate from two answers leaves some chance; rising after the better sitting.
    expect(snapshots[0]!.pPass!).toBeLessThan(0.1);
    expect(snapshots[1]!.predictedPercent!).toBeGreaterThan(snapshots[0]!.predictedPercent!);
    const page = await agent.get("/progress");
    expect(page.text).toContain("Chance of passing now:");
    expect(page.text).toContain(`Practise your weakest topic: Exam bank ${slug}`);
  });

  it("counts a question left blank in a timed exam as weaker evidence than a wrong answer, and shows it", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const right = { 1: { type: "single", optionId: "a" } };
    const wrong = { 2: { type: "multiple", optionIds: ["c"] }, 3: { type: "truefalse", value: false } };
    const wrongLearner = await createUser(t.prisma);
    const blankLearner = await createUser(t.prisma);
    const w = await login(t.app, wrongLearner.email);
    const b = await login(t.app, blankLearner.email);
    // Both: question 1 right, 2 and 3 wrong; then 4, 5 and 6 wrong for one learner, blank for the other.
    await sit(w, exam.slug, {
      ...right,
      ...wrong,
      4: { type: "short", text: "UNIQUE" },
      5: { type: "numeric", value: 16 },
      6: { type: "ordering", itemIds: ["c", "b", "a"] },
    });
    await sit(b, exam.slug, { ...right, ...wrong });
    const rowOf = (userId: string) =>
      t.prisma.topicMastery.findUniqueOrThrow({ where: { userId_topicPath: { userId, topicPath: slug } } });
    const [wRow, bRow] = await Promise.all([rowOf(wrongLearner.id), rowOf(blankLearner.id)]);
    expect({ answers: wRow.answers, blanks: wRow.blanks }).toEqual({ answers: 6, blanks: 0 });
    expect({ answers: bRow.answers, blanks: bRow.blanks }).toEqual({ answers: 6, blanks: 3 });
    expect(bRow.alpha).toBeCloseTo(wRow.alpha, 9);
    // Three blanks weigh one and a half wrong answers.
    expect(wRow.beta - bRow.beta).toBeCloseTo(1.5, 9);
    // Both scored 1 of 6 in the exam itself.
    const scores = await t.prisma.attempt.findMany({
      where: { userId: { in: [wrongLearner.id, blankLearner.id] } },
      select: { correctCount: true },
    });
    expect(scores.map((s) => s.correctCount)).toEqual([1, 1]);

    const masteryOn = (page: string) => {
      const row = new RegExp(`<th scope="row">Exam bank ${slug}</th>[\\s\\S]*?</tr>`).exec(page)![0];
      return {
        percent: Number(/aria-label="(\d+)% \(between/.exec(row)![1]),
        answers: /data-label="Answers">([^<]*)</.exec(row)![1],
      };
    };
    const wPage = masteryOn((await w.get("/progress")).text);
    const bPage = masteryOn((await b.get("/progress")).text);
    expect(wPage.answers).toBe("6");
    expect(bPage.answers).toBe("3 (and 3 left blank)");
    expect(bPage.percent).toBeGreaterThan(wPage.percent);
  });

  it("shows a learner only their own progress, on the page and in the CSV", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const alice = await createUser(t.prisma);
    const bob = await createUser(t.prisma);
    const a = await login(t.app, alice.email);
    await sit(a, exam.slug, { 1: { type: "single", optionId: "a" } });
    const b = await login(t.app, bob.email);
    const bobPage = await b.get("/progress");
    expect(bobPage.status).toBe(200);
    expect(bobPage.text).toContain("Start the diagnostic");
    expect(bobPage.text).not.toContain(exam.title);
    const bobCsv = await b.get("/progress.csv");
    expect(bobCsv.headers["content-type"]).toContain("text/csv");
    expect(bobCsv.text).not.toContain(`${slug},6`);
    const aliceCsv = await a.get("/progress.csv");
    expect(aliceCsv.text.split("\n")[0]).toBe(
      "kind,date,topic,answers,estimate_percent,low_percent,high_percent,pass_probability_percent,blanks,status",
    );
    // One question answered, five left blank.
    expect(aliceCsv.text).toMatch(new RegExp(`^topic,,${slug},1,\\d+,\\d+,\\d+,,5,$`, "m"));
    const alicePage = await a.get("/progress");
    expect(alicePage.text).toContain(exam.title);
  });

  it("starts a drill on a topic in one click", async () => {
    const { slug } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const token = await tokenFor(agent, "/progress");
    const res = await agent.post("/progress/drills").type("form").send({ _csrf: token, topic: slug });
    expect(res.status).toBe(303);
    const attemptId = (res.headers.location as string).split("/").pop()!;
    const attempt = await t.prisma.attempt.findUniqueOrThrow({
      where: { id: attemptId },
      include: { exam: true, items: true },
    });
    expect(attempt.exam).toMatchObject({ kind: "custom", topicPaths: [slug], ownerId: user.id, published: false });
    expect(attempt.items.length).toBe(6); // the fixture bank has 6 questions; the drill asks for 10
  });
});

describe("progress under concurrent submissions", () => {
  /**
   * `count` mock exams over one 6-question bank, so a learner can hold that many open attempts
   * (practice modules leave out questions held by another open attempt; mocks draw their whole pool).
   */
  async function examsOverOneBank(count: number) {
    const fixture = await createExamFixture(t.prisma);
    const { slug } = fixture;
    const exam = await t.prisma.exam.update({
      where: { id: fixture.exam.id },
      data: { kind: "mock", blueprint: { [slug]: 100 } },
    });
    const more = await Promise.all(
      Array.from({ length: count - 1 }, (_, i) =>
        t.prisma.exam.create({
          data: {
            slug: `${exam.slug}-${i + 2}`,
            title: `${exam.title} (${i + 2})`,
            kind: "mock",
            blueprint: { [slug]: 100 },
            questionCount: 6,
            timeLimitSeconds: 600,
            passMarkPercent: 70,
            shuffleQuestions: false,
            shuffleOptions: false,
            topicPaths: [slug],
          },
        }),
      ),
    );
    return { slug, exams: [exam, ...more] };
  }

  async function submitTogether(count: number) {
    const { slug, exams } = await examsOverOneBank(count);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const attemptIds: string[] = [];
    for (const exam of exams) attemptIds.push(await startAttempt(agent, exam.slug));
    const token = await tokenFor(agent, "/exams");
    const responses = await Promise.all(
      attemptIds.map((id) => agent.post(`/attempts/${id}/submission`).type("form").send({ _csrf: token })),
    );
    expect(responses.map((r) => r.status)).toEqual(attemptIds.map(() => 303));
    const row = await t.prisma.topicMastery.findUniqueOrThrow({
      where: { userId_topicPath: { userId: user.id, topicPath: slug } },
    });
    return row.answers;
  }

  it("two attempts submitted together both count, every time (10 trials)", async () => {
    const counts: number[] = [];
    for (let trial = 0; trial < 10; trial += 1) counts.push(await submitTogether(2));
    expect(counts).toEqual(Array.from({ length: 10 }, () => 12));
  });

  it("ten attempts submitted together all count", async () => {
    expect(await submitTogether(10)).toBe(60);
  });
});
