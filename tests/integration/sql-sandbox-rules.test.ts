// Two rules of the sandbox, through its own use cases: a data-changing WITH runs in write
// exercises (one statement, rolled back, inside the exercise's schema) and is refused in read
// ones; and every run sees UTC and fixed output styles, whatever the server's or the
// connection's time zone and styles.
import { readFileSync } from "node:fs";
import { Pool } from "pg";
import { parseNativeYaml } from "../../src/modules/banks/formats/native-yaml";
import type { ParsedQuestion } from "../../src/modules/banks/model";
import { createSandboxPool } from "../../src/db";
import { judgeSql, runnerPassword, sqlSandbox, type SqlSandbox } from "../../src/modules/sandbox";
import { createSqlSandbox } from "../../src/sql-sandbox";
import { createTestApp, type TestApp } from "../support/app";

type SqlQuestion = Extract<ParsedQuestion, { type: "sql" }>;

let t: TestApp;
let sandbox: SqlSandbox;
beforeAll(async () => {
  t = await createTestApp();
  sandbox = createSqlSandbox(t.db, t.config);
});
afterAll(async () => {
  await sandbox.close();
  await t.close();
});

const STOCK = `CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL);
CREATE TABLE stock_log (sku text NOT NULL, quantity int NOT NULL);
INSERT INTO stock VALUES ('A1', 5), ('B2', 2), ('D4', 0);`;
const CHECK = "SELECT sku, quantity FROM stock ORDER BY sku";

async function exercise(kind: "read" | "write") {
  const prepared = await sandbox.prepare({
    setup: STOCK,
    kind,
    reference: kind === "write" ? "DELETE FROM stock WHERE quantity = 0 RETURNING sku" : "TABLE stock",
    ...(kind === "write" ? { check: CHECK } : {}),
    compare: { ordered: false, columnNames: true, tolerance: 0 },
  });
  if (!prepared.ok) throw new Error(prepared.message);
  return prepared.validation.schema;
}

const tableRows = async (schema: string) =>
  (await t.db.pool.query(`SELECT sku, quantity FROM ${schema}.stock ORDER BY sku`)).rows;

describe("a data-changing WITH", () => {
  it("runs in a write exercise: its final SELECT's rows come back, the check sees the change, nothing stays", async () => {
    const schema = await exercise("write");
    const before = await tableRows(schema);
    const outcome = await sandbox.run({
      schema,
      kind: "write",
      statement: `WITH emptied AS (DELETE FROM stock WHERE quantity = 0 RETURNING sku),
        logged AS (INSERT INTO stock_log SELECT sku, 0 FROM emptied RETURNING sku)
      SELECT sku FROM emptied;`,
      check: CHECK,
    });
    expect(outcome).toMatchObject({
      ok: true,
      result: { columns: [{ name: "sku", type: "text" }], rows: [["D4"]] },
      check: {
        rows: [
          ["A1", "5"],
          ["B2", "2"],
        ],
      },
    });
    expect(await tableRows(schema)).toEqual(before);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM ${schema}.stock_log`)).rows).toEqual([{ n: 0 }]);
  });

  it("runs when it ends in INSERT, UPDATE or DELETE without RETURNING, and is graded on the check", async () => {
    const schema = await exercise("write");
    const outcome = await sandbox.run({
      schema,
      kind: "write",
      statement:
        "WITH gone AS (DELETE FROM stock WHERE sku = 'A1' RETURNING *) INSERT INTO stock_log SELECT * FROM gone",
      check: "SELECT sku FROM stock_log",
    });
    expect(outcome).toMatchObject({ ok: true, result: null, check: { rows: [["A1"]] } });
  });

  it("is refused, with the way to write it, when it ends in a statement with RETURNING", async () => {
    const schema = await exercise("write");
    const outcome = await sandbox.run({
      schema,
      kind: "write",
      statement:
        "WITH gone AS (DELETE FROM stock WHERE sku = 'A1' RETURNING *) INSERT INTO stock_log SELECT * FROM gone RETURNING sku",
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: a WITH that changes data returns rows only through a final SELECT/),
    });
  });

  it("keeps the result limits, and reaches nothing outside the exercise's schema", async () => {
    const schema = await exercise("write");
    const run = (statement: string) => sandbox.run({ schema, kind: "write", statement });
    expect(
      await run("WITH d AS (UPDATE stock SET quantity = 1 RETURNING sku) SELECT g FROM d, generate_series(1, 5000) g"),
    ).toMatchObject({ ok: false, error: "refused: the result has more than 1000 rows" });
    expect(
      await run(
        "WITH d AS (UPDATE stock SET quantity = 1 RETURNING sku) SELECT repeat('x', 4000) FROM d, generate_series(1, 900)",
      ),
    ).toMatchObject({ ok: false, error: "refused: the result is larger than 1048576 bytes" });
    expect(await run("WITH d AS (UPDATE public.users SET role = 'admin' RETURNING id) SELECT * FROM d")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^permission denied for /),
    });
    expect(await run("WITH d AS (SELECT pg_sleep(5)) UPDATE stock SET quantity = (SELECT 1 FROM d)")).toMatchObject({
      ok: false,
      error: "stopped: the statement ran longer than 2 s",
    });
    expect(await run("WITH d AS (DELETE FROM stock RETURNING *) SELECT * FROM d; DROP TABLE stock")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: only one statement/),
    });
    expect(await run("SELECT * FROM (WITH d AS (DELETE FROM stock RETURNING *) SELECT * FROM d) AS x")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: a WITH that changes data must be the statement itself/),
    });
    expect(await tableRows(schema)).toEqual([
      { sku: "A1", quantity: 5 },
      { sku: "B2", quantity: 2 },
      { sku: "D4", quantity: 0 },
    ]);
    // The temporary table of a run is gone with its transaction.
    expect((await run("WITH d AS (DELETE FROM stock RETURNING sku) SELECT * FROM d")).ok).toBe(true);
    expect(await sandbox.run({ schema, kind: "write", statement: "SELECT * FROM pg_temp.sqlx_result" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not exist/),
    });
  });

  it("is refused in a read exercise, saying why", async () => {
    const schema = await exercise("read");
    const outcome = await sandbox.run({
      schema,
      kind: "read",
      statement: "WITH d AS (DELETE FROM stock RETURNING *) SELECT * FROM d",
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: this exercise only reads; a WITH that changes data/),
    });
    expect(await tableRows(schema)).toHaveLength(3);
  });
});

describe("time zone and output styles", () => {
  // A server, or a connection, set to a far-off zone and other styles than the sandbox's.
  const FOREIGN =
    "-c TimeZone=Pacific/Kiritimati -c DateStyle=SQL,DMY -c IntervalStyle=iso_8601 -c extra_float_digits=0";
  const withOptions = (url: string) => {
    const u = new URL(url);
    u.searchParams.set("options", FOREIGN);
    return u.toString();
  };
  let foreign: SqlSandbox;
  let admin: Pool;
  beforeAll(() => {
    admin = new Pool({ connectionString: withOptions(t.db.url), max: 2 });
    foreign = sqlSandbox({
      admin,
      runnerPool: (credentials, options) => createSandboxPool(withOptions(t.db.url), credentials, options),
      secret: t.config.sessionSecret,
    });
    expect(runnerPassword(t.config.sessionSecret)).toHaveLength(64);
  });
  afterAll(async () => {
    await foreign.close();
    await admin.end();
  });

  it("runs every statement in UTC with ISO dates, whatever the connection's settings", async () => {
    const check = await admin.query("SELECT current_setting('TimeZone') AS tz");
    expect(check.rows[0].tz).toBe("Pacific/Kiritimati");
    // The setup, too, reads a zoneless literal as UTC.
    const prepared = await foreign.prepare({
      setup: "CREATE TABLE events (at timestamptz NOT NULL); INSERT INTO events VALUES ('2026-03-29 00:30');",
      kind: "read",
      reference: "SELECT at, at::date AS day FROM events",
      compare: { ordered: false, columnNames: true, tolerance: 0 },
    });
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.validation.expected.rows).toEqual([["2026-03-29 00:30:00+00", "2026-03-29"]]);
    const outcome = await foreign.run({
      schema: prepared.validation.schema,
      kind: "read",
      statement: `SELECT current_setting('TimeZone') AS tz, timestamptz '2026-01-31 23:00:00+00' AS at,
        (timestamptz '2026-01-31 23:00:00+00')::date AS day, interval '1 day 2 hours' AS span,
        0.1::float8 AS f, date '2026-02-03' AS d`,
    });
    expect(outcome).toMatchObject({
      ok: true,
      result: { rows: [["UTC", "2026-01-31 23:00:00+00", "2026-01-31", "1 day 02:00:00", "0.1", "2026-02-03"]] },
    });
  });

  it("grades the shipped time-zone exercise the same as on a UTC server", async () => {
    const text = readFileSync(`${__dirname}/../../question-banks/sql.yaml`, "utf8");
    const parsed = parseNativeYaml(text, { file: "sql.yaml" });
    if (!parsed.ok) throw new Error("sql.yaml does not parse");
    const q = parsed.bank.questions.find((x): x is SqlQuestion => x.externalId === "sql-run-035")!;
    const onUtc = await sandbox.prepare(q);
    const onForeign = await foreign.prepare(q);
    if (!onUtc.ok || !onForeign.ok) throw new Error("sql-run-035 does not prepare");
    expect(onForeign.validation).toEqual(onUtc.validation);
    const key = { exercise: { kind: q.kind, compare: q.compare }, expected: onForeign.validation.expected };
    const graded = async (statement: string) =>
      judgeSql(key, await foreign.run({ schema: onForeign.validation.schema, kind: "read", statement })).correct;
    expect(await graded(q.reference)).toBe(true);
    // Read in the session's zone, the naive cast is a UTC day: wrong, as on a UTC server.
    expect(
      await graded("SELECT happened_at::date AS day, count(*) AS check_ins FROM check_ins GROUP BY 1 ORDER BY 1"),
    ).toBe(false);
  });
});
