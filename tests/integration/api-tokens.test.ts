// Personal access tokens and the API's conventions: the account page and the command line
// create them (shown once), revocation and expiry answer 401 at once, scopes never exceed the
// role, cookies authorise nothing on /api, and bad input is a 400/413/415 naming the field.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import request from "supertest";
import { createExamFixture } from "../factories/exams";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { login, tokenFor } from "../support/http";

const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let t: TestApp;
let api: ContractClient;
beforeAll(async () => {
  t = await createTestApp({ clock, env: { API_RATE_LIMIT_PER_MINUTE: "30" } });
  api = await ContractClient.load(t.app);
});
afterAll(() => t.close());

describe("tokens on the account page", () => {
  it("creates a token shown once, which works at once, and revokes it (401 at once)", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const csrf = await tokenFor(agent, "/account");
    const created = await agent
      .post("/account/tokens")
      .type("form")
      .send({ _csrf: csrf, name: "phone", scope: "learner", expiresInDays: "30" });
    expect(created.status).toBe(201);
    const token = /<code id="new-token">(spat_[A-Za-z0-9_-]{43})<\/code>/.exec(created.text)?.[1];
    expect(token).toBeDefined();
    const row = await t.prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).not.toContain(token!.slice(5));
    expect(row.expiresAt?.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);

    const page = await agent.get("/account");
    expect(page.text).toContain("phone");
    expect(page.text).not.toContain(token);

    expect((await api.call("get", "/progress", { token })).status).toBe(200);
    expect((await t.prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();

    const revoked = await agent.post(`/account/tokens/${row.id}/revocation`).type("form").send({ _csrf: csrf });
    expect(revoked.status).toBe(303);
    const after = await api.call("get", "/progress", { token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("invalid_token");
    expect(after.headers["www-authenticate"]).toContain("invalid_token");
  });

  it("refuses a scope wider than the role, and another user's token id", async () => {
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const csrf = await tokenFor(agent, "/account");
    const wide = await agent.post("/account/tokens").type("form").send({ _csrf: csrf, name: "x", scope: "admin" });
    expect(wide.status).toBe(403);
    expect(await t.prisma.apiToken.count({ where: { userId: user.id } })).toBe(0);
    const other = await createUser(t.prisma);
    const theirs = await createToken(t.prisma, other.id);
    const res = await agent.post(`/account/tokens/${theirs.id}/revocation`).type("form").send({ _csrf: csrf });
    expect(res.status).toBe(404);
    expect((await t.prisma.apiToken.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });
});

describe("npm run user -- token", () => {
  it("prints the new token on its last line, with the scope asked for", async () => {
    const user = await createUser(t.prisma, { role: "instructor" });
    const root = path.resolve(__dirname, "../..");
    const { stdout } = await promisify(execFile)(
      path.join(root, "node_modules/.bin/tsx"),
      ["src/cli/user.ts", "token", "--email", user.email, "--scope", "learner", "--name", "CI"],
      { cwd: root, env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: "silent" } },
    );
    const token = stdout.trim().split("\n").pop()!;
    expect(token).toMatch(/^spat_[A-Za-z0-9_-]{43}$/);
    const row = await t.prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ name: "CI", scope: "learner" });
    expect((await api.call("get", "/exams", { token })).status).toBe(200);
  });
});

describe("authentication", () => {
  it("answers 401 without a token, with a malformed or unknown one, and for expired or disabled", async () => {
    const user = await createUser(t.prisma);
    const expired = await createToken(t.prisma, user.id, { expiresAt: new Date(clock.now().getTime() - 1000) });
    const disabled = await createUser(t.prisma, { disabled: true });
    const ofDisabled = await createToken(t.prisma, disabled.id);
    const none = await api.call("get", "/exams");
    expect(none.status).toBe(401);
    expect(none.body.code).toBe("unauthenticated");
    const bad = await api.call("get", "/exams", { headers: { Authorization: "Basic abc" } });
    expect(bad.status).toBe(401);
    for (const token of ["spat_nope", `spat_${"A".repeat(43)}`, expired.token, ofDisabled.token]) {
      const res = await api.call("get", "/exams", { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
    }
  });

  it("ignores the session cookie: a signed-in browser cannot call or write through /api", async () => {
    const { exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const csrf = await tokenFor(agent, "/exams");
    const read = await agent.get("/api/v1/exams");
    expect(read.status).toBe(401);
    const write = await agent.post(`/api/v1/exams/${exam.slug}/attempts`).set("x-csrf-token", csrf).send({});
    expect(write.status).toBe(401);
    expect(await t.prisma.attempt.count({ where: { userId: user.id } })).toBe(0);
  });

  it("narrows a token to the user's current role and refuses wider endpoints with 403", async () => {
    const user = await createUser(t.prisma, { role: "instructor" });
    const { token } = await createToken(t.prisma, user.id, { scope: "learner" });
    const res = await api.call("get", "/banks", { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("insufficient_scope");
    const demoted = await createUser(t.prisma, { role: "instructor" });
    const wide = await createToken(t.prisma, demoted.id, { scope: "instructor" });
    await t.prisma.user.update({ where: { id: demoted.id }, data: { role: "learner" } });
    expect((await api.call("get", "/banks", { token: wide.token })).status).toBe(403);
  });

  it("limits requests per token with 429 and Retry-After", async () => {
    const user = await createUser(t.prisma);
    const { token } = await createToken(t.prisma, user.id);
    const other = await createToken(t.prisma, user.id);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await api.call("get", "/progress", { token })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const last = await api.call("get", "/progress", { token });
    expect(last.status).toBe(429);
    expect(last.body.code).toBe("rate_limited");
    expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
    expect((await api.call("get", "/progress", { token: other.token })).status).toBe(200);
  });
});

describe("the answer save, proved inside its statement", () => {
  async function sitting() {
    const { exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    const created = await createToken(t.prisma, user.id);
    const attemptId = (await api.call("post", `/exams/${exam.slug}/attempts`, { token: created.token })).body
      .id as string;
    const save = (seq: number) =>
      api.call("put", `/attempts/${attemptId}/answers/3`, {
        token: created.token,
        body: { seq, response: { type: "truefalse", value: true } },
      });
    return { ...created, attemptId, save };
  }

  it("refuses a revoked token's save at once, within the minute after its last use", async () => {
    const { id, save } = await sitting();
    expect((await save(1)).status).toBe(200);
    await t.prisma.apiToken.update({ where: { id }, data: { revokedAt: clock.now() } });
    const res = await save(2);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
  });

  it("counts each save once against the token's limit, and refuses past it with 429", async () => {
    const { id, attemptId, save } = await sitting();
    for (let seq = 1; seq <= 29; seq++) expect((await save(seq)).status).toBe(200);
    const { rows } = await t.db.pool.query<{ points: number }>("SELECT points FROM rate_limits WHERE key = $1", [
      `api-token:${id}`,
    ]);
    expect(rows[0]!.points).toBe(30); // the start and 29 saves
    const over = await save(30);
    expect(over.status).toBe(429);
    expect(over.headers["retry-after"]).toBeDefined();
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 3 } });
    expect(item.seq).toBe(29); // the refused save wrote nothing
  });
});

describe("bad input", () => {
  let token: string;
  let attemptId: string;
  beforeAll(async () => {
    const { exam } = await createExamFixture(t.prisma);
    const user = await createUser(t.prisma);
    token = (await createToken(t.prisma, user.id)).token;
    attemptId = (await api.call("post", `/exams/${exam.slug}/attempts`, { token })).body.id as string;
  });
  const put = (body: string, type = "application/json") =>
    request(t.app)
      .put(`/api/v1/attempts/${attemptId}/answers/1`)
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", type)
      .send(body)
      .then((res) => {
        api.check("put", `/attempts/${attemptId}/answers/1`, res);
        return res;
      });

  it("malformed JSON: 400 naming the body", async () => {
    const res = await put('{"seq": 1,');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: "body", message: "malformed JSON" }]);
  });

  it("another content type: 415", async () => {
    const res = await put("seq=1", "application/x-www-form-urlencoded");
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("unsupported_media_type");
    expect(res.body.detail).toContain("application/json");
  });

  it("a body over the limit: 413", async () => {
    const res = await put(JSON.stringify({ seq: 1, response: null, pad: "x".repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(res.body.detail).toContain("65536");
  });

  it("unknown fields and out-of-range values: 400 naming each", async () => {
    const unknown = await put(JSON.stringify({ seq: 1, response: null, extra: true }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toContain("extra");
    const range = await put(JSON.stringify({ seq: 0, response: null }));
    expect(range.status).toBe(400);
    expect(range.body.errors.map((e: { field: string }) => e.field)).toContain("seq");
    const position = await api.call("put", `/attempts/${attemptId}/answers/5000`, {
      token,
      body: { seq: 1, response: null },
    });
    expect(position.status).toBe(400);
    expect(position.body.errors.map((e: { field: string }) => e.field)).toContain("position");
    const id = await api.call("get", "/attempts/not-an-id", { token });
    expect(id.status).toBe(400);
    expect(id.body.errors[0].field).toBe("id");
  });

  it("an unknown endpoint: 404 problem", async () => {
    const res = await request(t.app).get("/api/v1/nothing").set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
