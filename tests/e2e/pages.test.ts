import { startE2E, type E2E } from "../support/browser";

jest.setTimeout(60_000);

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e.close());

describe("pages in a browser", () => {
  it("renders the home page with its navigation", async () => {
    const page = await e.browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
    const res = await page.goto(`${e.baseUrl}/`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe("Practice for your back-end exam · Stackprep");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain(
      "Practice for your back-end development exam",
    );
    expect(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).isVisible(),
    ).toBe(true);
    expect(errors).toEqual([]); // no CSP violations or script errors
    await page.close();
  });

  it("renders the not-found page", async () => {
    const page = await e.browser.newPage();
    const res = await page.goto(`${e.baseUrl}/missing-page`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await page.getByRole("link", { name: "Back to the start page" }).click();
    await page.waitForURL(`${e.baseUrl}/`);
    await page.close();
  });
});
