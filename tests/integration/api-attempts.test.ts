// The learner's API: exams, a whole sitting (start, read, save, submit, result) under the
// page's rules, with every response checked against the OpenAPI document.
import { createExamFixture, LEAK, storedChoiceIds, withStoredIds } from "../factories/exams";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, TestClock, type TestApp } from "../support/app";

const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let t: TestApp;
let api: ContractClient;
beforeAll(async () => {
  t = await createTestApp({ clock });
  api = await ContractClient.load(t.app);
});
afterAll(() => t.close());

async function learner() {
  const user = await createUser(t.prisma);
  const { token } = await createToken(t.prisma, user.id);
  return { user, token };
}

describe("exams and attempts over the API", () => {
  it("lists published exams with cursor pages", async () => {
    const { token } = await learner();
    await createExamFixture(t.prisma);
    await createExamFixture(t.prisma);
    const first = await api.call("get", "/exams?limit=1", { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call("get", `/exams?limit=1&cursor=${first.body.nextCursor}`, { token });
    expect(second.status).toBe(200);
    expect(second.body.items[0].slug).not.toBe(first.body.items[0].slug);
    const bad = await api.call("get", "/exams?cursor=bm9wZQ", { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("cursor");
  });

  it("answers a read again with 304 for its ETag", async () => {
    const { token } = await learner();
    const first = await api.call("get", "/progress", { token });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBeDefined();
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    const again = await api.call("get", "/progress", {
      token,
      headers: { "If-None-Match": first.headers.etag as string },
    });
    expect(again.status).toBe(304);
    // fetch() sends every conditional request with Cache-Control: no-cache (the Fetch
    // standard): a revalidation with the origin, still answered 304.
    const fromFetch = await api.call("get", "/progress", {
      token,
      headers: { "If-None-Match": `"nope", ${first.headers.etag as string}`, "Cache-Control": "no-cache" },
    });
    expect(fromFetch.status).toBe(304);
    const changed = await api.call("get", "/progress", { token, headers: { "If-None-Match": 'W/"other"' } });
    expect(changed.status).toBe(200);
  });

  it("sits a whole attempt: no key before submitting, the result after", async () => {
    const { exam, slug } = await createExamFixture(t.prisma);
    const { token } = await learner();
    const started = await api.call("post", `/exams/${exam.slug}/attempts`, { token });
    expect(started.status).toBe(201);
    expect(started.headers.location).toBe(`/api/v1/attempts/${started.body.id}`);
    const again = await api.call("post", `/exams/${exam.slug}/attempts`, { token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: started.body.id, resumed: true });
    const id = started.body.id as string;

    const open = await api.call("get", `/attempts/${id}`, { token });
    expect(open.status).toBe(200);
    expect(open.body.status).toBe("open");
    expect(open.body.items).toHaveLength(6);
    expect(open.text).not.toContain(LEAK);
    expect(open.text).not.toMatch(/"correct"|"explanation|"accept"|"answers"|ZEBRADISTINCT/);
    const single = open.body.items[0];
    expect(single.type).toBe("single");
    expect(single.options.map((o: { id: string }) => o.id).sort()).toEqual(
      (await storedChoiceIds(t.prisma, slug, 1)).sort(),
    );

    const right = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" });
    const saved = await api.call("put", `/attempts/${id}/answers/1`, {
      token,
      body: { seq: 1, response: right, flagged: true },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ saved: true, seq: 1 });
    const stale = await api.call("put", `/attempts/${id}/answers/1`, { token, body: { seq: 1, response: null } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe("stale_answer");
    const reread = await api.call("get", `/attempts/${id}`, { token });
    expect(reread.body.items[0]).toMatchObject({ response: right, flagged: true, seq: 1 });

    const early = await api.call("get", `/attempts/${id}/result`, { token });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("attempt_open");

    const submitted = await api.call("post", `/attempts/${id}/submission`, { token });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ id, status: "submitted", result: `/api/v1/attempts/${id}/result` });
    const repeated = await api.call("post", `/attempts/${id}/submission`, { token });
    expect(repeated.status).toBe(200);
    const late = await api.call("put", `/attempts/${id}/answers/2`, { token, body: { seq: 1, response: null } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("attempt_submitted");

    const result = await api.call("get", `/attempts/${id}/result`, { token });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ correctCount: 1, total: 6, reviewAvailable: true, passed: false });
    expect(result.body.scorePercent).toBeCloseTo(100 / 6, 1);
    expect(result.body.topics).toEqual([expect.objectContaining({ topicPath: slug, total: 6, correct: 1 })]);
    expect(result.body.review[0]).toMatchObject({ position: 1, correct: true, held: false });
    expect(result.text).toContain(LEAK);
    const attempt = await api.call("get", `/attempts/${id}`, { token });
    expect(attempt.body.status).toBe("submitted");
  });

  it("refuses a save past the deadline and submits the attempt", async () => {
    const { exam } = await createExamFixture(t.prisma, { timeLimitSeconds: 60 });
    const { token } = await learner();
    const id = (await api.call("post", `/exams/${exam.slug}/attempts`, { token })).body.id as string;
    clock.advance(70_000);
    const res = await api.call("put", `/attempts/${id}/answers/3`, {
      token,
      body: { seq: 1, response: { type: "truefalse", value: true } },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("deadline_passed");
    expect((await t.prisma.attempt.findUniqueOrThrow({ where: { id } })).status).toBe("submitted");
  });

  it("tells another learner's attempt does not exist", async () => {
    const { exam } = await createExamFixture(t.prisma);
    const owner = await learner();
    const other = await learner();
    const id = (await api.call("post", `/exams/${exam.slug}/attempts`, { token: owner.token })).body.id as string;
    for (const res of [
      await api.call("get", `/attempts/${id}`, { token: other.token }),
      await api.call("put", `/attempts/${id}/answers/1`, { token: other.token, body: { seq: 5, response: null } }),
      await api.call("post", `/attempts/${id}/submission`, { token: other.token }),
      await api.call("get", `/attempts/${id}/result`, { token: other.token }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    const item = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId: id, position: 1 } });
    expect(item.seq).toBe(0);
  });
});
