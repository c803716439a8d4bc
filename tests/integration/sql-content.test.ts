// The shipped SQL exercises discriminate: for each one, plausible wrong statements
// (tests/fixtures/sql-probes.yaml) are graded incorrect and equivalent formulations correct,
// run through the sandbox and judged as a learner's submission would be.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseNativeYaml } from "../../src/modules/banks/formats/native-yaml";
import type { ParsedQuestion } from "../../src/modules/banks/model";
import { judgeSql, type SqlSandbox } from "../../src/modules/sandbox";
import { createSqlSandbox } from "../../src/sql-sandbox";
import { createTestApp, type TestApp } from "../support/app";

type SqlQuestion = Extract<ParsedQuestion, { type: "sql" }>;
type Probes = Record<string, { wrong?: string[]; right?: string[] }>;

const root = `${__dirname}/../..`;
const probes = parse(readFileSync(`${root}/tests/fixtures/sql-probes.yaml`, "utf8")) as Probes;
const exercises: SqlQuestion[] = ["sql.yaml", "database-design.yaml"].flatMap((file) => {
  const parsed = parseNativeYaml(readFileSync(`${root}/question-banks/${file}`, "utf8"), { file });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join("\n"));
  return parsed.bank.questions.filter((q): q is SqlQuestion => q.type === "sql");
});

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

describe("shipped SQL exercises", () => {
  it("have probes: at least one wrong and one right statement each", () => {
    expect(exercises.length).toBeGreaterThanOrEqual(40);
    const missing = exercises
      .filter((q) => !probes[q.externalId]?.wrong?.length || !probes[q.externalId]?.right?.length)
      .map((q) => q.externalId);
    expect(missing).toEqual([]);
  });

  it.each(exercises.map((q) => [q.externalId, q] as const))(
    "%s fails the wrong statements and accepts the right ones",
    async (_id, q) => {
      const prepared = await sandbox.prepare(q);
      if (!prepared.ok) throw new Error(`${prepared.field}: ${prepared.message}`);
      const { schema, expected, expectedCheck } = prepared.validation;
      const key = {
        exercise: { kind: q.kind, compare: q.compare },
        expected,
        ...(expectedCheck ? { expectedCheck } : {}),
      };
      const verdict = async (statement: string) => {
        const record = await sandbox.run({
          schema,
          kind: q.kind,
          statement,
          ...(q.check !== undefined ? { check: q.check } : {}),
        });
        return { statement, correct: judgeSql(key, record).correct };
      };
      const probe = probes[q.externalId] ?? {};
      for (const statement of probe.wrong ?? [])
        expect(await verdict(statement)).toEqual({ statement, correct: false });
      for (const statement of probe.right ?? []) expect(await verdict(statement)).toEqual({ statement, correct: true });
    },
  );
});
