import { writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createUser, PASSWORD } from "../factories/users";
import { seriousViolations } from "../support/axe";
import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("an instructor uploads a GIFT file, sees the preview and publishes it", async () => {
  const user = await createUser(e.t.prisma, { role: "instructor" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackprep-e2e-"));
  const slug = `giftbank${Date.now().toString(36)}`;
  const file = path.join(dir, `${slug}.gift`);
  writeFileSync(
    file,
    [
      "$CATEGORY: http/status",
      "",
      "::http-e2e-1::Which status code means the resource was created?{=201#A new resource now exists. ~200#OK says nothing was created. ~204####201 Created answers a request that made a new resource.}",
      "",
      "::http-e2e-2::A PUT request is idempotent.{TRUE####Repeating it leaves the same state.}",
      "",
    ].join("\n"),
  );
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login?next=/teach`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Teaching" }).waitFor();
  await page.getByRole("link", { name: "Upload a bank" }).click();
  await page.getByLabel("Bank file").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("heading", { name: "Preview" }).waitFor();
  expect(await page.locator("main").innerText()).toContain(`New questions: 2 (${slug}-http-e2e-1, ${slug}-http-e2e-2)`);
  // Each question as learners will see it, with its key, per-option feedback and explanation.
  const first = page.locator(".preview-item").first();
  expect(await first.locator(".stem").innerText()).toBe("Which status code means the resource was created?");
  expect(await first.locator("li.is-key").innerText()).toMatch(/Correct\s+201\s+A new resource now exists\./);
  expect(await first.getByText("OK says nothing was created.").isVisible()).toBe(true);
  expect(await first.locator(".explanation").innerText()).toContain("201 Created answers a request");
  const second = page.locator(".preview-item").nth(1);
  expect(await second.locator("li.is-key").innerText()).toMatch(/Correct\s+True/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.waitForURL(/\/teach\/banks\/giftbank/, { timeout: 20_000 }).catch(async () => {
    throw new Error(
      `publishing did not reach the bank page: ${page.url()}\n${(await page.locator("main").innerText()).slice(0, 800)}`,
    );
  });
  expect((await page.locator("main").innerText()).slice(0, 300)).toContain("Published: 2 created");
  expect(new URL(page.url()).pathname).toBe(`/teach/banks/${slug}`);
  expect(await page.getByText("Which status code means the resource was created?").isVisible()).toBe(true);
  const bank = await e.t.prisma.bank.findUniqueOrThrow({
    where: { slug },
    include: { _count: { select: { questions: true } } },
  });
  expect(bank).toMatchObject({ ownerId: user.id, sourceFormat: "gift" });
  expect(bank._count.questions).toBe(2);
  await page.close();
});
