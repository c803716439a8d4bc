// A database of one's own holding the shipped banks and exams (the real diagnostic and mock
// exam), for tests whose content would change what other tests of the worker see: the readiness
// exam is the largest mock of the database.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Client } from "pg";
import { systemClock } from "../../src/clock";
import { EXAMS_FILE, importService, listBankFiles, readSources } from "../../src/modules/banks";
import { examsService, parseExamDefinitions } from "../../src/modules/exams";
import { createSqlSandbox } from "../../src/sql-sandbox";
import type { TestApp } from "./app";

const root = path.resolve(__dirname, "../..");

async function admin(sql: string) {
  const client = new Client({ connectionString: process.env.STACKPREP_TEST_ADMIN_URL! });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh copy of the migrated template named for `tag` and the worker; `drop` removes it. */
export async function ownDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${process.env.STACKPREP_TEST_DB_PREFIX!}_${tag}_${process.env.JEST_WORKER_ID ?? "1"}`;
  await admin(`DROP DATABASE IF EXISTS "${name}"`);
  await admin(`CREATE DATABASE "${name}" TEMPLATE "${process.env.STACKPREP_TEST_DB_PREFIX!}_template"`);
  const url = new URL(process.env.STACKPREP_TEST_ADMIN_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Imports question-banks/ and syncs its exam definitions, as a first start does. */
export async function loadShippedContent(t: TestApp): Promise<void> {
  const dir = path.join(root, "question-banks");
  // The shipped banks hold SQL exercises: their references run in the sandbox at import.
  const sandbox = createSqlSandbox(t.db, t.config);
  const report = await importService({
    prisma: t.prisma,
    clock: systemClock,
    maxBytes: 20 << 20,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  })
    .importBanks({ sources: await readSources(await listBankFiles([dir]), 20 << 20), actor: "operator" })
    .finally(() => sandbox.close());
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const examsFile = path.join(dir, EXAMS_FILE);
  const definitions = parseExamDefinitions(await readFile(examsFile, "utf8"), examsFile);
  await examsService({ prisma: t.prisma }).syncDefinitions({ definitions });
}

type ShownItem = { position: number; displayOrder: string[]; questionVersion: { type: string } };

/**
 * Some answer to every question of an open attempt, as the autosave sends it (right or wrong
 * does not matter to who calls this): the first option shown, "true", a word, a number, the
 * items in the order shown, a statement.
 */
export function someAnswer(item: ShownItem): unknown {
  const first = item.displayOrder[0]!;
  switch (item.questionVersion.type) {
    case "single":
      return { type: "single", optionId: first };
    case "multiple":
      return { type: "multiple", optionIds: [first] };
    case "truefalse":
      return { type: "truefalse", value: true };
    case "short":
      return { type: "short", text: "index" };
    case "numeric":
      return { type: "numeric", value: 1 };
    case "ordering":
      return { type: "ordering", itemIds: item.displayOrder };
    default:
      return { type: "sql", query: "SELECT 1" };
  }
}
