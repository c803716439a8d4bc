// A table-driven sweep of malformed params, queries and bodies over every route the app
// mounts (read from the router itself, so a new route is swept without being listed here):
// no input may answer 5xx. Then the specific inputs that once did, each with its 400.
import { randomUUID } from "node:crypto";
import type { Express } from "express";
import { createExamFixture } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
type Route = { method: "get" | "post"; path: string };

/** Every (method, path) the app serves, walking nested routers. */
function routesOf(app: Express): Route[] {
  const out: Route[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === "string") {
        for (const method of Object.keys(layer.route.methods))
          if (method === "get" || method === "post") out.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

const BAD_PARAMS = ["not-a-uuid", "UPPER", "%00", "%ED%A0%80", "x".repeat(400), "1e308", "-1", "..%2F..%2Fetc"];
const BAD_QUERIES = [
  "q=99999999999999999&format=pdf&mode=bogus&topic=%00&next=//evil.example&expired=1",
  "q[]=1&q[]=2&format[]=yaml&topic[x]=y",
  "q=NaN&topic=%ED%A0%80",
];
const FIELDS = [
  "position",
  "seq",
  "type",
  "answer",
  "text",
  "flagged",
  "go",
  "topics",
  "questionCount",
  "minutes",
  "retention",
  "rating",
  "version",
  "topic",
  "mode",
  "role",
  "status",
  "format",
  "action",
  "published",
  "retired",
  "title",
  "slug",
  "kind",
  "timeLimitMinutes",
  "passMarkPercent",
  "weightsAre",
  "quotaEasy",
  "quotaMedium",
  "quotaHard",
  "stack",
  "attempts",
  "review",
  "closesAt",
  "email",
  "displayName",
  "password",
  "currentPassword",
  "newPassword",
  "next",
  "weight_http",
];
const formWith = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));
const BAD_FORMS: Record<string, unknown>[] = [
  formWith("\u0000"),
  formWith("2147483648"),
  formWith("1e308"),
  formWith("NaN"),
  formWith("-1"),
  formWith(["a", "b"]),
  formWith("\ud800"),
  {},
];
const BAD_JSON: unknown[] = [
  { position: 2 ** 31, seq: 2 ** 31, response: null },
  { position: 1, seq: 1, response: { type: "short", text: "a\u0000b" } },
  { position: 1, seq: 1, response: { type: "short", text: "\ud800" } },
  { position: 1, seq: 1e308, response: { type: "numeric", value: 1 } },
  { position: "1", seq: [], response: { type: "nope" } },
  [1, 2, 3],
  "just a string",
];

let t: TestApp;
let admin: Agent;
let csrf: string;
const values: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const user = await createUser(t.prisma, { role: "admin" });
  admin = await login(t.app, user.email);
  csrf = await tokenFor(admin, "/exams");
  const { slug, exam } = await createExamFixture(t.prisma);
  const attemptId = await startAttempt(admin, exam.slug);
  const question = await t.prisma.question.findFirstOrThrow({ where: { bank: { slug } } });
  Object.assign(values, {
    attemptId,
    questionId: question.id,
    bankSlug: slug,
    examSlug: exam.slug,
    userId: user.id,
    cardKey: `q:${question.id}`,
  });
});
afterAll(() => t.close());

/** A well-formed value for a param, so a malformed body reaches the route's own checks. */
function goodParam(path: string, name: string): string {
  if (name === "cardKey") return values.cardKey!;
  if (name === "slug") return path.includes("/banks") ? values.bankSlug! : values.examSlug!;
  if (path.startsWith("/attempts")) return values.attemptId!;
  if (path.startsWith("/teach/questions")) return values.questionId!;
  if (path.startsWith("/admin")) return values.userId!;
  return randomUUID();
}

const fill = (path: string, pick: (name: string) => string) =>
  path.replace(/:(\w+)/g, (_m, name: string) => pick(name));

async function send(route: Route, path: string, body?: { form?: unknown; json?: unknown; raw?: string }) {
  if (route.method === "get") return admin.get(path);
  const req = admin.post(path).set("x-csrf-token", csrf);
  if (body?.raw !== undefined) return req.set("Content-Type", "application/json").send(body.raw);
  if (body?.json !== undefined) return req.set("Content-Type", "application/json").send(JSON.stringify(body.json));
  return req.type("form").send((body?.form ?? {}) as Record<string, string>);
}

describe("malformed input over every route", () => {
  // Sign-out and the account deletions end the admin's session; they are swept last, below.
  const ending = (r: Route) => r.path === "/logout" || r.path.startsWith("/account/sessions");

  it("finds the app's routes", () => {
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toEqual(expect.arrayContaining([{ method: "post", path: "/attempts/:id/answers" }]));
  });

  it("answers no malformed param, query or body with a 5xx", async () => {
    const failures: string[] = [];
    let sent = 0;
    const check = (what: string, status: number) => {
      sent += 1;
      if (status >= 500) failures.push(`${what} -> ${status}`);
    };
    for (const route of routesOf(t.app).filter((r) => !ending(r))) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const name of names)
        for (const bad of BAD_PARAMS) {
          const path = fill(route.path, (n) => (n === name ? bad : goodParam(route.path, n)));
          check(`${route.method} ${path}`, (await send(route, path)).status);
        }
      const good = fill(route.path, (n) => goodParam(route.path, n));
      if (route.method === "get") {
        for (const query of BAD_QUERIES) check(`get ${good}?${query}`, (await admin.get(`${good}?${query}`)).status);
        continue;
      }
      for (const form of BAD_FORMS)
        check(`post ${good} form ${JSON.stringify(form).slice(0, 60)}`, (await send(route, good, { form })).status);
      for (const json of BAD_JSON)
        check(`post ${good} json ${JSON.stringify(json).slice(0, 60)}`, (await send(route, good, { json })).status);
      check(`post ${good} broken json`, (await send(route, good, { raw: '{"position": 1,' })).status);
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(400);
    // Several thousand requests, one after another: more time on a busy machine.
  }, 180_000);

  it("answers the routes that end a session without a 5xx too", async () => {
    for (const route of routesOf(t.app).filter(ending)) {
      const user = await createUser(t.prisma);
      const agent = await login(t.app, user.email);
      const token = await tokenFor(agent, "/account");
      const res = await agent.post(route.path).type("form").send({ _csrf: token, junk: "\u0000" });
      expect([route.path, res.status < 500]).toEqual([route.path, true]);
    }
  });
});

describe("the inputs that once answered 500 now answer 400 with a message", () => {
  const page = (path: string) => admin.get(path);
  const post = (path: string, form: Record<string, unknown>) =>
    admin
      .post(path)
      .type("form")
      .send({ _csrf: csrf, ...form });

  it.each([
    ["an attempt id that is not a uuid", () => page("/attempts/not-a-uuid")],
    ["a bank slug in capitals", () => page("/teach/banks/UPPER")],
    ["an export format that does not exist", () => page(`/teach/banks/${values.bankSlug}/export?format=pdf`)],
    ["a retention that is not a number", () => post("/review/settings", { retention: "NaN" })],
    ["a role that does not exist", () => post(`/admin/users/${values.userId}/role`, { role: "superadmin" })],
    ["a review grade of 5", () => post(`/review/${values.cardKey}/grade`, { rating: "5", version: "0-0" })],
    [
      "a blueprint weight of 1e308",
      () =>
        post("/teach/exams", {
          title: "Huge",
          slug: `huge-${randomUUID().slice(0, 6)}`,
          kind: "mock",
          questionCount: "10",
          timeLimitMinutes: "10",
          passMarkPercent: "70",
          attempts: "",
          review: "after_submit",
          closesAt: "",
          topics: values.bankSlug,
          [`weight_${values.bankSlug}`]: "1e308",
        }),
    ],
  ])("%s", async (_what, act) => {
    const res = await act();
    expect(res.status).toBe(400);
    expect(res.text).toContain("<h1>");
  });

  it("refuses a position or seq of 2^31 and a NUL or lone surrogate in a short answer, as problem details", async () => {
    for (const body of [
      { position: 2 ** 31, seq: 1, response: null },
      { position: 1, seq: 2 ** 31, response: null },
      { position: 1, seq: 5, response: { type: "short", text: "a\u0000b" } },
      { position: 1, seq: 6, response: { type: "short", text: "x\ud800" } },
    ]) {
      const res = await admin
        .post(`/attempts/${values.attemptId}/answers`)
        .set("x-csrf-token", csrf)
        .set("Content-Type", "application/json")
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: "invalid_input", title: expect.any(String) });
    }
  });

  it("re-renders the custom-quiz form with its message and the ticked topics kept", async () => {
    const res = await post("/exams/custom", { topics: values.bankSlug, questionCount: "0", minutes: "10" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Ask for at least 1 question.");
    expect(res.text).toMatch(new RegExp(`value="${values.bankSlug}" checked`));
  });

  it("refuses an upload with a wrong field name, two files or an unknown format with 400", async () => {
    const base = () => admin.post("/teach/banks/imports").field("_csrf", csrf);
    const wrongField = await base().field("format", "auto").attach("upload", Buffer.from("x"), "x.gift");
    const twoFiles = await base()
      .field("format", "auto")
      .attach("file", Buffer.from("x"), "a.gift")
      .attach("file", Buffer.from("y"), "b.gift");
    const bogus = await base().field("format", "bogus").attach("file", Buffer.from("x"), "x.gift");
    for (const res of [wrongField, twoFiles, bogus]) expect(res.status).toBe(400);
    expect(bogus.text).toContain("Choose auto, yaml, gift, aiken, xml, csv or qti.");
  });

  it("previews a question edit holding a YAML alias as an error, not a crash", async () => {
    const text =
      "base: &a\n  x: 1\nid: q1\ntopic: &t x\ntype: truefalse\ndifficulty: 1\nstem: *t\nanswer: true\nexplanation: *a\n";
    const res = await post(`/teach/questions/${values.questionId}/versions`, { text, action: "preview" });
    expect(res.status).toBe(400);
  });
});
