// The home page of a returning learner, and the pages while the shipped banks load.
import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

async function signIn(email: string, width = 390) {
  const context = await e.browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { context, page };
}

it("a returning learner sees what is due, the open attempt, readiness, one next step and their activity", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const { context, page } = await signIn(user.email);

  // New: the next step is the diagnostic.
  await page.goto(`${e.baseUrl}/`);
  expect(await page.getByRole("heading", { name: "Your next step" }).isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Start the diagnostic" }).isVisible()).toBe(true);
  expect(await page.locator(".streak").innerText()).toContain("0-day streak");

  // A submitted attempt with three answers, then an open one.
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByLabel("500").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  await page.getByLabel("PUT").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 3 of 6" }).waitFor();
  await page.getByLabel("True").check();
  await page
    .getByRole("button", { name: "Save and review" })
    .or(page.getByRole("button", { name: "Save and next" }))
    .first()
    .click();
  await page.getByRole("heading", { name: "Question 4 of 6" }).waitFor();
  await page.goto(page.url().replace(/\?.*$/, "/summary"));
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByLabel("404").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();

  await page.goto(`${e.baseUrl}/`);
  // One next step: the open attempt, with its time left.
  const next = page.locator(".next-step");
  expect(await next.getByRole("link").count()).toBe(1);
  expect(await next.getByRole("link").innerText()).toMatch(new RegExp(`^Resume ${exam.title} \\(\\d+:\\d\\d left\\)$`));
  const open = page.getByRole("region", { name: "Open attempts" });
  expect(await open.innerText()).toMatch(/left/);
  expect(await page.getByRole("region", { name: "Cards due today" }).locator(".big-number").innerText()).toMatch(
    /^\d+$/,
  );
  expect(await page.getByRole("region", { name: "Readiness" }).isVisible()).toBe(true);

  // The activity map: a table with a label for every day; today counts the 4 answers saved.
  const map = page.getByRole("table", { name: /last 12 weeks/ });
  expect(await map.locator("td.heat").count()).toBe(84);
  const today = map.locator("td.today");
  expect(await today.locator(".visually-hidden").innerText()).toMatch(/: 4 activities$/);
  expect(await today.getAttribute("class")).toContain("heat-1");
  expect(await page.locator(".streak").innerText()).toContain("1-day streak");
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // Once the open attempt is submitted, the next step moves on (cards due or the weakest topic).
  await page.goto(
    `${e.baseUrl}${new URL((await next.getByRole("link").getAttribute("href")) ?? "/", e.baseUrl).pathname}/summary`,
  );
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  await page.goto(`${e.baseUrl}/`);
  expect(await next.innerText()).toMatch(/Review \d+ cards? due today|Practise your weakest topic/);
  await context.close();
});

it("while the shipped banks load, the home and exams pages say so and the start buttons wait", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const { context, page } = await signIn(user.email, 1280);
  e.t.content.startLoading();
  try {
    for (const path of ["/", "/exams"]) {
      await page.goto(`${e.baseUrl}${path}`);
      expect(await page.getByRole("status").filter({ hasText: "question banks are loading" }).isVisible()).toBe(true);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    }
    const start = page.getByRole("button", { name: `Timed for ${exam.title}` });
    expect(await start.isDisabled()).toBe(true);
    await page.goto(`${e.baseUrl}/`);
    expect(await page.getByRole("button", { name: "Start the diagnostic" }).isDisabled()).toBe(true);

    // A start sent anyway (an old tab) is told to wait, with a way on.
    await page.goto(`${e.baseUrl}/exams`);
    await start.evaluate((b) => (b as HTMLButtonElement).removeAttribute("disabled"));
    await start.click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.locator("main").innerText()).toContain("still loading");
    expect(await page.getByRole("link", { name: "Back to exams" }).isVisible()).toBe(true);
  } finally {
    e.t.content.doneLoading();
  }
  await page.goto(`${e.baseUrl}/exams`);
  expect(await page.getByRole("status").filter({ hasText: "question banks are loading" }).count()).toBe(0);
  expect(await page.getByRole("button", { name: `Timed for ${exam.title}` }).isDisabled()).toBe(false);
  await context.close();
});
