// Responses to a signed-in user are personal (answer keys in an export, an open attempt, the
// learner's progress): no shared cache may keep them and no browser may store them.
import request from "supertest";
import { createExamFixture } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PRIVATE = "private, no-store";

describe("Cache-Control for signed-in users", () => {
  it("is private, no-store on every page, export and JSON answer of a signed-in user", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const admin = await createUser(t.prisma, { role: "admin" });
    // Owned by the admin and public, so the fixture's exam (a public one) still draws from it.
    await t.prisma.bank.update({ where: { slug }, data: { ownerId: admin.id, public: true } });
    const agent = await login(t.app, admin.email);
    const attemptId = await startAttempt(agent, exam.slug);
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const question = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });

    const pages = [
      "/",
      "/exams",
      "/exams/custom",
      `/attempts/${attemptId}`,
      `/attempts/${attemptId}/summary`,
      "/progress",
      "/progress.csv",
      "/review",
      "/account",
      "/admin/users",
      "/teach",
      "/teach/banks/imports/new",
      `/teach/banks/${slug}`,
      `/teach/banks/${slug}/export`, // every key of the bank
      `/teach/questions/${question.id}/edit`,
      "/teach/exams/new",
      `/teach/exams/${exam.slug}/edit`,
      `/teach/exams/${exam.slug}/cohort`,
      "/no/such/page",
    ];
    const seen: [string, number, unknown][] = [];
    for (const path of pages) {
      const res = await agent.get(path);
      seen.push([path, res.status, res.headers["cache-control"]]);
    }
    const autosave = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 1, response: null, flagged: true });
    seen.push(["autosave", autosave.status, autosave.headers["cache-control"]]);
    const submitted = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    seen.push(["submission", submitted.status, submitted.headers["cache-control"]]);
    seen.push(["result", result.status, result.headers["cache-control"]]);

    expect(seen).toEqual(
      seen.map(([path]) => [path, path === "/no/such/page" ? 404 : path === "submission" ? 303 : 200, PRIVATE]),
    );
  });

  it("leaves anonymous pages and static files cacheable as before", async () => {
    const home = await request(t.app).get("/");
    expect(home.headers["cache-control"]).toBeUndefined();
    const css = await request(t.app).get("/static/vendor/pico.min.css");
    expect(css.status).toBe(200);
    expect(css.headers["cache-control"]).not.toContain("no-store");
  });
});
