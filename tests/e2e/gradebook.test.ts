// The gradebook in a browser: sorting by a column heading, the CSV link, a learner's attempt review.
import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { sitAttempt } from "../support/attempts";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";
import { login } from "../support/http";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("an instructor sorts the gradebook, finds the CSV and opens a learner's attempt", async () => {
  const teacher = await createUser(e.t.prisma, { role: "instructor" });
  const { exam } = await createExamFixture(e.t.prisma);
  await e.t.prisma.exam.update({ where: { id: exam.id }, data: { ownerId: teacher.id } });
  const cls = await e.t.prisma.class.create({
    data: { name: "Evening class", ownerId: teacher.id, joinCode: `E2E${Date.now().toString(36).toUpperCase()}` },
  });
  await e.t.prisma.examShare.create({ data: { examId: exam.id, classId: cls.id } });
  const names = ["Ada Zed", "Bea Young"];
  for (const name of names) {
    const learner = await createUser(e.t.prisma, { displayName: name });
    await e.t.prisma.classMember.create({ data: { classId: cls.id, userId: learner.id } });
    const agent = await login(e.t.app, learner.email);
    await sitAttempt(agent, exam.slug, []);
  }

  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login?next=/teach/classes/${cls.id}`);
  await page.getByLabel("Email").fill(teacher.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Gradebook" }).click();
  await page.getByRole("heading", { name: "Gradebook: Evening class" }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  const rows = () => page.locator("table.gradebook tbody th[scope=row]").allInnerTexts();
  expect(await rows()).toEqual(names);

  await page.getByRole("link", { name: "Sort by Name, descending" }).click();
  await page.waitForURL(/sort=name&dir=desc/);
  expect(await rows()).toEqual([...names].reverse());
  expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain("Name");
  expect(await page.getByRole("link", { name: "Download as CSV" }).getAttribute("href")).toBe(
    `/teach/classes/${cls.id}/gradebook.csv?sort=name&dir=desc`,
  );

  await page
    .getByRole("link", { name: `Exam ${exam.slug.replace(/^exam-/, "")} #1` })
    .first()
    .click();
  await page.getByRole("heading", { name: /result of Bea Young/ }).waitFor();
  expect(await page.getByText("read-only review").isVisible()).toBe(true);
  await page.close();
});
