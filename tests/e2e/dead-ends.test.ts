// No dead ends: error pages lead on, a late answer leads to the result, forms keep what was
// typed, and leaving a question page keeps its answer, with and without JavaScript.
import type { BrowserContext } from "playwright-core";
import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

async function signIn(email: string, javaScriptEnabled = true): Promise<BrowserContext> {
  const context = await e.browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.close();
  return context;
}

it("error pages say what happened and link to the next step", async () => {
  const user = await createUser(e.t.prisma);
  const context = await signIn(user.email);
  const page = await context.newPage();
  const next = page.getByRole("navigation", { name: "Where to go next" });
  await page.goto(`${e.baseUrl}/teach`);
  expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Not allowed");
  expect(await next.getByRole("link", { name: "Back to the start page" }).isVisible()).toBe(true);
  await page.goto(`${e.baseUrl}/attempts/00000000-0000-4000-8000-000000000000/result`);
  expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Page not found");
  expect(await next.getByRole("link", { name: "Back to exams" }).isVisible()).toBe(true);
  await page.goto(`${e.baseUrl}/review/not-a-card/grade`);
  expect(await next.getByRole("link").count()).toBeGreaterThan(0);
  await context.close();
});

it("without JavaScript: a late answer leads to the result, and 'Review all answers' keeps a ticked answer", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const context = await signIn(user.email, false);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByLabel("404").check();
  await page.getByRole("button", { name: "Review all answers and submit" }).click();
  await page.getByRole("heading", { name: "Review before you submit" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("1 of 6 questions answered");

  // The clock runs out while the page is open; the learner then answers and presses Save.
  await page.getByRole("link", { name: "Question 2" }).first().click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  const attemptId = new URL(page.url()).pathname.split("/")[2]!;
  await e.t.prisma.attempt.update({ where: { id: attemptId }, data: { deadlineAt: new Date(Date.now() - 60_000) } });
  await page.getByLabel("PUT").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  expect(await page.getByRole("status").filter({ hasText: "This answer was not saved. Time is up" }).isVisible()).toBe(
    true,
  );
  expect(await page.locator(".score").innerText()).toContain("1 of 6 correct");
  await context.close();
});

it("the custom quiz form keeps the ticked topics and numbers and says what to fix", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const topic = exam.topicPaths[0]!;
  const user = await createUser(e.t.prisma);
  const context = await signIn(user.email, false);
  const page = await context.newPage();
  await page.goto(`${e.baseUrl}/exams/custom`);
  const box = page.locator(`input[name="topics"][value="${topic}"]`);
  await box.check();
  await page.getByRole("spinbutton", { name: "Questions" }).fill("0");
  await page.getByRole("spinbutton", { name: "Minutes" }).fill("20");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await page.getByRole("heading", { name: "Build a quiz" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("Ask for at least 1 question.");
  expect(await page.locator("main").innerText()).not.toContain("Invalid input");
  expect(await page.locator(`input[name="topics"][value="${topic}"]`).isChecked()).toBe(true);
  expect(await page.getByRole("spinbutton", { name: "Minutes" }).inputValue()).toBe("20");
  expect(await page.getByRole("spinbutton", { name: "Questions" }).inputValue()).toBe("0");

  // Nothing ticked: the message names the topics, the numbers stay.
  await page.locator(`input[name="topics"][value="${topic}"]`).uncheck();
  await page.getByRole("spinbutton", { name: "Questions" }).fill("5");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await page.getByRole("heading", { name: "Build a quiz" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("Choose at least one topic.");
  expect(await page.getByRole("spinbutton", { name: "Questions" }).inputValue()).toBe("5");
  await context.close();
});

it("with JavaScript, a typed answer is saved when the learner follows a link away", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const context = await signIn(user.email);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  const questionUrl = `${e.baseUrl}${new URL(page.url()).pathname}?q=5`;
  await page.goto(questionUrl);
  await page.getByRole("heading", { name: "Question 5 of 6" }).waitFor();
  await page.getByLabel("Your answer").fill("32");
  await page.locator(".brand").click(); // at once, before the typing pause
  await page.waitForURL(`${e.baseUrl}/`);
  await page.goto(questionUrl);
  await page.getByRole("heading", { name: "Question 5 of 6" }).waitFor();
  expect(await page.getByLabel("Your answer").inputValue()).toBe("32");
  await context.close();
});
