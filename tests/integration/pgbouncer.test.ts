// The app through PgBouncer in transaction mode (Debian's 1.18, which carries no prepared
// statements): sign in, start, save answers from several learners at once, submit, read the
// result; and migrations applied through it. With DATABASE_PREPARED_STATEMENTS=false the
// answer save goes unnamed, so a save that lands on another server connection still works.
import { createExamFixture, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { applyMigrations, createPool, migrationsDir } from "../../src/db";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";
import { hasPgBouncer, startPgBouncer, type Bouncer } from "../support/pgbouncer";
import path from "node:path";

const describeWithBouncer = hasPgBouncer() ? describe : describe.skip;
if (!hasPgBouncer()) console.warn("PgBouncer is not installed (apt-get install pgbouncer): its tests are skipped");

let bouncer: Bouncer;
let t: TestApp;
let routedUrl = "";

describeWithBouncer("through PgBouncer in transaction mode", () => {
  beforeAll(async () => {
    t = await createTestApp({
      env: { DATABASE_PREPARED_STATEMENTS: "false" },
      poolMax: 6,
      route: async (url) => {
        bouncer = await startPgBouncer(url, { poolSize: 2 });
        routedUrl = bouncer.route(url);
        return routedUrl;
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await bouncer?.stop();
  });

  it("runs whole sittings of several learners at once, every save confirmed and kept", async () => {
    const { slug, exam } = await createExamFixture(t.prisma);
    const answer = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" });
    const learners = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const user = await createUser(t.prisma);
        const agent = await login(t.app, user.email);
        const attemptId = await startAttempt(agent, exam.slug);
        const token = await tokenFor(agent, `/attempts/${attemptId}`);
        return { agent, attemptId, token };
      }),
    );
    // Many saves in flight from six learners over six client connections and two server ones.
    const saves = await Promise.all(
      learners.flatMap(({ agent, attemptId, token }) =>
        Array.from({ length: 8 }, (_, i) =>
          agent
            .post(`/attempts/${attemptId}/answers`)
            .set("x-csrf-token", token)
            .send({ position: 1 + (i % 6), seq: 1 + i, response: i % 6 === 0 ? answer : null, flagged: i % 2 === 0 }),
        ),
      ),
    );
    expect(saves.map((r) => r.status)).toEqual(saves.map(() => 200));
    for (const { agent, attemptId, token } of learners) {
      const submitted = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
      expect(submitted.status).toBe(303);
      const result = await agent.get(`/attempts/${attemptId}/result`);
      expect(result.status).toBe(200);
      const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
      expect(attempt.status).toBe("submitted");
    }
  });

  it("applies migrations through the pooler (locks and bookkeeping stay inside transactions)", async () => {
    const pool = createPool(routedUrl, 3, { preparedStatements: false });
    try {
      // Everything is applied already: a second pass through the pooler changes nothing.
      const dir = migrationsDir(path.resolve(__dirname, "../.."));
      expect(await applyMigrations(pool, dir)).toEqual([]);
      const both = await Promise.all([applyMigrations(pool, dir), applyMigrations(pool, dir)]);
      expect(both).toEqual([[], []]);
    } finally {
      await pool.end();
    }
  });
});
