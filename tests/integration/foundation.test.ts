import request from "supertest";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("foundation", () => {
  it("reports the database up on /healthz", async () => {
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "up" });
  });

  it("serves the home page with a strict CSP and a request id", async () => {
    const res = await request(t.app).get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Practice for your back-end development exam");
    const csp = res.headers["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "same-origin",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "origin-agent-cluster": "?1",
      "x-dns-prefetch-control": "off",
      "x-permitted-cross-domain-policies": "none",
      "x-xss-protection": "0",
    });
    expect(res.headers["strict-transport-security"]).toBeUndefined(); // plain HTTP in tests
    // An upstream proxy's request id is kept when it looks like one; anything else is replaced.
    const traced = await request(t.app).get("/healthz").set("x-request-id", "edge-42.a_b");
    expect(traced.headers["x-request-id"]).toBe("edge-42.a_b");
    const odd = await request(t.app).get("/healthz").set("x-request-id", "<script>");
    expect(odd.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown page with a 404 page and JSON clients with problem details carrying {error}", async () => {
    const page = await request(t.app).get("/no/such/page");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Page not found");
    const json = await request(t.app).get("/no/such/page").set("Accept", "application/json");
    expect(json.status).toBe(404);
    expect(json.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(json.body).toEqual({
      type: "about:blank",
      title: "Page not found",
      status: 404,
      code: "not_found",
      detail: "There is no page at this address.",
      error: "There is no page at this address.",
    });
  });

  it("reports 503 when the database is down", async () => {
    const down = await createTestApp();
    await down.db.pool.end();
    const res = await request(down.app).get("/healthz");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: "degraded", database: "down" });
    await down.prisma.$disconnect();
  });
});
