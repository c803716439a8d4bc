// A short-answer pattern stored before patterns were checked (here written straight into the
// database) must not let one answer freeze the server: `(a+)+b` and 34 a's took 150 s in a
// backtracking engine, at submission and again at every deadline sweep.
import { createExamFixture } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";
import { whileProbing } from "../support/responsiveness";

const clock = new TestClock(new Date("2026-05-04T10:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const SHORT_POSITION = 4; // the fixture's short-answer question, in order

async function examWithStoredPattern(pattern: string) {
  const { slug, exam } = await createExamFixture(t.prisma);
  const version = await t.prisma.questionVersion.findFirstOrThrow({
    where: { question: { externalId: `${slug}-${SHORT_POSITION}` } },
  });
  await t.prisma.questionVersion.update({
    where: { id: version.id },
    data: { body: { ...(version.body as object), pattern } },
  });
  return exam;
}

async function learnerAnswering(examSlug: string, text: string) {
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, examSlug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  const saved = await agent
    .post(`/attempts/${attemptId}/answers`)
    .set("x-csrf-token", token)
    .send({ position: SHORT_POSITION, seq: 1, response: { type: "short", text }, flagged: false });
  expect(saved.status).toBe(200);
  return { agent, attemptId, token };
}

describe("a catastrophic pattern already stored", () => {
  it("grades a submission quickly while /healthz keeps answering", async () => {
    const exam = await examWithStoredPattern("(a+)+b");
    const { agent, attemptId, token } = await learnerAnswering(exam.slug, "a".repeat(34));
    const run = await whileProbing(t.app, () =>
      agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token }),
    );
    expect(run.result.status).toBe(303);
    expect(run.result.headers.location).toBe(`/attempts/${attemptId}/result`);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId }, include: { items: true } });
    expect(attempt.status).toBe("submitted");
    expect(attempt.items.find((i) => i.position === SHORT_POSITION)).toMatchObject({ correct: false, score: 0 });
    expect(run.slowestHealthMs).toBeLessThan(1000);
    expect(run.maxLoopDelayMs).toBeLessThan(1000);
    console.info(
      `ReDoS submit: ${run.elapsedMs.toFixed(0)} ms, event-loop delay max ${run.maxLoopDelayMs.toFixed(0)} ms, slowest /healthz ${run.slowestHealthMs.toFixed(0)} ms over ${run.probes} probes`,
    );
  });

  it("still accepts an answer the pattern matches", async () => {
    const exam = await examWithStoredPattern("(a+)+b");
    const { agent, attemptId, token } = await learnerAnswering(exam.slug, "aaab");
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: SHORT_POSITION } });
    expect(item).toMatchObject({ correct: true, score: 1 });
  });

  it("lets the deadline sweep grade an overdue attempt quickly", async () => {
    const exam = await examWithStoredPattern("(a+)+b");
    const { attemptId } = await learnerAnswering(exam.slug, "a".repeat(34));
    clock.advance(exam.timeLimitSeconds * 1000 + 60_000);
    const run = await whileProbing(t.app, () => t.sweepOverdue());
    expect(run.result).toBeGreaterThanOrEqual(1);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "submitted", submittedBy: "deadline" });
    expect(run.slowestHealthMs).toBeLessThan(1000);
  });
});
