// Choosing a stack at the start of a mock exam, in Chromium.
import { createFormsFixture } from "../factories/forms";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner must choose a language, starts the mock exam in Go, resumes it and sees Go on the result", async () => {
  const fixture = await createFormsFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Choose your stack and start ${fixture.mockTitle}` }).click();

  await page.getByRole("heading", { name: fixture.mockTitle }).waitFor();
  expect(await page.getByRole("group", { name: "Choose your stack" }).isVisible()).toBe(true);
  expect(await page.getByLabel("Ruby").count()).toBe(0); // too few questions to offer
  expect(await seriousViolations(page)).toEqual([]);

  // Starting without a choice: the form again, with a message, and no attempt.
  await page.getByRole("button", { name: "Start the exam" }).click();
  await page.getByText("Choose one of the languages listed.").waitFor();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Go").check();
  await page.getByRole("button", { name: "Start the exam" }).click();
  await page.getByRole("heading", { name: "Question 1 of 8" }).waitFor();
  const firstStem = await page.locator(".stem").first().innerText();

  // Back to the start page: it resumes the same attempt, whatever was chosen.
  await page.goto(`${e.baseUrl}/exams/${fixture.mock}/start`);
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("heading", { name: /Question \d of 8/ }).waitFor();
  await page.goto(`${e.baseUrl}${new URL(page.url()).pathname}?q=1`);
  expect(await page.locator(".stem").first().innerText()).toBe(firstStem);

  const attempt = await e.t.prisma.attempt.findFirstOrThrow({
    where: { userId: user.id },
    include: { items: true },
  });
  expect(attempt.stack).toBe(`${fixture.lang}/go`);
  expect(
    attempt.items
      .filter((i) => i.topicPath.startsWith(`${fixture.lang}/`))
      .map((i) => i.topicPath)
      .sort(),
  ).toEqual([`${fixture.lang}/concepts`, `${fixture.lang}/concepts`, `${fixture.lang}/go`, `${fixture.lang}/go`]);

  await page.goto(`${e.baseUrl}/attempts/${attempt.id}/summary`);
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByRole("heading", { name: `${fixture.mockTitle}: result` }).waitFor();
  expect(await page.locator(".stack").innerText()).toContain("Languages section: Go");
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});
