// Several instances on one PostgreSQL: WEB_CONCURRENCY workers behind one port (node:cluster),
// and separate processes started together on an empty database. What must happen once per
// system (migrations, exam definitions, loading the shipped banks) happens once, and nothing
// fails; the deadline sweep under two instances is in attempts.test.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client as PgClient } from "pg";
import { parseExamDefinitions } from "../../src/modules/exams";
import { spawnServer, stopServers, terminate, type ServerProcess } from "../support/server-process";

const adminUrl = () => process.env.STACKPREP_TEST_ADMIN_URL!;
const created: string[] = [];

async function freshDatabase(name: string): Promise<string> {
  const database = `${process.env.STACKPREP_TEST_DB_PREFIX}_${name}`;
  const admin = new PgClient({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  created.push(database);
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function get(port: number, pathname: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
  await res.arrayBuffer();
  return res.status;
}

const errorsIn = (server: ServerProcess) =>
  server
    .output()
    .split("\n")
    .filter((line) => /"level":(50|60)/.test(line));

afterAll(async () => {
  await stopServers();
  const admin = new PgClient({ connectionString: adminUrl() });
  await admin.connect();
  for (const database of created) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

describe("WEB_CONCURRENCY workers", () => {
  it("serve on one port, a killed worker is replaced, and SIGTERM stops them all with exit 0", async () => {
    const url = await freshDatabase("cluster");
    const server = await spawnServer({ DATABASE_URL: url, WEB_CONCURRENCY: "2", LOAD_SHIPPED_BANKS: "false" });
    expect(server.output()).toMatch(/Stackprep is serving http:\/\/\S+ with 2 workers/);
    const workerPids = async (count: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const pids = [...server.output().matchAll(/worker (\d+) is serving/g)].map((m) => Number(m[1]));
        if (pids.length >= count || Date.now() > deadline) return pids;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const first = await workerPids(2);
    expect(new Set(first).size).toBe(2);
    for (let i = 0; i < 6; i++) expect(await get(server.port, "/healthz")).toBe(200);

    process.kill(first[0]!, "SIGKILL");
    await server.waitFor(/exited \(SIGKILL\); starting another/);
    const after = await workerPids(3);
    expect(after).toHaveLength(3);
    for (let i = 0; i < 6; i++) expect(await get(server.port, "/login")).toBe(200);

    const exit = await terminate(server);
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    for (const pid of after.slice(1)) expect(() => process.kill(pid, 0)).toThrow();
    expect(errorsIn(server).filter((line) => !line.includes("exited (SIGKILL)"))).toEqual([]);
  }, 120_000);
});

describe("instances starting together on an empty database", () => {
  it("apply each migration once, define each exam once and load the shipped banks once", async () => {
    const url = await freshDatabase("together");
    const [a, b] = await Promise.all([spawnServer({ DATABASE_URL: url }), spawnServer({ DATABASE_URL: url })]);
    const loaded = /loaded the shipped question banks|the shipped question banks are already loaded/;
    await Promise.all([a.waitFor(loaded, 240_000), b.waitFor(loaded, 240_000)]);

    const migrations = await query<{ migration_name: string; n: string }>(
      url,
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(migrations).toEqual([]);
    const examsFile = path.resolve(__dirname, "../../question-banks/exams.yaml");
    const definitions = parseExamDefinitions(readFileSync(examsFile, "utf8"), examsFile);
    const [exams] = await query<{ n: string }>(url, `SELECT count(*) AS n FROM exams`);
    expect(Number(exams!.n)).toBe(definitions.length);
    // One version per question: a second load would have found every question unchanged.
    const [counts] = await query<{ questions: string; versions: string; banks: string }>(
      url,
      `SELECT (SELECT count(*) FROM questions) AS questions, (SELECT count(*) FROM question_versions) AS versions,
              (SELECT count(*) FROM banks) AS banks`,
    );
    expect(Number(counts!.questions)).toBeGreaterThan(1000);
    expect(counts!.versions).toBe(counts!.questions);
    expect(Number(counts!.banks)).toBe(15);

    for (const server of [a, b]) {
      expect(await get(server.port, "/healthz")).toBe(200);
      expect(errorsIn(server)).toEqual([]);
    }
    const exits = await Promise.all([terminate(a), terminate(b)]);
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
  }, 300_000);
});
