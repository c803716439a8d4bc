import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner reviews three missed questions with the keyboard only", async () => {
  const { slug } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const questions = await e.t.prisma.question.findMany({
    where: { bank: { slug } },
    include: { topic: true },
    orderBy: { externalId: "asc" },
    take: 3,
  });
  await e.t.prisma.reviewItem.createMany({
    data: questions.map((q) => ({
      userId: user.id,
      cardKey: `q:${q.id}`,
      questionId: q.id,
      topicPath: q.topic.path,
      origin: "missed",
      due: new Date(Date.now() - 60_000),
    })),
  });
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login?next=/review`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Review", exact: true }).waitFor();
  expect(await page.locator("main").innerText()).toContain("3 card(s) due");
  expect(await seriousViolations(page)).toEqual([]);

  for (let i = 0; i < 3; i += 1) {
    await page.locator(".card-front").waitFor();
    await page.waitForLoadState("load"); // the keyboard script is deferred: wait until it runs
    expect(await page.locator("#card-back").getAttribute("open")).toBeNull();
    await page.keyboard.press("Space");
    expect(await page.locator("#card-back").getAttribute("open")).not.toBeNull();
    await page.getByText("SECRET-EXPLANATION").waitFor();
    await Promise.all([page.waitForNavigation(), page.keyboard.press("3")]);
  }
  // Other tests' deck cards may be waiting as new cards in this database; none is due.
  await page.getByText(/^0 card\(s\) due/).waitFor();
  const items = await e.t.prisma.reviewItem.findMany({ where: { userId: user.id } });
  expect(items.map((i) => i.reps)).toEqual([1, 1, 1]);
  expect(items.every((i) => i.due.getTime() > Date.now())).toBe(true);
  await page.close();
});
