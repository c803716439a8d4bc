import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

it("a person signs up, signs out and signs in again", async () => {
  const page = await e.browser.newPage();
  const email = `e2e-${Date.now()}@example.test`;
  await page.goto(`${e.baseUrl}/`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign up" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Grace");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Use at least 8 characters").waitFor();
  await page.getByLabel("Password").fill("a perfectly long passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Stackprep, Grace.").waitFor();
  expect(await page.getByText("Grace", { exact: true }).isVisible()).toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).waitFor();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a wrong passphrase here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("The email or password is not right.").waitFor();
  await page.getByLabel("Password").fill("a perfectly long passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/");
  await page.close();
});
