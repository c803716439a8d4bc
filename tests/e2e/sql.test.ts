// A learner solves one SQL exercise and fails another in the browser: Ctrl+Enter runs the
// statement and shows its grid, the statement autosaves, and the result page shows the rows.
import { createSqlExam, READ_RIGHT } from "../factories/sql";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner runs queries with Ctrl+Enter, submits, and compares rows on the result page", async () => {
  const { exam } = await createSqlExam(e.t, { runs: 3 });
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();

  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  const editor = page.getByLabel("Your SQL statement");
  await editor.fill("SELECT name FROM customers ORDER BY id");
  await editor.press("Control+Enter");
  await page.getByText(/^3 rows in \d+ ms/).waitFor();
  expect(await page.locator(".sql-result td").allInnerTexts()).toEqual(["Ada", "Bo", "Cy"]);
  expect(await page.locator(".sql-highlight .tok-keyword").count()).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);
  await editor.fill(READ_RIGHT);
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText(/^3 rows in/).waitFor();
  await page.getByText(/^Saved at/).waitFor();
  await page.getByRole("button", { name: "Save and next" }).click();

  await page.getByRole("heading", { name: "Question 2 of 2" }).waitFor();
  await page.getByLabel(/Your SQL statement/).fill("SELEC oops");
  await page.getByLabel(/Your SQL statement/).press("Control+Enter");
  await page.getByText(/syntax error at or near "SELEC"/).waitFor();
  expect(await page.locator(".sql-runs-left").innerText()).toBe("2");
  await page
    .getByLabel(/Your SQL statement/)
    .fill("UPDATE stock SET quantity = 3 WHERE sku = 'B2' RETURNING sku, quantity");
  await page.getByText(/^Saved at/).waitFor();
  await page.getByRole("button", { name: "Save and review" }).click();
  await page.getByRole("button", { name: "Submit my answers" }).click();

  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  expect(await page.locator(".score").textContent()).toContain("1 of 2 correct");
  expect(await page.getByText("Question 2: incorrect").isVisible()).toBe(true);
  expect(await page.locator(".sql-diff").count()).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});

it("in practice mode, a learner checks one SQL exercise right and another wrong, with the rows side by side", async () => {
  const { exam } = await createSqlExam(e.t, { runs: null });
  const user = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await page.getByRole("button", { name: `Practice (check as you go) for ${exam.title}` }).click();

  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  const editor = page.getByLabel("Your SQL statement");
  await editor.fill(READ_RIGHT);
  await editor.press("Control+Enter");
  await page.getByText(/^3 rows in \d+ ms/).waitFor();
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByRole("heading", { name: "Correct" }).waitFor();
  expect(await page.getByRole("table", { name: "Yours" }).isVisible()).toBe(true);
  expect(await page.getByRole("table", { name: "Expected" }).isVisible()).toBe(true);
  expect(await page.getByText("A left join keeps customers without orders.").isVisible()).toBe(true);
  expect(await page.locator(".sql-diff").count()).toBe(0);
  expect(await editor.isDisabled()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("link", { name: "Next question" }).click();

  await page.getByRole("heading", { name: "Question 2 of 2" }).waitFor();
  await page
    .getByLabel(/Your SQL statement/)
    .fill("UPDATE stock SET quantity = 3 WHERE sku = 'B2' RETURNING sku, quantity");
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByRole("heading", { name: "Not correct" }).waitFor();
  expect(await page.getByRole("heading", { name: "The table afterwards" }).isVisible()).toBe(true);
  expect(await page.locator(".sql-diff").count()).toBeGreaterThan(0);
  expect(await page.getByText("An upsert with ON CONFLICT.").isVisible()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("link", { name: "Finish the practice" }).click();
  await page.getByRole("button", { name: /Finish the practice|Submit/ }).click();

  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  expect(await page.locator(".score").textContent()).toContain("1 of 2 correct");
  await page.close();
});
