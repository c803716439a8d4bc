// Ordering questions: keyboard moves (announced) and drag and drop over the number inputs;
// a place given twice is refused by autosave and by the form with the same message, on the page.
import { createExamFixture } from "../factories/exams";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(90_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

const MESSAGE = "Give every item its own place from 1 to 3: each number once.";

it("orders by keyboard and by dragging, and refuses duplicate places without leaving the question", async () => {
  const { exam } = await createExamFixture(e.t.prisma);
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
  await page.getByRole("heading", { name: "Question 1 of 6" }).waitFor();
  const question = `${e.baseUrl}${new URL(page.url()).pathname}?q=6`;
  await page.goto(question);
  await page.getByRole("heading", { name: "Question 6 of 6" }).waitFor();
  const rank = (item: string) => page.getByLabel(item, { exact: true });
  const live = page.locator('[aria-live="assertive"]');

  // Keyboard: pick up with Space, move with the arrows, drop with Space.
  const moveTo = async (item: string, target: number) => {
    const handle = page.getByRole("button", { name: `Move ${item}`, exact: true });
    await handle.focus();
    await page.keyboard.press("Space");
    await live.filter({ hasText: `${item} picked up at position` }).waitFor();
    for (let i = 0; i < 3; i += 1) {
      const at = Number(/position (\d)/.exec(await live.innerText())![1]);
      if (at === target) break;
      await page.keyboard.press(at > target ? "ArrowUp" : "ArrowDown");
    }
    await page.keyboard.press("Space");
    await live.filter({ hasText: `${item} dropped at position ${target} of 3.` }).waitFor();
  };
  await moveTo("SYN", 1);
  await moveTo("SYN-ACK", 2);
  await page.getByText(/^Saved at/).waitFor();
  expect([await rank("SYN").inputValue(), await rank("SYN-ACK").inputValue(), await rank("ACK").inputValue()]).toEqual([
    "1",
    "2",
    "3",
  ]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.reload();
  expect(await rank("SYN").inputValue()).toBe("1");
  expect(await rank("ACK").inputValue()).toBe("3");

  // Drag and drop: ACK onto the first row.
  const first = page.locator(".order-row").first();
  await page.getByRole("button", { name: "Move ACK", exact: true }).dragTo(first, { targetPosition: { x: 10, y: 2 } });
  await page.getByText(/^Saved at/).waitFor();
  expect(await rank("ACK").inputValue()).toBe("1");
  expect(await rank("SYN").inputValue()).toBe("2");

  // A place given twice: autosave says so and keeps nothing new.
  await rank("SYN").fill("1");
  await rank("SYN-ACK").fill("1");
  await rank("ACK").fill("2");
  await rank("ACK").press("Tab");
  await page.getByText(`Not saved: ${MESSAGE}`).waitFor();
  // The form says the same, on the question page, with the numbers as typed.
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        r.url().endsWith("/answers") &&
        r.request().headers()["content-type"]?.startsWith("application/x-www-form-urlencoded") === true,
    ),
    page.getByRole("button", { name: "Save", exact: true }).click(),
  ]);
  expect(response.status()).toBe(400);
  await page.getByRole("heading", { name: "Question 6 of 6" }).waitFor();
  expect(await page.getByRole("alert").innerText()).toBe(MESSAGE);
  expect([await rank("SYN").inputValue(), await rank("SYN-ACK").inputValue(), await rank("ACK").inputValue()]).toEqual([
    "1",
    "1",
    "2",
  ]);
  // What was saved before stays: ACK first.
  const item = await e.t.prisma.attemptItem.findFirstOrThrow({
    where: { attempt: { userId: user.id }, position: 6 },
  });
  const order = (item.response as { itemIds: string[] }).itemIds;
  const ids = await e.t.prisma.question.findFirstOrThrow({
    where: { externalId: { endsWith: "-6" }, bank: { slug: exam.topicPaths[0]! } },
    include: { currentVersion: true },
  });
  const items = (ids.currentVersion!.body as { items: { id: string; md: string }[] }).items;
  expect(order.map((id) => items.find((i) => i.id === id)!.md)).toEqual(["ACK", "SYN", "SYN-ACK"]);
  await context.close();
});
