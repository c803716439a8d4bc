// PostgreSQL going away and coming back, as an operator sees it from outside: the real server
// process keeps answering (503 where a page needs the database, /healthz unhealthy), comes
// back by itself when PostgreSQL does (sessions intact), and still stops cleanly while it is
// down. The database here is a PostgreSQL of the test's own that it stops and restarts.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectDatabase, startEmbeddedDatabase } from "../../src/db";
import type { EmbeddedDatabase } from "../../src/db/embedded";
import { createUser, PASSWORD } from "../factories/users";
import { Client, postgresProcessesOf, spawnServer, stopServers, terminate } from "../support/server-process";

jest.setTimeout(120_000);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "stackprep-outage-"));
  chmodSync(scratch, 0o755); // the postgres user must reach it when the tests run as root
});
afterEach(() => stopServers());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds until GET /healthz answers 200, polling every 100 ms; fails after `limit`. */
async function healthyWithin(client: Client, limit: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limit) {
    if ((await client.request("GET", "/healthz")).status === 200) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`/healthz was not healthy within ${limit} ms`);
}

describe("PostgreSQL down and up again", () => {
  let database: EmbeddedDatabase | undefined;
  afterAll(() => database?.stop());

  it("answers 503 while it is down, reconnects by itself, and stops within 10 s while it is down", async () => {
    const preferredDir = path.join(scratch, "external");
    database = await startEmbeddedDatabase({ preferredDir, database: "stackprep", log: () => undefined });
    const { url, port } = database;
    const server = await spawnServer({ DATABASE_URL: url, LOAD_SHIPPED_BANKS: "false" });
    const setup = connectDatabase(url, { max: 1 });
    const user = await createUser(setup.prisma);
    await setup.close();
    const learner = new Client(server.port);
    await learner.login(user.email, PASSWORD);
    expect((await learner.request("GET", "/progress")).status).toBe(200);

    await database.stop();
    const health = await learner.request("GET", "/healthz");
    expect([health.status, JSON.parse(health.text)]).toEqual([503, { status: "degraded", database: "down" }]);
    for (const page of ["/progress", "/account", "/exams"]) {
      const res = await learner.request("GET", page);
      expect([page, res.status, res.headers["retry-after"]]).toEqual([page, 503, "5"]);
      expect(res.text).toContain("briefly unavailable");
    }
    const json = await learner.request("GET", "/progress", { headers: { accept: "application/json" } });
    expect(json.status).toBe(503);
    expect(JSON.parse(json.text)).toMatchObject({
      status: 503,
      code: "unavailable",
      error: "The service is briefly unavailable. Please try again in a few seconds.",
    });
    expect(server.child.exitCode).toBeNull();

    database = await startEmbeddedDatabase({ preferredDir, database: "stackprep", port, log: () => undefined });
    expect(await healthyWithin(learner, 10_000)).toBeLessThan(10_000);
    // The same browser, still signed in: its session row was in PostgreSQL all along.
    const progress = await learner.request("GET", "/progress");
    expect(progress.status).toBe(200);
    expect(progress.text).toContain("Sign out");

    await database.stop();
    expect((await learner.request("GET", "/progress")).status).toBe(503);
    const exit = await terminate(server);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    expect(server.output()).not.toContain("shutdown took too long");
  });

  it("restarts its embedded PostgreSQL when it is killed, and leaves none behind on SIGTERM", async () => {
    const dataDir = path.join(scratch, "embedded");
    const server = await spawnServer({ EMBEDDED_PG_DIR: dataDir, LOAD_SHIPPED_BANKS: "false" });
    const client = new Client(server.port);
    expect((await client.request("GET", "/healthz")).status).toBe(200);
    const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");
    await sleep(200);
    expect((await client.request("GET", "/healthz")).status).toBe(503);
    expect(await healthyWithin(client, 10_000)).toBeLessThan(10_000);
    expect(server.output()).toContain("PostgreSQL exited unexpectedly (SIGKILL); restarting it");
    const exit = await terminate(server);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(postgresProcessesOf(dataDir)).toEqual([]);
  });
});
