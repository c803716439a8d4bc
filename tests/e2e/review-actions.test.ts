import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a learner sees what is due in the menu, grades, undoes, buries and suspends cards", async () => {
  const { slug } = await createExamFixture(e.t.prisma);
  const user = await createUser(e.t.prisma);
  const questions = await e.t.prisma.question.findMany({
    where: { bank: { slug } },
    include: { topic: true },
    orderBy: { externalId: "asc" },
    take: 3,
  });
  await e.t.prisma.reviewItem.createMany({
    data: questions.map((q) => ({
      userId: user.id,
      cardKey: `q:${q.id}`,
      questionId: q.id,
      topicPath: q.topic.path,
      origin: "missed",
      due: new Date(Date.now() - 60_000),
    })),
  });
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const menu = page.getByRole("navigation", { name: "Main" });
  await menu.getByRole("link", { name: "Review (3 due)" }).click();
  await page.getByRole("heading", { name: "Review", exact: true }).waitFor();

  const front = async () => page.locator(".card-front").innerText();
  const first = await front();
  await page.getByText("Show answer").click();
  await page.getByRole("heading", { name: "Answer" }).waitFor();
  await page.getByRole("heading", { name: "Explanation" }).waitFor();
  await page.getByRole("button", { name: /Good/ }).click();
  await menu.getByRole("link", { name: "Review (2 due)" }).waitFor();
  expect(await front()).not.toBe(first);

  await page.getByRole("button", { name: "Undo the last grade" }).click();
  await page.getByText("Your last grade was undone.").waitFor();
  await menu.getByRole("link", { name: "Review (3 due)" }).waitFor();
  expect(await front()).toBe(first);

  await page.getByRole("button", { name: "Bury until tomorrow" }).click();
  await page.getByText("Card buried until tomorrow.").waitFor();
  await page.getByRole("button", { name: "Suspend" }).click();
  await page.getByText("Card suspended").waitFor();
  await menu.getByRole("link", { name: "Review (1 due)" }).waitFor();
  expect(await page.locator("main").innerText()).toContain("1 card(s) due");

  // The card browser: every card, suspended ones too, searched by text.
  await page.getByRole("link", { name: "Browse your cards" }).click();
  await page.getByText("3 card(s)").waitFor();
  await page.getByLabel("Text").fill("status code");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText("1 card(s)").waitFor();
  expect(await page.locator("main").innerText()).toContain("Which status code means Not Found?");
  await page.close();
});
