import request from "supertest";
import { createUser, PASSWORD } from "../factories/users";
import { limiterFactory } from "../../src/db";
import { signInThrottle } from "../../src/modules/accounts";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { csrfFrom, login, sessionCookie, tokenFor } from "../support/http";
import { withStatements } from "../support/statements";

/** The session id a "stackprep=s:<id>.<signature>" cookie carries. */
const sidOf = (cookie: string | undefined) => decodeURIComponent(cookie!.split("=")[1]!).slice(2).split(".")[0]!;

let t: TestApp;
const clock = new TestClock(new Date("2026-03-01T09:00:00Z"));
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const newEmail = () => `new-${Math.random().toString(36).slice(2)}@example.test`;

describe("sign-up, sign-in, sign-out", () => {
  it("creates a learner, signs them in, and signs them out", async () => {
    const agent = request.agent(t.app);
    const email = newEmail();
    const token = await tokenFor(agent, "/signup");
    const res = await agent
      .post("/signup")
      .type("form")
      .send({
        _csrf: token,
        email: ` ${email.toUpperCase()} `,
        displayName: "Ada",
        password: "a long enough passphrase",
      });
    expect(res.status).toBe(303);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user.role).toBe("learner");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const home = await agent.get("/");
    expect(home.text).toContain("Welcome to Stackprep, Ada.");
    const logout = await agent
      .post("/logout")
      .type("form")
      .send({ _csrf: csrfFrom(home.text) });
    expect(logout.status).toBe(303);
    expect((await agent.get("/account")).headers.location).toBe("/login?next=%2Faccount");
  });

  it("refuses short and common passwords with a clear message, and keeps long ones whole", async () => {
    const agent = request.agent(t.app);
    const token = await tokenFor(agent, "/signup");
    const short = await agent
      .post("/signup")
      .type("form")
      .send({ _csrf: token, email: newEmail(), displayName: "B", password: "short" });
    expect(short.status).toBe(400);
    expect(short.text).toContain("Use at least 8 characters");
    const common = await agent
      .post("/signup")
      .type("form")
      .send({ _csrf: token, email: newEmail(), displayName: "B", password: "password1" });
    expect(common.status).toBe(400);
    expect(common.text).toContain("one of the most common");
    const email = newEmail();
    const long = "x".repeat(70) + "y";
    expect(
      (await agent.post("/signup").type("form").send({ _csrf: token, email, displayName: "C", password: long })).status,
    ).toBe(303);
    // Not truncated: the first 70 characters alone do not sign in.
    const other = request.agent(t.app);
    const tok = await tokenFor(other, "/login");
    expect(
      (
        await other
          .post("/login")
          .type("form")
          .send({ _csrf: tok, email, password: "x".repeat(70) })
      ).status,
    ).toBe(401);
    expect((await other.post("/login").type("form").send({ _csrf: tok, email, password: long })).status).toBe(303);
  });

  it("refuses a second account with the same email", async () => {
    const existing = await createUser(t.prisma);
    const agent = request.agent(t.app);
    const token = await tokenFor(agent, "/signup");
    const res = await agent
      .post("/signup")
      .type("form")
      .send({ _csrf: token, email: existing.email, displayName: "D", password: "another fine passphrase" });
    expect(res.status).toBe(409);
    expect(res.text).toContain("already exists");
    expect(await t.prisma.user.count({ where: { email: existing.email } })).toBe(1);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const user = await createUser(t.prisma);
    const agent = request.agent(t.app);
    const token = await tokenFor(agent, "/login");
    const wrong = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: token, email: user.email, password: "not the password" });
    const unknown = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: token, email: user.email.replace("user-", "nobody-"), password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, "").replace(/content="[^"]*"/g, "");
    expect(strip(wrong.text)).toBe(strip(unknown.text));
    expect(wrong.text).toContain("The email or password is not right.");
  });

  it("issues a new session id at sign-in (no fixation)", async () => {
    const user = await createUser(t.prisma);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const before = sessionCookie(page);
    expect(before).toBeDefined();
    const res = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const cookie = (res.headers["set-cookie"] as unknown as string[]).join(";");
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("writes the new session once, with a new form token, and the first page after it writes nothing", async () => {
    const user = await createUser(t.prisma);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const oldSid = sidOf(sessionCookie(page));
    const { result: res, statements } = await withStatements(t.db.pool, () =>
      agent
        .post("/login")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD }),
    );
    expect(res.status).toBe(303);
    const onSessions = statements.filter((s) => /"session"/.test(s.text) && !/^\s*SELECT/i.test(s.text));
    expect(onSessions.map((s) => s.text.trim().split(/\s+/)[0]!.toUpperCase())).toEqual(["DELETE", "INSERT"]);
    expect(await t.prisma.session.findUnique({ where: { sid: oldSid } })).toBeNull();
    const stored = await t.prisma.session.findUniqueOrThrow({ where: { sid: sidOf(sessionCookie(res)) } });
    const sess = stored.sess as {
      passport: { user: { id: string } };
      authAt: number;
      seenAt: number;
      csrfToken: string;
    };
    expect(sess.passport.user.id).toBe(user.id);
    expect(sess.authAt).toBe(clock.now().getTime());
    expect(sess.seenAt).toBe(sess.authAt);
    expect(sess.csrfToken).not.toBe(csrfFrom(page.text));

    const { result: exams, statements: after } = await withStatements(t.db.pool, () => agent.get("/exams"));
    expect(exams.status).toBe(200);
    expect(csrfFrom(exams.text)).toBe(sess.csrfToken);
    expect(after.filter((s) => /"session"/.test(s.text) && !/^\s*SELECT/i.test(s.text))).toEqual([]);
    // The form token works: a sign-out with it ends the session.
    const out = await agent.post("/logout").type("form").send({ _csrf: sess.csrfToken });
    expect(out.status).toBe(303);
    expect(await t.prisma.session.findUnique({ where: { sid: stored.sid } })).toBeNull();
  });
});

describe("CSRF", () => {
  it("refuses a state change without a token or with a wrong one, and changes nothing", async () => {
    const agent = request.agent(t.app);
    await agent.get("/signup");
    const email = newEmail();
    const missing = await agent
      .post("/signup")
      .type("form")
      .send({ email, displayName: "E", password: "a long enough passphrase" });
    expect(missing.status).toBe(403);
    const wrong = await agent
      .post("/signup")
      .type("form")
      .send({ _csrf: "forged", email, displayName: "E", password: "a long enough passphrase" });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain("did not come from this site");
    expect(await t.prisma.user.count({ where: { email } })).toBe(0);
  });

  it("accepts the token in the x-csrf-token header", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const token = await tokenFor(agent, "/account");
    const res = await agent.post("/account/sessions/deletion").set("x-csrf-token", token);
    expect(res.status).toBe(303);
  });
});

// Rate limits count by the server's real time (rate-limiter-flexible reads Date.now()):
// tests that need time to pass move Date alone forward, and the app's clock with it.
const REAL_APIS = [
  "hrtime",
  "nextTick",
  "performance",
  "queueMicrotask",
  "requestAnimationFrame",
  "cancelAnimationFrame",
  "requestIdleCallback",
  "cancelIdleCallback",
  "setImmediate",
  "clearImmediate",
  "setInterval",
  "clearInterval",
  "setTimeout",
  "clearTimeout",
] as const;
function passTime(ms: number) {
  clock.advance(ms);
  jest.useFakeTimers({ doNotFake: [...REAL_APIS], now: Date.now() + ms });
}
afterEach(() => jest.useRealTimers());

/** An app that takes the client address from X-Forwarded-For, so a test can be anyone. */
async function behindProxy<T>(work: (app: TestApp["app"]) => Promise<T>): Promise<T> {
  const proxied = await createTestApp({ clock, env: { TRUST_PROXY: "true" } });
  try {
    return await work(proxied.app);
  } finally {
    await proxied.close();
  }
}

const signInFrom = (
  agent: ReturnType<typeof request.agent>,
  ip: string,
  token: string,
  email: string,
  password: string,
) => agent.post("/login").set("X-Forwarded-For", ip).type("form").send({ _csrf: token, email, password });

describe("throttling", () => {
  it("answers 429 with Retry-After after 10 failures for one account from one address", async () => {
    const user = await createUser(t.prisma);
    const agent = request.agent(t.app);
    const token = await tokenFor(agent, "/login");
    for (let i = 0; i < 10; i += 1) {
      const res = await agent
        .post("/login")
        .type("form")
        .send({ _csrf: token, email: user.email, password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: token, email: user.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);
    expect(blocked.text).toContain("Too many failed sign-in attempts");
    // The window passes: the right password works again.
    passTime(16 * 60_000);
    expect(
      (await agent.post("/login").type("form").send({ _csrf: token, email: user.email, password: PASSWORD })).status,
    ).toBe(303);
  });

  it("checks at most 10 of 60 simultaneous wrong passwords for one account; its known browser still signs in", async () => {
    await behindProxy(async (app) => {
      const user = await createUser(t.prisma);
      const known = request.agent(app);
      expect(
        (await signInFrom(known, "198.51.100.1", await tokenFor(known, "/login"), user.email, PASSWORD)).status,
      ).toBe(303);
      const attacker = request.agent(app);
      const token = await tokenFor(attacker, "/login");
      const guesses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => signInFrom(attacker, "198.51.100.2", token, user.email, `guess ${i}`)),
      );
      const statuses = guesses.map((r) => r.status);
      // A 401 is a checked password; everything past the limit was refused before the check.
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50);
      for (const r of guesses.filter((g) => g.status === 429)) {
        expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
        expect(r.text).toContain("Too many failed sign-in attempts");
      }
      // A new browser, even with the right password, waits; the browser that signed in before does not.
      const fresh = request.agent(app);
      expect(
        (await signInFrom(fresh, "198.51.100.3", await tokenFor(fresh, "/login"), user.email, PASSWORD)).status,
      ).toBe(429);
      const again = await signInFrom(known, "198.51.100.1", await tokenFor(known, "/login"), user.email, PASSWORD);
      expect(again.status).toBe(303);
    });
  });

  it("slows an address after 30 failures with short, growing blocks, and never holds back a browser that signed in before", async () => {
    const ip = "203.0.113.77";
    await behindProxy(async (app) => {
      const user = await createUser(t.prisma);
      const colleague = request.agent(app);
      expect((await signInFrom(colleague, ip, await tokenFor(colleague, "/login"), user.email, PASSWORD)).status).toBe(
        303,
      );
      const spray = async () => {
        const attacker = request.agent(app);
        const token = await tokenFor(attacker, "/login");
        for (let i = 0; i < 30; i += 1)
          expect((await signInFrom(attacker, ip, token, `spray-${i}@example.test`, "Winter2026!")).status).toBe(401);
        return signInFrom(attacker, ip, token, "spray-last@example.test", "Winter2026!");
      };
      const first = await spray();
      expect(first.status).toBe(429);
      expect(Number(first.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect(first.text).toContain("Too many failed sign-in attempts from your network");
      // Someone new behind the same address waits the minute, even with the right password...
      const newcomer = request.agent(app);
      const newcomerToken = await tokenFor(newcomer, "/login");
      expect((await signInFrom(newcomer, ip, newcomerToken, user.email, PASSWORD)).status).toBe(429);
      // ...a browser that signed in to the account before does not, nor does another address.
      expect((await signInFrom(colleague, ip, await tokenFor(colleague, "/login"), user.email, PASSWORD)).status).toBe(
        303,
      );
      expect((await signInFrom(newcomer, "203.0.113.78", newcomerToken, user.email, PASSWORD)).status).toBe(303);
      // The block is short: a minute later the address signs in again.
      passTime(61_000);
      const later = request.agent(app);
      expect((await signInFrom(later, ip, await tokenFor(later, "/login"), user.email, PASSWORD)).status).toBe(303);
      // The next run of failures gets a longer block (2 minutes), still not an hour.
      const second = await spray();
      expect(second.status).toBe(429);
      expect(Number(second.headers["retry-after"])).toBeGreaterThan(60);
      expect(Number(second.headers["retry-after"])).toBeLessThanOrEqual(120);
    });
  });

  it("limits sign-ups per address with 429, Retry-After and a message on the page and in JSON", async () => {
    await behindProxy(async (app) => {
      const agent = request.agent(app);
      const token = await tokenFor(agent, "/signup");
      const signUp = (password: string) =>
        agent
          .post("/signup")
          .set("X-Forwarded-For", "192.0.2.50")
          .type("form")
          .send({ _csrf: token, email: newEmail(), displayName: "S", password });
      for (let i = 0; i < 50; i += 1) expect((await signUp("password1")).status).toBe(400);
      const page = await signUp("a long enough passphrase");
      expect(page.status).toBe(429);
      expect(Number(page.headers["retry-after"])).toBeGreaterThan(0);
      expect(page.text).toContain("Too many sign-ups from your network");
      const json = await signUp("a long enough passphrase").set("Accept", "application/json");
      expect(json.status).toBe(429);
      expect(JSON.parse(json.text)).toMatchObject({
        status: 429,
        code: "rate_limited",
        error: expect.stringContaining("Too many sign-ups from your network"),
      });
      // Another address is not affected.
      const elsewhere = await agent
        .post("/signup")
        .set("X-Forwarded-For", "192.0.2.51")
        .type("form")
        .send({ _csrf: token, email: newEmail(), displayName: "S", password: "a long enough passphrase" });
      expect(elsewhere.status).toBe(303);
    });
  });

  it("has a limit ready for password resets: 3 an hour per account", async () => {
    const throttle = signInThrottle(limiterFactory(t.db.pool));
    const email = newEmail();
    for (let i = 0; i < 3; i += 1)
      await expect(throttle.admitPasswordReset({ email, ip: `192.0.2.${60 + i}` })).resolves.toBeUndefined();
    await expect(throttle.admitPasswordReset({ email, ip: "192.0.2.70" })).rejects.toMatchObject({
      status: 429,
      message: expect.stringContaining("Too many password-reset requests"),
    });
  });
});

describe("sessions", () => {
  it("writes nothing to the session table for 100 signed-in GETs of an unchanged page", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    await agent.get("/account");
    await t.prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS session_writes (n bigint NOT NULL)`);
    await t.prisma.$executeRawUnsafe(`TRUNCATE session_writes`);
    await t.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION count_session_write() RETURNS trigger AS $$ BEGIN INSERT INTO session_writes VALUES (1); RETURN NULL; END $$ LANGUAGE plpgsql`,
    );
    await t.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE TRIGGER session_write_counter AFTER INSERT OR UPDATE OR DELETE ON "session" FOR EACH ROW EXECUTE FUNCTION count_session_write()`,
    );
    try {
      for (let i = 0; i < 100; i += 1) expect((await agent.get("/account")).status).toBe(200);
      const [row] = await t.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM session_writes`);
      expect(Number(row!.n)).toBe(0);
      // The counter does see writes: signing out deletes the row.
      await agent
        .post("/logout")
        .type("form")
        .send({ _csrf: await tokenFor(agent, "/account") });
      const [after] = await t.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM session_writes`);
      expect(Number(after!.n)).toBeGreaterThan(0);
    } finally {
      await t.prisma.$executeRawUnsafe(`DROP TRIGGER session_write_counter ON "session"`);
    }
  });

  it("ends a session after 30 idle minutes", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    expect((await agent.get("/account")).status).toBe(200);
    clock.advance(31 * 60_000);
    const res = await agent.get("/account");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?expired=1");
  });

  it("signs a disabled user out on their next request", async () => {
    const admin = await createUser(t.prisma, { role: "admin" });
    const learner = await createUser(t.prisma);
    const learnerAgent = await login(t.app, learner.email);
    expect((await learnerAgent.get("/account")).status).toBe(200);
    const adminAgent = await login(t.app, admin.email);
    const token = await tokenFor(adminAgent, "/admin/users");
    const res = await adminAgent
      .post(`/admin/users/${learner.id}/status`)
      .type("form")
      .send({ _csrf: token, status: "disabled" });
    expect(res.status).toBe(303);
    expect((await learnerAgent.get("/account")).status).toBe(303);
    const again = request.agent(t.app);
    const tok = await tokenFor(again, "/login");
    expect(
      (await again.post("/login").type("form").send({ _csrf: tok, email: learner.email, password: PASSWORD })).status,
    ).toBe(401);
  });

  it("changing the password ends the other sessions but keeps this one", async () => {
    const user = await createUser(t.prisma);
    const phone = await login(t.app, user.email);
    const laptop = await login(t.app, user.email);
    const token = await tokenFor(laptop, "/account");
    const res = await laptop
      .post("/account/password")
      .type("form")
      .send({ _csrf: token, currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    expect(res.status).toBe(303);
    expect((await laptop.get("/account")).status).toBe(200);
    expect((await phone.get("/account")).status).toBe(303);
  });

  it("sign out everywhere ends every session", async () => {
    const user = await createUser(t.prisma);
    const a = await login(t.app, user.email);
    const b = await login(t.app, user.email);
    const token = await tokenFor(a, "/account");
    expect((await a.post("/account/sessions/deletion").type("form").send({ _csrf: token })).status).toBe(303);
    expect((await a.get("/account")).status).toBe(303);
    expect((await b.get("/account")).status).toBe(303);
  });
});

describe("roles", () => {
  it("gives a learner 403 on /admin/users and an admin the list", async () => {
    const learner = await createUser(t.prisma);
    const admin = await createUser(t.prisma, { role: "admin" });
    expect((await (await login(t.app, learner.email)).get("/admin/users")).status).toBe(403);
    const page = await (await login(t.app, admin.email)).get("/admin/users");
    expect(page.status).toBe(200);
    expect(page.text).toContain(learner.email);
  });

  it("changing a role ends that user's sessions", async () => {
    const admin = await createUser(t.prisma, { role: "admin" });
    const user = await createUser(t.prisma);
    const userAgent = await login(t.app, user.email);
    const adminAgent = await login(t.app, admin.email);
    const token = await tokenFor(adminAgent, "/admin/users");
    expect(
      (await adminAgent.post(`/admin/users/${user.id}/role`).type("form").send({ _csrf: token, role: "instructor" }))
        .status,
    ).toBe(303);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("instructor");
    expect((await userAgent.get("/account")).status).toBe(303);
  });
});
