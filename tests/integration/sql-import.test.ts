// SQL exercises at import: setup and reference run in the sandbox, the reference's result is
// stored as the key, and a broken setup or reference is reported at its file:line:column.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { importService, type ImportService, type StoredSqlBody } from "../../src/modules/banks";
import { createSqlSandbox } from "../../src/sql-sandbox";
import { judgeSql, type SqlSandbox } from "../../src/modules/sandbox";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let sandbox: SqlSandbox;
let service: ImportService;
beforeAll(async () => {
  t = await createTestApp();
  sandbox = createSqlSandbox(t.db, t.config);
  service = importService({
    prisma: t.prisma,
    clock: t.clock,
    maxBytes: 1 << 20,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  });
});
afterAll(async () => {
  await sandbox.close();
  await t.close();
});

const unique = () => `s${randomUUID().slice(0, 8)}`;

function sqlBank(slug: string, question: string): string {
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: SQL ${slug}
topics:
  ${slug}: SQL
questions:
  - id: ${slug}-1
    topic: ${slug}
    type: sql
    difficulty: 1
${question}
    explanation: Because.
`;
}

describe("importing SQL exercises", () => {
  it("imports the shipped examples and stores each reference's result", async () => {
    const text = readFileSync(`${__dirname}/../../question-banks/sql.yaml`, "utf8");
    const report = await service.importBanks({ sources: [{ name: "sql.yaml", text }], actor: "operator" });
    expect(report.errors).toEqual([]);
    const version = await t.prisma.questionVersion.findFirst({
      where: { question: { externalId: "sql-run-001" } },
    });
    const body = version!.body as unknown as StoredSqlBody;
    expect(version!.type).toBe("sql");
    expect(body.schema).toMatch(/^sqlx_[0-9a-f]{24}$/);
    expect(body.expected.columns).toEqual([
      { name: "name", type: "text" },
      { name: "orders", type: "bigint" },
    ]);
    expect([...body.expected.rows].sort()).toEqual([
      ["Ada", "2"],
      ["Bo", "0"],
      ["Cy", "1"],
      ["Di", "2"],
    ]);
    const upsert = await t.prisma.questionVersion.findFirst({ where: { question: { externalId: "sql-run-004" } } });
    const write = upsert!.body as unknown as StoredSqlBody;
    // B2 starts at 2: the delivery's 3 are added (5), which an overwrite (3) cannot pass for.
    expect(write.expected.rows).toEqual([
      ["B2", "5"],
      ["C3", "4"],
    ]);
    expect(write.expectedCheck!.rows).toEqual([
      ["A1", "5"],
      ["B2", "5"],
      ["C3", "4"],
    ]);
    const graded = async (statement: string) => {
      const record = await sandbox.run({ schema: write.schema, kind: "write", statement, check: write.exercise.check });
      return judgeSql(write, record);
    };
    const overwrite = await graded(
      "INSERT INTO stock VALUES ('B2', 3), ('C3', 4) ON CONFLICT (sku) DO UPDATE SET quantity = EXCLUDED.quantity RETURNING sku, quantity",
    );
    expect(overwrite.correct).toBe(false);
    expect(overwrite.statement!.problems.length).toBeGreaterThan(0);
    expect(overwrite.check!.equal).toBe(false);
    const adding = await graded(
      "INSERT INTO stock AS s VALUES ('C3', 4), ('B2', 3) ON CONFLICT (sku) DO UPDATE SET quantity = s.quantity + EXCLUDED.quantity RETURNING sku, quantity",
    );
    expect(adding.correct).toBe(true);
  });

  it("reports a broken setup at its line and column in the file", async () => {
    const slug = unique();
    const text = sqlBank(
      slug,
      `    setup: |
      CREATE TABLE t (id int);
      INSERT INTO t VALUES (1), (2;
    stem: Select everything.
    reference: SELECT * FROM t`,
    );
    const report = await service.importBanks({ sources: [{ name: `${slug}.yaml`, text }], actor: "operator" });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([`${slug}.yaml:14:35: setup: syntax error at or near ";"`]);
  });

  it("reports a failing reference with PostgreSQL's message at its position", async () => {
    const slug = unique();
    const text = sqlBank(
      slug,
      `    setup: CREATE TABLE t (id int)
    stem: Select everything.
    reference: |
      SELECT id
      FROM nowhere`,
    );
    const report = await service.importBanks({ sources: [{ name: `${slug}.yaml`, text }], actor: "operator" });
    expect(report.errors).toEqual([`${slug}.yaml:16:12: reference: relation "nowhere" does not exist`]);
  });

  it("refuses a reference that is not one statement, or is a write in a read exercise", async () => {
    const slug = unique();
    const text = sqlBank(
      slug,
      `    setup: CREATE TABLE t (id int)
    stem: Select everything.
    reference: SELECT 1; SELECT 2`,
    );
    const report = await service.importBanks({ sources: [{ name: `${slug}.yaml`, text }], actor: "operator" });
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatch(new RegExp(`^${slug}\\.yaml:\\d+:\\d+: reference: `));
    const other = unique();
    const write = sqlBank(
      other,
      `    setup: CREATE TABLE t (id int)
    stem: Delete.
    reference: DELETE FROM t`,
    );
    const refused = await service.importBanks({ sources: [{ name: `${other}.yaml`, text: write }], actor: "operator" });
    expect(refused.ok).toBe(false);
  });

  it("refuses an unknown field and check on a read exercise at parse time", async () => {
    const slug = unique();
    const text = sqlBank(
      slug,
      `    setup: CREATE TABLE t (id int)
    stem: Select.
    reference: SELECT * FROM t
    check: SELECT 1`,
    );
    const report = await service.importBanks({ sources: [{ name: `${slug}.yaml`, text }], actor: "operator" });
    expect(report.errors).toEqual([
      `${slug}.yaml:15:12: questions.0.check: check is for write exercises (kind: write)`,
    ]);
  });
});
