// The whole class journey in Chromium: an instructor creates a class, uploads a bank, sets up
// an exam and shares both with the class; a learner joins with the code and takes the exam;
// the instructor sees the learner in the class; a learner outside never sees the bank.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(120_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

async function signIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  return page;
}

it("an instructor shares a bank and an exam with a class; a learner joins and takes it; outsiders never see it", async () => {
  const stamp = Date.now().toString(36);
  const slug = `classbank${stamp}`;
  const teacher = await createUser(e.t.prisma, { role: "instructor" });
  const learner = await createUser(e.t.prisma);
  const outsider = await createUser(e.t.prisma);

  // The instructor creates the class.
  const tp = await signIn(e.browser, teacher.email);
  await tp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Classes" }).click();
  await tp.getByLabel("Name").fill(`Evening class ${stamp}`);
  await tp.getByLabel("Description (optional)").fill("Back-end exam preparation");
  await tp.getByRole("button", { name: "Create class" }).click();
  await tp.getByRole("heading", { name: `Evening class ${stamp}` }).waitFor();
  const code = (await tp.locator("#join-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const classUrl = tp.url();
  expect(await seriousViolations(tp)).toEqual([]);

  // Uploads a bank.
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackprep-e2e-"));
  const file = path.join(dir, `${slug}.gift`);
  writeFileSync(
    file,
    [1, 2, 3]
      .map(
        (n) =>
          `::q${n}::Class-only question ${n}: which HTTP status means Not Found?{=404#404 is Not Found. ~500#500 is a server error. ~201#201 is Created.####404 says the server has no resource at that address.}\n`,
      )
      .join("\n"),
  );
  await tp.goto(`${e.baseUrl}/teach/banks/imports/new`);
  await tp.getByLabel("Bank file").setInputFiles(file);
  await tp.getByRole("button", { name: "Check the file" }).click();
  await tp.getByRole("heading", { name: "Preview" }).waitFor();
  await tp.getByRole("button", { name: "Publish" }).click();
  await tp.waitForURL(new RegExp(`/teach/banks/${slug}$`));

  // Sets up an exam on it and publishes it.
  await tp.goto(`${e.baseUrl}/teach/exams/new`);
  await tp.getByLabel("Title").fill(`Class quiz ${stamp}`);
  await tp.getByLabel("Short name (in addresses; cannot change later)").fill(`class-quiz-${stamp}`);
  await tp.getByLabel("Questions", { exact: true }).fill("3");
  await tp.getByLabel("Time limit (minutes)").fill("10");
  await tp.getByLabel("Pass mark (%; empty: a placement test with none)").fill("60");
  await tp.locator(`input[name="topics"][value="${slug}"]`).check();
  await tp
    .getByRole("button", { name: /save|create/i })
    .last()
    .click();
  await tp.waitForURL(/\/teach/);
  await tp.goto(`${e.baseUrl}/teach`);
  await tp.getByRole("button", { name: `Publish Class quiz ${stamp}` }).click();

  // Shares both with the class.
  await tp.goto(classUrl);
  await tp.locator(`form[action$="/banks/${slug}/share"] button`).click();
  await tp.getByRole("button", { name: `Share Class quiz ${stamp}` }).click();
  expect(await tp.locator("main").innerText()).toContain(`now sees Class quiz ${stamp}`);

  // The learner joins with the code and takes the exam.
  const lp = await signIn(e.browser, learner.email);
  await lp.goto(`${e.baseUrl}/classes`);
  await lp.getByLabel("Class code").fill(code.toLowerCase());
  await lp.getByRole("button", { name: "Join" }).click();
  expect(await lp.locator("main").innerText()).toContain(`You joined Evening class ${stamp}.`);
  await lp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exams" }).click();
  await lp.getByRole("button", { name: `Timed for Class quiz ${stamp}` }).click();
  for (let n = 1; n <= 3; n += 1) {
    await lp.getByRole("heading", { name: `Question ${n} of 3` }).waitFor();
    expect(await lp.locator("main").innerText()).toContain("Class-only question");
    await lp.getByLabel("404").check();
    await lp.getByRole("button", { name: n < 3 ? "Save and next" : "Save and review" }).click();
  }
  await lp.getByRole("heading", { name: "Review before you submit" }).waitFor();
  await lp.getByRole("button", { name: "Submit my answers" }).click();
  await lp.getByRole("heading", { name: `Class quiz ${stamp}: result` }).waitFor();
  expect(await lp.locator(".score").textContent()).toContain("3 of 3 correct");

  // The instructor sees the learner in the class, and reads the gradebook: the learner's row
  // with the exam's score, and from it the learner's attempt.
  await tp.goto(classUrl);
  expect(await tp.locator("main").innerText()).toContain(learner.email);
  await tp.getByRole("link", { name: "Gradebook" }).click();
  await tp.getByRole("heading", { name: `Gradebook: Evening class ${stamp}` }).waitFor();
  const row = tp.locator("tr", { hasText: learner.email });
  expect(await row.innerText()).toContain("100");
  expect(await seriousViolations(tp)).toEqual([]);
  await row.getByRole("link", { name: /#1/ }).first().click();
  await tp.getByRole("heading", { name: /result of/ }).waitFor();
  expect(await tp.locator("main").innerText()).toContain("3 of 3 correct");
  // The questions are collapsed on the page; their text is there to open.
  expect(await tp.locator("main").textContent()).toContain("Class-only question");

  // A learner outside the class sees the bank and the exam nowhere.
  const op = await signIn(e.browser, outsider.email);
  for (const p of ["/", "/exams", "/exams/custom", "/progress", "/review", "/classes"]) {
    await op.goto(`${e.baseUrl}${p}`);
    const text = await op.locator("main").innerText();
    expect([p, text.includes(`Class quiz ${stamp}`) || text.includes(slug)]).toEqual([p, false]);
  }
  const direct = await op.goto(`${e.baseUrl}/exams/class-quiz-${stamp}/start`);
  expect(direct?.status()).toBe(404);
});
