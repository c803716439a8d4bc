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

it("a learner starts a practice module, answers, reloads midway, submits and reads the review", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();

  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("404").check();
  await page.getByText(/^Saved at/).waitFor(); // autosave by the page script
  await page.getByRole("button", { name: "Save and next" }).click();

  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  await page.getByLabel("PUT").check();
  await page.getByLabel("DELETE").check();
  await page.getByText(/^Saved at/).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  expect(await page.getByLabel("PUT").isChecked()).toBe(true);
  expect(await page.getByLabel("DELETE").isChecked()).toBe(true);
  await page.getByRole("button", { name: "Save and next" }).click();

  await page.getByRole("heading", { name: "Question 3 of 6" }).waitFor();
  await page.getByLabel("True").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 4 of 6" }).waitFor();
  await page.getByLabel("Your answer").fill("wrong on purpose");
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 5 of 6" }).waitFor();
  await page.getByLabel("Your answer").fill("32");
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 6 of 6" }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Save and review" }).click();

  await page.getByRole("heading", { name: "Review before you submit" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("5 of 6 questions answered");
  await page.getByRole("button", { name: "Submit my answers" }).click();

  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  expect(await page.locator(".score").textContent()).toContain("4 of 6 correct");
  expect(await page.getByText("Question 4: incorrect").isVisible()).toBe(true);
  expect(await page.getByText("SECRET-EXPLANATION-4 explains the key.").isVisible()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // The dashboard now shows the topic taken, with its answers counted (question 6, left blank
  // in this timed attempt, beside them).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Progress" }).click();
  await page.getByRole("heading", { name: "Your progress" }).waitFor();
  const row = page.getByRole("row", { name: new RegExp(`Exam bank ${exam.title.replace("Exam ", "")}`) });
  expect(await row.innerText()).toContain("5 (and 1 left blank)");
  expect(await page.locator("main").innerText()).toContain("Practise your weakest topic");
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});

it("an answer given after the session ended says it was not saved, and is saved after signing in again", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByLabel("404").check();
  await page.getByText(/^Saved at/).waitFor();

  // The session ends on the server (as after the idle timeout): its row is gone.
  await e.t.db.pool.query(`DELETE FROM "session" WHERE sess::jsonb #>> '{passport,user,id}' = $1`, [user.id]);
  await page.getByLabel("500").check();
  await page.getByText(/^Not saved: You are signed out/).waitFor();
  expect(await page.getByText(/^Saved at/).count()).toBe(0);
  const chosen = await page.getByLabel("500").getAttribute("value");
  const attemptId = new URL(page.url()).pathname.split("/")[2]!;
  const item = () =>
    e.t.prisma.attemptItem.findUniqueOrThrow({ where: { attemptId_position: { attemptId, position: 1 } } });
  expect((await item()).response).toMatchObject({ type: "single" });
  expect((await item()).response).not.toMatchObject({ optionId: chosen });

  await page.getByRole("link", { name: "Sign in again" }).click();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByText(/^Saved at/).waitFor(); // the kept answer, sent again by the page
  expect(await page.getByLabel("500").isChecked()).toBe(true);
  expect((await item()).response).toEqual({ type: "single", optionId: chosen });
  await page.reload();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  expect(await page.getByLabel("500").isChecked()).toBe(true);
  await page.close();
});
