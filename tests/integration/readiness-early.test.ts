// Readiness after the shipped diagnostic: two answers in every topic give a first estimate of
// the shipped mock exam (its quota-based difficulty mix), labelled early, with wide ranges, on
// the progress page, the home page and through the API. Its own database (tests/support/shipped.ts).
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor } from "../support/http";
import { loadShippedContent, ownDatabase, someAnswer } from "../support/shipped";
import { itemsWithVersions } from "../support/items";

jest.setTimeout(120_000);

let t: TestApp;
let drop: () => Promise<void>;
beforeAll(async () => {
  const own = await ownDatabase("early");
  drop = own.drop;
  t = await createTestApp({ route: () => own.url });
  await loadShippedContent(t);
});
afterAll(async () => {
  await t?.close();
  await drop?.();
});

it("after the diagnostic a learner sees an early estimate with its wide range, on every page that shows readiness", async () => {
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const before = await agent.get("/progress");
  expect(before.text).toContain("Not enough data yet: take a quiz");

  const csrf = await tokenFor(agent, "/");
  const started = await agent.post("/exams/diagnostic/attempts").type("form").send({ _csrf: csrf });
  expect(started.status).toBe(303);
  const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(started.headers.location as string)![1]!;
  const items = await itemsWithVersions(t.prisma, {
    where: { attemptId },
    orderBy: { position: "asc" },
  });
  expect(items).toHaveLength(30);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  for (const item of items) {
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: item.position, seq: 1, response: someAnswer(item) });
    expect(saved.status).toBe(200);
  }
  const submitted = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
  expect(submitted.status).toBe(303);

  // Stored: an early estimate, every topic short of the full five answers.
  const mock = await t.prisma.exam.findUniqueOrThrow({ where: { slug: "backend-mock-exam" } });
  const topics = Object.keys(mock.blueprint as Record<string, number>);
  expect(topics).toHaveLength(15);
  const snapshot = await t.prisma.readinessSnapshot.findFirstOrThrow({ where: { userId: user.id } });
  expect(snapshot.status).toBe("early");
  expect(snapshot.missingTopics).toEqual(topics);
  const low = snapshot.predictedLow!;
  const high = snapshot.predictedHigh!;
  expect(low).toBeLessThanOrEqual(snapshot.predictedPercent!);
  expect(snapshot.predictedPercent!).toBeLessThanOrEqual(high);
  // Two answers a topic: a sitting could land anywhere in a band of more than 15 points.
  expect(high - low).toBeGreaterThan(15);
  expect(snapshot.pPassLow!).toBeLessThanOrEqual(snapshot.pPass!);
  expect(snapshot.pPass!).toBeLessThanOrEqual(snapshot.pPassHigh!);

  // The progress page: labelled early, with both ranges, saying it firms up.
  const page = (await agent.get("/progress")).text;
  expect(page).toContain('<strong class="early-label">Early estimate</strong>');
  expect(page).toContain(
    `(90% of sittings between ${low.toFixed(0)}% and ${high.toFixed(0)}%) against a pass mark of 70%`,
  );
  expect(page).toMatch(/Chance of passing now: <strong>\d+%<\/strong> \(likely between \d+% and \d+%\)/);
  expect(page).toContain("It firms up as you answer more, and stops being early once every topic has 5 answers.");
  expect(page).toContain("Every topic has fewer than 5 so far.");
  expect(page).toMatch(/<td data-label="Predicted">[\d.]+% \(early\)<\/td>/);

  // The home page: the same label and range.
  const home = (await agent.get("/")).text;
  expect(home).toContain('<strong class="early-label">Early estimate</strong>');
  expect(home).toContain(
    `Predicted score ${snapshot.predictedPercent!.toFixed(0)}% (likely ${low.toFixed(0)}-${high.toFixed(0)}%) against a pass mark of 70%`,
  );
  expect(home).toContain("it firms up as you answer more");

  // The API: status "early" as its OpenAPI document describes it, with the ranges.
  const api = await ContractClient.load(t.app);
  const { token: bearer } = await createToken(t.prisma, user.id);
  const progress = await api.call("get", "/progress", { token: bearer });
  expect(progress.status).toBe(200);
  expect(progress.body.readiness).toMatchObject({
    status: "early",
    predictedLow: low,
    predictedHigh: high,
    passProbabilityLow: snapshot.pPassLow,
    passProbabilityHigh: snapshot.pPassHigh,
    missingTopics: topics,
  });
  expect(progress.body.topics.find((tp: { path: string }) => tp.path === "sql")).toMatchObject({
    answers: 2,
    blanks: 0,
    enough: false,
  });
});
