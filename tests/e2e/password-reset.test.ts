import { createUser, PASSWORD } from "../factories/users";
import { startE2E, type E2E } from "../support/browser";
import { resetLinkIn, startMailSink, type MailSink } from "../support/mail-sink";

jest.setTimeout(60_000);

let e: E2E;
let sink: MailSink;
beforeAll(async () => {
  sink = await startMailSink();
  e = await startE2E({ env: { SMTP_URL: sink.url } });
});
afterAll(async () => {
  await e.close();
  await sink.close();
});

it("a learner who forgot their password asks for a link by email and signs in with a new one", async () => {
  const user = await createUser(e.t.prisma, { displayName: "Forgetful" });
  const page = await e.browser.newPage();
  await page.goto(`${e.baseUrl}/login`);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send the reset link" }).click();
  await page.getByText("If an account uses that address, a reset link is on its way").waitFor();

  const link = new URL(resetLinkIn(await sink.next(user.email)));
  await page.goto(`${e.baseUrl}${link.pathname}`);
  await page.getByText(user.email).waitFor();
  await page.getByLabel("New password").fill("password1");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await page.getByText("one of the most common").waitFor();
  await page.getByLabel("New password").fill("a fresh and long passphrase");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await page.getByText("Your password was changed").waitFor();
  expect(new URL(page.url()).pathname).toBe("/login");

  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("The email or password is not right.").waitFor();
  await page.getByLabel("Password").fill("a fresh and long passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();

  // The link was used: opening it again says so and offers a new one.
  await page.goto(`${e.baseUrl}${link.pathname}`);
  await page.getByText("This reset link is not valid").waitFor();
  await page.getByRole("link", { name: "Ask for a new link" }).waitFor();
  await page.close();
});
