// A learner practises essays in Chromium: writes an answer, asks for the model answer, compares,
// assesses themselves; the essay is not scored, and comes back as a review card whose back is
// the model answer.
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";
import { essayBank, MODEL, positionsOf } from "../support/essays";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner writes an essay, compares it with the model answer, assesses it, and meets it again in review", async () => {
  const { exam } = await essayBank(e.t.app, e.t.prisma);
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Practice (check as you go) for ${exam.title}` }).click();
  await page.getByRole("heading", { name: /Question 1 of 3/ }).waitFor();
  const attemptPath = new URL(page.url()).pathname;
  const pos = await positionsOf(e.t.prisma, attemptPath.split("/").pop()!);

  await page.goto(`${e.baseUrl}${attemptPath}?q=${pos["1"]}`);
  await page.getByRole("textbox", { name: "Your answer" }).waitFor();
  expect(await page.locator("main").innerText()).not.toContain(MODEL);
  await page
    .getByRole("textbox", { name: "Your answer" })
    .fill("Sending it twice leaves the same state.\nNo new resource appears.");
  await page.getByRole("button", { name: "Show model answer" }).click();
  // Shown in place (the script): the answer beside the model answer and the explanation.
  await page.getByRole("heading", { name: "Compare your answer with the model answer" }).waitFor();
  const main = await page.locator("main").innerText();
  expect(main).toContain(`${MODEL}-1`);
  expect(main).toContain("Sending it twice leaves the same state.");
  expect(main).toContain("EXPLAINS-ESSAY-1");
  expect(main).not.toContain("Not correct");
  expect(await page.getByRole("textbox", { name: "Your answer" }).isDisabled()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Missed it" }).click();
  await page.getByText("Your assessment: Missed it").waitFor();
  expect(await page.getByRole("button", { name: "I had it" }).count()).toBe(0);
  expect(await page.getByRole("textbox", { name: "Your answer" }).inputValue()).toContain("No new resource appears.");

  // The other essay, left blank, still shows its model answer.
  await page.goto(`${e.baseUrl}${attemptPath}?q=${pos["2"]}`);
  await page.getByRole("button", { name: "Show model answer" }).click();
  await page.getByText("(left blank)").waitFor();
  await page.getByRole("button", { name: "I had it" }).click();
  await page.getByText("Your assessment: I had it").waitFor();

  await page.goto(`${e.baseUrl}${attemptPath}/summary`);
  await page.getByRole("button", { name: "Finish the practice" }).click();
  await page.getByRole("heading", { name: /result/ }).waitFor();
  const result = await page.locator("main").innerText();
  // Only the true/false question (left blank) is scored; the essays are not.
  expect(result).toContain("0 of 1 correct");
  expect(result).toContain("2 essays are not scored");
  expect(result).toContain("Your assessment: Missed it (not a score)");

  // The missed essay is a review card: the prompt, then the model answer once asked for.
  await page.goto(`${e.baseUrl}/review`);
  await page.getByText("Explain why PUT is idempotent.").waitFor();
  expect(await page.getByText(`${MODEL}-1`).isVisible()).toBe(false);
  await page.getByText("Show answer").click();
  await page.getByRole("heading", { name: "Model answer" }).waitFor();
  expect(await page.getByText(`${MODEL}-1`).isVisible()).toBe(true);
  await page.getByRole("button", { name: /Good/ }).click();
  await page.waitForLoadState("load");
  expect(await e.t.prisma.reviewLog.count({ where: { userId: user.id } })).toBe(1);
  await page.close();
});
