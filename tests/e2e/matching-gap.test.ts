// Matching and gap questions in Chromium: the selects and the text box autosave what is
// chosen and typed, and the pages pass axe.
import { randomUUID } from "node:crypto";
import { importService } from "../../src/modules/banks";
import { systemClock } from "../../src/clock";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

const bank = (slug: string) => `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Bank ${slug}
topics:
  ${slug}: Bank ${slug}
questions:
  - id: ${slug}-1
    topic: ${slug}
    type: matching
    difficulty: 2
    stem: Match each method with what it is.
    pairs:
      - { prompt: GET, match: safe }
      - { prompt: PUT, match: idempotent }
    distractors: [neither]
    explanation: GET only reads; PUT replaces.
  - id: ${slug}-2
    topic: ${slug}
    type: gap
    difficulty: 2
    stem: "\`git [[1]]\` records changes; \`git [[2]]\` publishes them."
    gaps:
      - options: [{ text: commit, correct: true }, { text: stash }]
      - accept: [push]
    explanation: A commit is local; push publishes.
`;

/** Whether `check` comes true within a few seconds (autosave is asynchronous). */
async function until(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

it("saves the selects of a matching question and the blanks of a gap question as they change", async () => {
  const slug = `e${randomUUID().slice(0, 8)}`;
  const report = await importService({ prisma: e.t.prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text: bank(slug) }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const exam = await e.t.prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `Exam ${slug}`,
      kind: "module",
      questionCount: 2,
      timeLimitSeconds: 600,
      passMarkPercent: 50,
      shuffleQuestions: false,
      shuffleOptions: false,
      partialCredit: true,
      topicPaths: [slug],
      reviewPolicy: "after_submit",
      maxAttempts: null,
    },
  });
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
  await page.getByRole("heading", { name: "Question 1 of 2" }).waitFor();
  const attemptId = /\/attempts\/([0-9a-f-]{36})/.exec(page.url())![1]!;

  await page.getByLabel("GET").selectOption({ label: "safe" });
  await page.getByText(/^Saved at/).waitFor();
  await page.getByLabel("PUT").selectOption({ label: "neither" });
  await page.getByText(/^Saved at/).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  const item = (position: number) => e.t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position } });
  expect(await until(async () => ((await item(1)).response as { pairs: unknown[] } | null)?.pairs.length === 2)).toBe(
    true,
  );

  await page.goto(`${e.baseUrl}/attempts/${attemptId}?q=2`);
  await page.getByRole("heading", { name: "Question 2 of 2" }).waitFor();
  await page.getByLabel("Blank 1").selectOption({ label: "commit" });
  await page.getByText(/^Saved at/).waitFor();
  await page.getByLabel("Blank 2").fill("push");
  await page.getByLabel("Blank 2").blur();
  const fills = /"fills":\[\{"gap":1,"optionId":"[a-z]{6}"\},\{"gap":2,"text":"push"\}\]/;
  expect(await until(async () => fills.test(JSON.stringify((await item(2)).response)))).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
