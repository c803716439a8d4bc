import { createExamFixture, LEAK } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner practises a module: answers, checks, reads why, moves on, and finishes", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Practice (check as you go) for ${exam.title}` }).click();

  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  expect(await page.locator("main").innerText()).not.toContain(LEAK);
  expect(await page.locator(".timer").count()).toBe(0);
  await page.getByLabel("500").check();
  await page.getByRole("button", { name: "Check" }).click();
  // Marked in place (the script), with the explanation and each option's verdict.
  await page.getByRole("heading", { name: "Not correct" }).waitFor();
  expect(new URL(page.url()).search).toBe("");
  const main = await page.locator("main").innerText();
  expect(main).toContain(`${LEAK}-1 explains the key`);
  expect(main).toContain("Right answer, not chosen:");
  expect(await page.getByLabel("500").isDisabled()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "Next question" }).click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  expect(await page.locator("main").innerText()).not.toContain(`${LEAK}-2`);
  await page.getByLabel("PUT").check();
  await page.getByLabel("DELETE").check();
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByRole("heading", { name: "Correct" }).waitFor();

  // After a reload the marking is still there and the answer still locked.
  await page.reload();
  await page.getByRole("heading", { name: "Correct" }).waitFor();
  expect(await page.getByLabel("PUT").isChecked()).toBe(true);
  expect(await page.getByLabel("PUT").isDisabled()).toBe(true);

  await page.goto(`${e.baseUrl}${new URL(page.url()).pathname}/summary`);
  await page.getByText("2 of 6 answers checked").waitFor();
  await page.getByRole("button", { name: "Finish the practice" }).click();
  await page.getByRole("heading", { name: /result/ }).waitFor();
  expect(await page.locator("main").innerText()).toContain("1 of 6 correct");
  await page.close();
});

it("without JavaScript, Check posts the form and the question comes back marked", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const context = await e.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Practice (check as you go) for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByLabel("404").check();
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByRole("heading", { name: "Correct" }).waitFor();
  expect(await page.locator("main").innerText()).toContain(`${LEAK}-1`);
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  await context.close();
});
