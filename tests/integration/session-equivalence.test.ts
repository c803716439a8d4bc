// One description of a session (modules/sessions) serves two readers: the session middleware,
// which loads the row and applies sessionVerdict, and the answer save's proof, which decides
// the same question inside its SQL statement (liveSessionUserSql). The same session states go
// through both and must get the same verdict; the whole save then answers as a page would.
import request from "supertest";
import { unsign } from "cookie-signature";
import { liveSessionUserSql } from "../../src/modules/sessions";
import { createExamFixture, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";

const clock = new TestClock(new Date("2026-06-01T09:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const MINUTE = 60_000;

function cookieOf(agent: Agent): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } })
    .jar;
  const cookie = jar.getCookie("stackprep", { domain: "127.0.0.1", path: "/", secure: false, script: false });
  if (!cookie) throw new Error("no session cookie");
  return `stackprep=${cookie.value}`;
}

/** A learner in an open attempt, with the cookie and CSRF token their browser holds. */
async function signedIn() {
  const { slug, exam } = await createExamFixture(t.prisma);
  const response = await withStoredIds(t.prisma, slug, 1, { type: "single", optionId: "a" });
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  const cookie = cookieOf(agent);
  const sid = unsign(decodeURIComponent(cookie.slice("stackprep=".length)).slice(2), t.config.sessionSecret);
  if (!sid) throw new Error("the cookie does not unsign");
  return { user, agent, attemptId, token, cookie, sid, response };
}

type Learner = Awaited<ReturnType<typeof signedIn>>;

const setSessionField = (userId: string, field: "authAt" | "seenAt", value: number) =>
  t.db.pool.query(
    `UPDATE "session" SET sess = jsonb_set(sess::jsonb, $2::text[], to_jsonb($3::bigint))::json
     WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [userId, `{${field}}`, value],
  );

/** The session states a sign-in can be in, each made the way it happens. */
const states: [string, (l: Learner) => Promise<unknown> | void, "live" | "out"][] = [
  ["live", () => undefined, "live"],
  ["expired idle (no request for 31 minutes)", () => clock.advance(31 * MINUTE), "out"],
  [
    "expired absolute (signed in 12 hours ago, active since)",
    async (l) => {
      const now = clock.now().getTime();
      await setSessionField(l.user.id, "authAt", now - 12 * 60 * MINUTE - 1000);
      await setSessionField(l.user.id, "seenAt", now - MINUTE);
    },
    "out",
  ],
  [
    "signed out",
    async (l) => {
      const res = await l.agent.post("/logout").type("form").send({ _csrf: l.token });
      expect(res.status).toBe(303);
    },
    "out",
  ],
  [
    "role changed by an admin",
    async (l) => {
      const admin = await createUser(t.prisma, { role: "admin" });
      const agent = await login(t.app, admin.email);
      const token = await tokenFor(agent, "/admin/users");
      const res = await agent
        .post(`/admin/users/${l.user.id}/role`)
        .type("form")
        .send({ _csrf: token, role: "instructor" });
      expect(res.status).toBe(303);
    },
    "out",
  ],
  [
    "disabled by an admin",
    async (l) => {
      const admin = await createUser(t.prisma, { role: "admin" });
      const agent = await login(t.app, admin.email);
      const token = await tokenFor(agent, "/admin/users");
      const res = await agent
        .post(`/admin/users/${l.user.id}/status`)
        .type("form")
        .send({ _csrf: token, status: "disabled" });
      expect(res.status).toBe(303);
    },
    "out",
  ],
];

describe("the session middleware and the answer save's proof agree on every session state", () => {
  it.each(states)("%s", async (_state, makeState, expected) => {
    const learner = await signedIn();
    await makeState(learner);
    const now = clock.now();

    // The proof: decided by the database from the stored JSON, in one statement, read-only.
    const proved = await t.prisma.$queryRaw<{ userId: string }[]>(
      liveSessionUserSql({ sid: learner.sid, csrfToken: learner.token, now: now.getTime() }),
    );
    const proofVerdict = proved.length === 1 && proved[0]!.userId === learner.user.id ? "live" : "out";

    // The middleware: the same cookie on a page that needs a signed-in learner.
    const page = await request(t.app).get(`/attempts/${learner.attemptId}`).set("Cookie", learner.cookie);
    const pageVerdict = page.status === 200 ? "live" : "out";
    if (pageVerdict === "out") expect(page.headers.location).toMatch(/^\/login/);

    expect({ proof: proofVerdict, page: pageVerdict }).toEqual({ proof: expected, page: expected });

    // And the whole answer save, sent as the page's script sends it, answers the same way.
    const save = await request(t.app)
      .post(`/attempts/${learner.attemptId}/answers`)
      .set("Cookie", learner.cookie)
      .set("x-csrf-token", learner.token)
      .send({ position: 1, seq: 1, response: learner.response, flagged: false });
    expect(save.status).toBe(expected === "live" ? 200 : 401);
  });

  it("a session due a last-seen refresh is not proved in SQL; the ordinary path takes it, refreshes and saves", async () => {
    const learner = await signedIn();
    clock.advance(6 * MINUTE); // past the 5-minute refresh interval, well within the idle timeout
    const proved = await t.prisma.$queryRaw<{ userId: string }[]>(
      liveSessionUserSql({ sid: learner.sid, csrfToken: learner.token, now: clock.now().getTime() }),
    );
    expect(proved).toEqual([]);
    const save = await request(t.app)
      .post(`/attempts/${learner.attemptId}/answers`)
      .set("Cookie", learner.cookie)
      .set("x-csrf-token", learner.token)
      .send({ position: 1, seq: 1, response: learner.response, flagged: false });
    expect(save.status).toBe(200);
    // refreshed by the middleware, so the next save is proved in SQL again
    const again = await t.prisma.$queryRaw<{ userId: string }[]>(
      liveSessionUserSql({ sid: learner.sid, csrfToken: learner.token, now: clock.now().getTime() }),
    );
    expect(again).toEqual([{ userId: learner.user.id }]);
  });

  it("a forged token proves nothing and the page path refuses the write with 403", async () => {
    const learner = await signedIn();
    const proved = await t.prisma.$queryRaw<{ userId: string }[]>(
      liveSessionUserSql({ sid: learner.sid, csrfToken: "x".repeat(43), now: clock.now().getTime() }),
    );
    expect(proved).toEqual([]);
    const save = await request(t.app)
      .post(`/attempts/${learner.attemptId}/answers`)
      .set("Cookie", learner.cookie)
      .set("x-csrf-token", "x".repeat(43))
      .send({ position: 1, seq: 1, response: learner.response, flagged: false });
    expect(save.status).toBe(403);
  });
});
