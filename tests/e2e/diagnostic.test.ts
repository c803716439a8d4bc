// A new learner on a phone takes the shipped diagnostic from the home page and then reads a
// first readiness estimate, labelled early, with its range, on the home and progress pages.
// Its own database: the shipped banks and exams (tests/support/shipped.ts).
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";
import { loadShippedContent, ownDatabase } from "../support/shipped";

jest.setTimeout(180_000);

let e: E2E;
let drop: () => Promise<void>;
beforeAll(async () => {
  const own = await ownDatabase("e2ediag");
  drop = own.drop;
  e = await startE2E({ route: () => own.url });
  await loadShippedContent(e.t);
});
afterAll(async () => {
  await e?.close();
  await drop?.();
});

it("after the diagnostic, readiness is shown as an early estimate with its range", async () => {
  const user = await createUser(e.t.prisma);
  const context = await e.browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));

  await page.goto(`${e.baseUrl}/`);
  await page.getByRole("button", { name: "Start the diagnostic" }).click();
  // Some answer to each of the 30 questions, whatever its type, as a learner would give it.
  for (let n = 1; n <= 30; n += 1) {
    await page.getByRole("heading", { name: `Question ${n} of 30` }).waitFor();
    const main = page.locator("main");
    const type = await main.locator('input[name="type"]').inputValue();
    if (type === "single" || type === "multiple" || type === "truefalse")
      await main.locator('input[name="answer"]').first().check();
    else if (type === "short") await main.locator("#text").fill("index");
    else if (type === "numeric") await main.locator("#text").fill("1");
    else if (type === "ordering") {
      const ranks = main.locator(".order-rank");
      const count = await ranks.count();
      for (let i = 0; i < count; i += 1) await ranks.nth(i).fill(String(i + 1));
    } else await main.locator("#query").fill("SELECT 1");
    await main.getByRole("button", { name: n === 30 ? "Save and review" : "Save and next", exact: true }).click();
  }
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByRole("heading", { name: "Diagnostic: result" }).waitFor();

  // Home: the readiness card says early, with the predicted range, and that it firms up.
  await page.goto(`${e.baseUrl}/`);
  const card = page.getByRole("region", { name: "Readiness" });
  expect(await card.getByText("Early estimate", { exact: true }).isVisible()).toBe(true);
  const headline = await card.innerText();
  expect(headline).toMatch(/Predicted score \d+% \(likely \d+-\d+%\) against a pass mark of 70%/);
  expect(headline).toContain("it firms up as you answer more");
  const [, low, high] = /likely (\d+)-(\d+)%/.exec(headline)!.map(Number);
  expect(high! - low!).toBeGreaterThan(15);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // Progress: the same label, both ranges, and the trend's point marked early.
  await page.goto(`${e.baseUrl}/progress`);
  const readiness = page.getByRole("region", { name: /^Readiness for/ });
  expect(await readiness.getByText("Early estimate", { exact: true }).isVisible()).toBe(true);
  const text = await readiness.innerText();
  expect(text).toMatch(/90% of sittings between \d+% and \d+%/);
  expect(text).toContain("It firms up as you answer more");
  expect(await page.getByRole("table", { name: /Predicted score after each graded attempt/ }).innerText()).toContain(
    "(early)",
  );
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
