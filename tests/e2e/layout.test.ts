// Every page at 320, 390, 768 and 1280 px: nothing scrolls sideways, and axe finds no serious
// or critical violation at phone and desktop width. One browser, one tab per role, resized.
import { createHash, randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";
import { essayBank, positionsOf } from "../support/essays";

jest.setTimeout(300_000);

const WIDTHS = [320, 390, 768, 1280];
const AXE_WIDTHS = new Set([390, 1280]);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { context, page };
}

/** The widest elements, to say what overflows. */
async function overflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    if (root.scrollWidth <= window.innerWidth) return null;
    const wide = Array.from(document.querySelectorAll("body *"))
      .map((el) => ({ el, right: el.getBoundingClientRect().right }))
      .filter((x) => x.right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((x) => `${x.el.tagName.toLowerCase()}.${String(x.el.className)} (${Math.round(x.right)})`);
    return `scrollWidth ${root.scrollWidth} > ${window.innerWidth}: ${wide.join(", ")}`;
  });
}

async function checkPage(page: Page, path: string, problems: string[], expectStatus?: number): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 768 ? 740 : 900 });
    const res = await page.goto(`${e.baseUrl}${path}`);
    if (expectStatus !== undefined && res?.status() !== expectStatus) {
      problems.push(`${path}: status ${res?.status()} instead of ${expectStatus}`);
    }
    const over = await overflow(page);
    if (over) problems.push(`${path} at ${width}px: ${over}`);
    if (AXE_WIDTHS.has(width)) {
      for (const v of await seriousViolations(page)) problems.push(`${path} at ${width}px: ${v}`);
    }
  }
}

it("no page scrolls sideways at 320 to 1280 px and axe finds nothing serious", async () => {
  const { slug, exam } = await createExamFixture(e.t.prisma);
  const learner = await createUser(e.t.prisma);
  const admin = await createUser(e.t.prisma, { role: "admin" });
  const problems: string[] = [];
  // A class of the admin's with the learner in it, and an invite link.
  const cls = await e.t.prisma.class.create({
    data: {
      name: "Layout class",
      description: "A class for the layout check",
      ownerId: admin.id,
      joinCode: `L${Date.now().toString().slice(-11).replace(/[01]/g, "7")}`,
    },
  });
  await e.t.prisma.classMember.create({ data: { classId: cls.id, userId: learner.id } });
  const inviteToken = randomBytes(32).toString("base64url");
  await e.t.prisma.classInvite.create({
    data: {
      classId: cls.id,
      tokenHash: createHash("sha256").update(inviteToken).digest("hex"),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });

  // Anonymous pages and error pages.
  const anonymous = await e.browser.newContext();
  const anon = await anonymous.newPage();
  for (const path of ["/", "/login", "/signup", "/login?next=/progress"]) await checkPage(anon, path, problems);
  await checkPage(anon, "/no-such-page", problems, 404);
  await anonymous.close();

  // A learner with a graded attempt (result, review cards) and an open one (question pages, summary).
  const { context: lc, page: lp } = await signedIn(learner.email);
  await lp.goto(`${e.baseUrl}/exams`);
  await lp.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await lp.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await lp.getByLabel("500").check();
  await lp.getByRole("button", { name: "Save and next" }).click();
  await lp.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  await lp.getByLabel("Flag this question for review").check();
  await lp.getByRole("button", { name: "Save and next" }).click();
  await lp.getByRole("heading", { name: "Question 3 of 6" }).waitFor();
  await lp.getByLabel("True").check();
  await lp.getByRole("button", { name: "Save and next" }).click();
  await lp.getByRole("heading", { name: "Question 4 of 6" }).waitFor();
  const first = new URL(lp.url()).pathname;
  await lp.goto(`${e.baseUrl}${first}/summary`);
  await lp.getByRole("button", { name: "Submit my answers" }).click();
  await lp.getByRole("heading", { name: `${exam.title}: result` }).waitFor();
  const resultPath = new URL(lp.url()).pathname;

  await lp.goto(`${e.baseUrl}/exams`);
  await lp.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await lp.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await lp.getByLabel("404").check();
  await lp.getByRole("button", { name: "Save and next" }).click();
  await lp.getByRole("heading", { name: "Question 2 of 6" }).waitFor();
  const open = new URL(lp.url()).pathname;

  const learnerPages = [
    "/",
    "/exams",
    "/exams/custom",
    ...[1, 2, 3, 4, 5, 6].map((q) => `${open}?q=${q}`),
    `${open}/summary`,
    resultPath,
    `${resultPath}?show=incorrect`,
    "/review",
    "/progress",
    "/account",
    "/classes",
    `/join/${inviteToken}`,
  ];
  for (const path of learnerPages) await checkPage(lp, path, problems);

  // A practice of essays: the text area, the model answer with the self-assessment buttons,
  // the assessed essay, and the result with essays not scored.
  const essays = await essayBank(e.t.app, e.t.prisma);
  await lp.goto(`${e.baseUrl}/exams`);
  await lp.getByRole("button", { name: `Practice (check as you go) for ${essays.exam.title}` }).click();
  await lp.getByRole("heading", { name: /Question 1 of 3/ }).waitFor();
  const practice = new URL(lp.url()).pathname;
  const pos = await positionsOf(e.t.prisma, practice.split("/").pop()!);
  await checkPage(lp, `${practice}?q=${pos["1"]}`, problems);
  for (const q of [pos["1"], pos["2"]]) {
    await lp.goto(`${e.baseUrl}${practice}?q=${q}`);
    await lp.getByRole("textbox", { name: "Your answer" }).fill("A long answer ".repeat(40) + "x".repeat(120));
    await lp.getByRole("button", { name: "Show model answer" }).click();
    await lp.getByRole("heading", { name: "Compare your answer with the model answer" }).waitFor();
  }
  await lp.getByRole("button", { name: "Partly" }).click();
  await lp.getByText("Your assessment: Partly").waitFor();
  await checkPage(lp, `${practice}?q=${pos["1"]}`, problems);
  await checkPage(lp, `${practice}?q=${pos["2"]}`, problems);
  await lp.goto(`${e.baseUrl}${practice}/summary`);
  await lp.getByRole("button", { name: "Finish the practice" }).click();
  await lp.getByRole("heading", { name: /result/ }).waitFor();
  await checkPage(lp, `${practice}/result`, problems);
  await checkPage(lp, "/teach", problems, 403);
  await checkPage(lp, `/attempts/00000000-0000-4000-8000-000000000000`, problems, 404);
  await lc.close();

  // Instructor and admin pages.
  const { context: ac, page: ap } = await signedIn(admin.email);
  const question = await e.t.prisma.question.findFirstOrThrow({ where: { externalId: `${slug}-6` } });
  const adminPages = [
    "/teach",
    "/teach/banks/imports/new",
    `/teach/banks/${slug}`,
    `/teach/questions/${question.id}/edit`,
    "/teach/exams/new",
    `/teach/exams/${exam.slug}/edit`,
    `/teach/exams/${exam.slug}/cohort`,
    "/admin/users",
    "/classes",
    `/teach/classes/${cls.id}`,
    `/teach/classes/${cls.id}/gradebook`,
    `/classes/${cls.id}/deletion`,
    `/teach/banks/${slug}/deletion`,
  ];
  for (const path of adminPages) await checkPage(ap, path, problems);
  await ac.close();

  expect(problems).toEqual([]);
});

it("on a phone the menu collapses behind a button, and the question page keeps its timer and navigator readable", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
  const learner = await createUser(e.t.prisma);
  const { context, page } = await signedIn(learner.email);
  await page.setViewportSize({ width: 390, height: 640 });
  await page.goto(`${e.baseUrl}/exams`);
  const main = page.getByRole("navigation", { name: "Main" });
  expect(await main.getByRole("link", { name: "Account" }).isVisible()).toBe(false);
  await main.getByText("Menu").click();
  expect(await main.getByRole("link", { name: "Account" }).isVisible()).toBe(true);
  expect(await main.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
  await page.keyboard.press("Escape");
  expect(await main.getByRole("link", { name: "Account" }).isVisible()).toBe(false);

  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  await page.getByLabel("404").check();
  await page.getByLabel("Flag this question for review").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 6" }).waitFor();

  // The timer and progress stay on screen when the page is scrolled to the end.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const timer = await page.locator(".attempt-head").boundingBox();
  expect(timer && timer.y >= -1 && timer.y < 10).toBe(true);
  expect(await page.getByRole("progressbar", { name: "Questions answered" }).isVisible()).toBe(true);

  // Navigator states: each has a name for assistive tech and a look that does not rely on colour.
  const nav = page.getByRole("navigation", { name: "Questions" });
  const look = (text: string) =>
    nav.locator("button", { hasText: text }).evaluate((b) => {
      const s = getComputedStyle(b);
      const after = getComputedStyle(b, "::after").content;
      const before = getComputedStyle(b, "::before").content;
      return { border: s.borderTopStyle, color: s.color, bg: s.backgroundColor, before, after, weight: s.fontWeight };
    });
  const answeredFlagged = await look("1, answered, flagged");
  const current = await look("2, not answered, this question");
  const unanswered = await look("3, not answered");
  expect(unanswered.border).toBe("dashed");
  expect(unanswered.color).not.toBe(unanswered.bg);
  expect(unanswered.color).toBe("rgb(29, 39, 51)");
  expect(answeredFlagged.border).toBe("solid");
  expect(answeredFlagged.before).toContain("✓");
  expect(answeredFlagged.after).toContain("⚑");
  expect(Number(current.weight)).toBeGreaterThan(Number(unanswered.weight));
  await context.close();
});
