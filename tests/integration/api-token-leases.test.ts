// The API's answer save counts a token's requests from points each instance reserved in
// rate_limits a few at a time (one write per lease, not per save). Across two instances on one
// database a token still never gets past its limit, and a revoked or expired token answers 401
// at once on both, whatever points they hold.
import { createExamFixture } from "../factories/exams";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, TestClock, type TestApp } from "../support/app";

const LIMIT = 96; // leases of 3 points (token-leases.ts)
const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let a: TestApp;
let b: TestApp;
let apiA: ContractClient;
let apiB: ContractClient;
beforeAll(async () => {
  const env = { API_RATE_LIMIT_PER_MINUTE: String(LIMIT) };
  a = await createTestApp({ clock, env });
  b = await createTestApp({ clock, env });
  apiA = await ContractClient.load(a.app);
  apiB = await ContractClient.load(b.app);
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const tokens = new Map<string, string>();

async function sitting() {
  const { exam } = await createExamFixture(a.prisma);
  const user = await createUser(a.prisma);
  const { token, id } = await createToken(a.prisma, user.id);
  const attemptId = (await apiA.call("post", `/exams/${exam.slug}/attempts`, { token })).body.id as string;
  tokens.set(attemptId, token);
  const save = (api: ContractClient, seq: number) =>
    api.call("put", `/attempts/${attemptId}/answers/3`, {
      token,
      body: { seq, response: { type: "truefalse", value: seq % 2 === 0 } },
    });
  const counted = async () =>
    (await a.db.pool.query<{ points: number }>("SELECT points FROM rate_limits WHERE key = $1", [`api-token:${id}`]))
      .rows[0]!.points;
  return { id, attemptId, save, counted };
}

describe("leased rate-limit points", () => {
  it("writes the token's count once per lease, not once per save, reserving the next one ahead", async () => {
    const { save, counted } = await sitting();
    expect(await counted()).toBe(1); // the start
    expect((await save(apiA, 1)).status).toBe(200);
    expect(await counted()).toBe(4); // a lease of 3: this save and two more
    // The second save leaves one point: the next lease is reserved meanwhile, and the fourth
    // save spends from it (waiting for it only if it has not landed yet).
    expect((await save(apiA, 2)).status).toBe(200);
    expect((await save(apiA, 3)).status).toBe(200);
    expect((await save(apiA, 4)).status).toBe(200);
    expect(await counted()).toBe(7);
    expect((await save(apiA, 5)).status).toBe(200);
    expect(await counted()).toBeLessThanOrEqual(10);
  });

  it("reserves one lease at a time for saves arriving together", async () => {
    const { attemptId, counted } = await sitting();
    const saves = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((position) =>
        apiA.call("put", `/attempts/${attemptId}/answers/${position}`, {
          token: tokens.get(attemptId)!,
          body: { seq: 1, response: null, flagged: true },
        }),
      ),
    );
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Each lease of 3 covers three saves; a save that waited for a lease already spent counts
    // itself: 1 (the start) + 6, and at most one lease reserved ahead, never a lease per save
    // (1 + 6 * 3).
    expect(await counted()).toBeLessThanOrEqual(1 + 6 + 3);
  });

  it("never lets a token past its limit across two instances", async () => {
    const { attemptId, save } = await sitting();
    let ok = 1; // the start
    let seq = 0;
    const refused = { a: false, b: false };
    while (!(refused.a && refused.b) && seq < 2 * LIMIT) {
      seq += 1;
      const onA = seq % 2 === 1;
      const res = await save(onA ? apiA : apiB, seq);
      if (res.status === 200) ok += 1;
      else {
        expect(res.status).toBe(429);
        expect(res.headers["retry-after"]).toBeDefined();
        refused[onA ? "a" : "b"] = true;
      }
    }
    expect(refused).toEqual({ a: true, b: true });
    expect(ok).toBeLessThanOrEqual(LIMIT);
    // Points an instance reserved and did not spend are lost for the window: at most a lease
    // and the point left of the one before (reserved ahead at half a lease) each.
    expect(ok).toBeGreaterThanOrEqual(LIMIT - 2 * (3 + 1));
    const item = await a.prisma.attemptItem.findFirstOrThrow({ where: { attemptId, position: 3 } });
    expect(item.seq).toBeLessThanOrEqual(seq);
  });

  it("answers a revoked token's save with 401 at once on both instances, while they hold leased points", async () => {
    const { id, save } = await sitting();
    expect((await save(apiA, 1)).status).toBe(200);
    expect((await save(apiB, 2)).status).toBe(200);
    await a.prisma.apiToken.update({ where: { id }, data: { revokedAt: clock.now() } });
    for (const [api, seq] of [
      [apiA, 3],
      [apiB, 4],
    ] as const) {
      const res = await save(api, seq);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
    }
  });

  it("answers an expired token's save with 401 at once, while leased points are left", async () => {
    const { id, save } = await sitting();
    expect((await save(apiA, 1)).status).toBe(200);
    await a.prisma.apiToken.update({ where: { id }, data: { expiresAt: new Date(clock.now().getTime() - 1000) } });
    const res = await save(apiA, 2);
    expect(res.status).toBe(401);
  });
});
