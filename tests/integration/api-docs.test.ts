// The OpenAPI document and the reference page rendered from it: public, every endpoint in
// both, the page under the strict CSP with no script of its own.
import request from "supertest";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; security: unknown }>> };

it("serves an OpenAPI 3.1 document without a token, every operation secured by a bearer token", async () => {
  const res = await request(t.app).get("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  const doc = res.body as Doc;
  expect(doc.openapi).toBe("3.1.0");
  const operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
  expect(operations).toEqual(
    expect.arrayContaining([
      "get /exams",
      "post /exams/{slug}/attempts",
      "get /attempts/{id}",
      "put /attempts/{id}/answers/{position}",
      "post /attempts/{id}/submission",
      "get /attempts/{id}/result",
      "get /progress",
      "get /review/next",
      "post /banks/previews",
      "post /banks/previews/{id}/publication",
      "get /banks/{slug}/export",
      "post /managed-exams",
    ]),
  );
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item)) expect(op.security).toEqual([{ bearer: [] }]);
});

it("renders the reference page from the document, under the strict CSP", async () => {
  const res = await request(t.app).get("/api/docs");
  expect(res.status).toBe(200);
  const csp = res.headers["content-security-policy"] as string;
  expect(csp).toMatch(/script-src 'self'/);
  expect(csp).not.toContain("unsafe-inline");
  expect(res.text).toContain("PUT /attempts/{id}/answers/{position}");
  expect(res.text).toContain('id="schema-OpenAttempt"');
  // Only the site's own script file: no inline script, nothing from elsewhere.
  const scripts = [...res.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  expect(scripts.every((attrs) => /src="\/static\//.test(attrs ?? ""))).toBe(true);
  expect(res.text).not.toMatch(/https?:\/\/(?!localhost)[^"]*\.(js|css)/);
});
