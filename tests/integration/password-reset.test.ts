import { spawnSync } from "node:child_process";
import path from "node:path";
import request from "supertest";
import { createUser, PASSWORD } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { csrfFrom, login, tokenFor } from "../support/http";
import { resetLinkIn, startMailSink, type MailSink } from "../support/mail-sink";

let t: TestApp;
let sink: MailSink;
const clock = new TestClock(new Date("2026-03-02T09:00:00Z"));
beforeAll(async () => {
  sink = await startMailSink();
  t = await createTestApp({
    clock,
    env: { SMTP_URL: sink.url, BASE_URL: "http://stackprep.test", TRUST_PROXY: "true" },
  });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

const NEW_PASSWORD = "a brand new passphrase here";
const pathOf = (url: string) => new URL(url).pathname;

async function askForLink(email: string, ip = "198.51.100.7") {
  const agent = request.agent(t.app);
  const token = await tokenFor(agent, "/password-reset");
  return agent.post("/password-reset").set("X-Forwarded-For", ip).type("form").send({ _csrf: token, email });
}

async function useLink(path: string, newPassword = NEW_PASSWORD) {
  const agent = request.agent(t.app);
  const page = await agent.get(path);
  if (page.status !== 200) return page;
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), newPassword });
}

async function signsIn(email: string, password: string) {
  const agent = request.agent(t.app);
  const token = await tokenFor(agent, "/login");
  return (await agent.post("/login").type("form").send({ _csrf: token, email, password })).status === 303;
}

describe("asking for a link by email", () => {
  it("mails a link that sets a new password once and ends every session", async () => {
    const user = await createUser(t.prisma);
    const session = await login(t.app, user.email);
    expect((await session.get("/account")).status).toBe(200);

    const asked = await askForLink(user.email.toUpperCase());
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("If an account uses that address, a reset link is on its way");
    const mail = await sink.next(user.email);
    expect(mail.raw).toContain("Reset your Stackprep password");
    const link = resetLinkIn(mail);
    expect(link.startsWith("http://stackprep.test/password-reset/")).toBe(true);
    // 256 random bits, stored only as their SHA-256.
    const token = pathOf(link).split("/").pop()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await t.prisma.passwordReset.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const page = await request(t.app).get(pathOf(link));
    expect(page.status).toBe(200);
    expect(page.text).toContain(user.email);
    const done = await useLink(pathOf(link));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/login");

    expect((await session.get("/account")).headers.location).toMatch(/^\/login/);
    expect(await signsIn(user.email, PASSWORD)).toBe(false);
    expect(await signsIn(user.email, NEW_PASSWORD)).toBe(true);

    // Used once: the same link is refused and changes nothing.
    const again = await useLink(pathOf(link), "yet another long passphrase");
    expect(again.status).toBe(404);
    expect(again.text).toContain("This reset link is not valid");
    expect(again.text).toContain('href="/password-reset"');
    expect(await signsIn(user.email, NEW_PASSWORD)).toBe(true);
  });

  it("answers an unknown address exactly as a known one, and sends nothing", async () => {
    const known = await createUser(t.prisma);
    const unknownEmail = `nobody-${Date.now()}@example.test`;
    const a = await askForLink(known.email, "198.51.100.8");
    const b = await askForLink(unknownEmail, "198.51.100.8");
    expect(a.status).toBe(b.status);
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"|content="[^"]+"/g, "");
    expect(strip(a.text)).toBe(strip(b.text));
    await sink.next(known.email);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.mails.some((m) => m.to.includes(unknownEmail))).toBe(false);
  });

  it("expires a link after 30 minutes (by the app's clock)", async () => {
    const user = await createUser(t.prisma);
    await askForLink(user.email, "198.51.100.9");
    const link = resetLinkIn(await sink.next(user.email));
    clock.advance(30 * 60_000 + 1000);
    try {
      const page = await request(t.app).get(pathOf(link));
      expect(page.status).toBe(404);
      expect(page.text).toContain("has expired");
      expect(await signsIn(user.email, PASSWORD)).toBe(true);
    } finally {
      clock.advance(-(30 * 60_000 + 1000));
    }
  });

  it("refuses a weak new password with the message on the form, and keeps the link usable", async () => {
    const user = await createUser(t.prisma);
    await askForLink(user.email, "198.51.100.10");
    const path = pathOf(resetLinkIn(await sink.next(user.email)));
    const weak = await useLink(path, "password1");
    expect(weak.status).toBe(400);
    expect(weak.text).toContain("one of the most common");
    expect(weak.text).toContain('aria-invalid="true"');
    expect((await useLink(path)).status).toBe(303);
  });

  it("retires an older link when a newer one is issued", async () => {
    const user = await createUser(t.prisma);
    await askForLink(user.email, "198.51.100.11");
    const first = pathOf(resetLinkIn(await sink.next(user.email)));
    await askForLink(user.email, "198.51.100.11");
    const second = pathOf(resetLinkIn(await sink.next(user.email)));
    expect((await request(t.app).get(first)).status).toBe(404);
    expect((await useLink(second)).status).toBe(303);
  });

  it("re-renders the form for a malformed address, and limits requests to 3 an hour per account", async () => {
    const bad = await askForLink("not an email", "198.51.100.12");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a valid email address.");
    expect(bad.text).toContain('value="not an email"');

    const user = await createUser(t.prisma);
    for (let i = 0; i < 3; i += 1) expect((await askForLink(user.email, `198.51.100.${20 + i}`)).status).toBe(200);
    const fourth = await askForLink(user.email, "198.51.100.30");
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers["retry-after"])).toBeGreaterThan(0);
    expect(fourth.text).toContain("Too many password-reset requests");
  });
});

describe("links issued by an admin", () => {
  it("shows the link once on /admin/users; a learner cannot issue one", async () => {
    const admin = await createUser(t.prisma, { role: "admin" });
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, admin.email);
    const list = await agent.get("/admin/users");
    expect(list.text).toContain(`/admin/users/${learner.id}/reset-link`);
    const issued = await agent
      .post(`/admin/users/${learner.id}/reset-link`)
      .type("form")
      .send({ _csrf: csrfFrom(list.text) });
    expect(issued.status).toBe(200);
    const url = /id="reset-link-url" type="text" readonly value="([^"]+)"/.exec(issued.text)![1]!;
    expect(url).toMatch(/^http:\/\/stackprep\.test\/password-reset\/[A-Za-z0-9_-]{43}$/);
    expect((await agent.get("/admin/users")).text).not.toContain(url);
    expect((await useLink(pathOf(url))).status).toBe(303);
    expect(await signsIn(learner.email, NEW_PASSWORD)).toBe(true);

    const other = await createUser(t.prisma);
    const asLearner = await login(t.app, other.email);
    const token = csrfFrom((await asLearner.get("/account")).text);
    const refused = await asLearner.post(`/admin/users/${admin.id}/reset-link`).type("form").send({ _csrf: token });
    expect(refused.status).toBe(403);
    expect(await t.prisma.passwordReset.count({ where: { userId: admin.id } })).toBe(0);
  });
});

describe("the command line", () => {
  it("prints a working one-time link on its last line", async () => {
    const user = await createUser(t.prisma);
    const run = spawnSync(
      process.execPath,
      [path.join(__dirname, "../../dist/cli/user.js"), "reset-link", "--email", user.email],
      { env: { ...process.env, DATABASE_URL: t.config.databaseUrl, BASE_URL: "http://cli.test" }, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    const last = run.stdout.trim().split("\n").pop()!;
    expect(last).toMatch(/^http:\/\/cli\.test\/password-reset\/[A-Za-z0-9_-]{43}$/);
    expect((await useLink(pathOf(last))).status).toBe(303);
    expect(await signsIn(user.email, NEW_PASSWORD)).toBe(true);

    const unknown = spawnSync(
      process.execPath,
      [path.join(__dirname, "../../dist/cli/user.js"), "reset-link", "--email", "nobody@example.test"],
      { env: { ...process.env, DATABASE_URL: t.config.databaseUrl }, encoding: "utf8" },
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("No user with the email nobody@example.test.");
  });
});
