// The result page teaches: filters, every option with its feedback, topic titles, collapsible
// questions, and a retry of the missed questions.
import { randomUUID } from "node:crypto";
import { systemClock } from "../../src/clock";
import { importService } from "../../src/modules/banks";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

async function feedbackExam() {
  const slug = `fb${randomUUID().slice(0, 8)}`;
  const q = (n: number, stem: string, explanation: string) => `  - id: ${slug}-${n}
    topic: ${slug}/http
    type: single
    difficulty: 2
    stem: ${stem}
    options:
      - text: "Right ${n}"
        correct: true
        feedback: Feedback on right ${n}.
      - text: "Wrong ${n}"
        feedback: Feedback on wrong ${n}.
${explanation ? `    explanation: ${explanation}\n` : ""}`;
  const yaml = `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Bank ${slug}
topics:
  ${slug}: Web protocols
  ${slug}/http: HTTP semantics
questions:
${q(1, "First question stem?", "Because the first is right.")}${q(2, "Second question stem?", "Because the second is right.")}${q(3, "Third question stem?", "Because the third is right.")}`;
  const report = await importService({ prisma: e.t.prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text: yaml }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const exam = await e.t.prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `Exam ${slug}`,
      kind: "module",
      questionCount: 3,
      timeLimitSeconds: 600,
      passMarkPercent: 70,
      shuffleQuestions: false,
      shuffleOptions: false,
      topicPaths: [slug],
    },
  });
  return { slug, exam };
}

it("filters the questions, shows every option with feedback, and retries the missed ones", async () => {
  const { slug, exam } = await feedbackExam();
  const user = await createUser(e.t.prisma);
  const context = await e.browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${e.baseUrl}/exams`);
  await page.getByRole("button", { name: `Timed for ${exam.title}` }).click();
  await page.getByRole("heading", { name: "Question 1 of 3" }).waitFor();
  await page.getByLabel("Right 1").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 3" }).waitFor();
  await page.getByLabel("Wrong 2").check();
  await page.getByLabel("Flag this question for review").check();
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 3 of 3" }).waitFor();
  await page.getByRole("button", { name: "Save and review" }).click();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await page.getByRole("heading", { name: `${exam.title}: result` }).waitFor();

  const main = page.locator("main");
  // Topic titles, not slugs.
  expect(await main.getByRole("table").innerText()).toContain("Web protocols");
  expect(await main.getByRole("table").innerText()).not.toContain(slug);
  expect(await main.innerText()).toContain("Web protocols: HTTP semantics");

  // Every option of a missed question, with the learner's choice, the key and feedback.
  const second = page.locator("details.review-item", { hasText: "Question 2: incorrect" });
  expect(await second.getAttribute("open")).not.toBeNull();
  const secondText = await second.innerText();
  for (const text of ["Right 2", "Wrong 2", "Feedback on right 2.", "Feedback on wrong 2.", "Your choice", "Correct"])
    expect(secondText).toContain(text);
  expect(secondText).toContain("Because the second is right.");
  // A correct question is collapsed; it opens on a click.
  const first = page.locator("details.review-item", { hasText: "Question 1: correct" });
  expect(await first.getAttribute("open")).toBeNull();
  expect(await first.getByText("Feedback on wrong 1.").isVisible()).toBe(false);
  await first.locator("summary").click();
  expect(await first.getByText("Feedback on wrong 1.").isVisible()).toBe(true);

  // Filters, enhanced in place by the script.
  const filter = page.getByRole("navigation", { name: "Filter questions" });
  await filter.getByRole("link", { name: /Incorrect/ }).click();
  expect(await page.locator(".filter-status").innerText()).toBe("1 of 3 questions shown.");
  expect(await first.isVisible()).toBe(false);
  expect(await second.isVisible()).toBe(true);
  expect(page.url()).toContain("show=incorrect");
  await filter.getByRole("link", { name: /Unanswered/ }).click();
  expect(await page.locator(".filter-status").innerText()).toBe("1 of 3 questions shown.");
  expect(await page.locator("details.review-item", { hasText: "Question 3: not answered" }).isVisible()).toBe(true);
  await filter.getByRole("link", { name: /Flagged/ }).click();
  expect(await second.isVisible()).toBe(true);
  expect(await first.isVisible()).toBe(false);
  expect(await seriousViolations(page)).toEqual([]);

  // Without JavaScript the same filter is a query parameter.
  const plain = await e.browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const noJs = await plain.newPage();
  await noJs.goto(page.url().replace(/\?.*$/, "?show=incorrect"));
  expect(await noJs.locator(".filter-status").innerText()).toBe("1 of 3 questions shown.");
  expect(await noJs.locator("details.review-item", { hasText: "Question 1" }).isVisible()).toBe(false);
  await noJs.getByRole("navigation", { name: "Filter questions" }).getByRole("link", { name: /All/ }).click();
  expect(await noJs.locator(".filter-status").innerText()).toBe("3 of 3 questions shown.");
  await plain.close();

  // The review link and the retry of the two missed questions.
  expect(await page.getByRole("link", { name: "Review them as cards" }).getAttribute("href")).toBe("/review");
  await page.getByRole("button", { name: "Retry the 2 missed questions" }).click();
  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  expect(await page.locator("main").innerText()).toContain(`Retry: 2 missed in ${exam.title}`);
  const stems = [await page.locator(".stem").innerText()];
  await page.getByRole("button", { name: "Save and next" }).click();
  await page.getByRole("heading", { name: "Question 2 of 2" }).waitFor();
  stems.push(await page.locator(".stem").innerText());
  expect(stems.sort()).toEqual(["Second question stem?", "Third question stem?"]);
  await context.close();
});
