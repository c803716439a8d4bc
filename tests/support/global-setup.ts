// Brings up one real PostgreSQL for the whole run (DATABASE_URL's server, or an embedded
// one), and a template database migrated once; each jest worker clones it (database.ts).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { applyMigrations, createPool, startEmbeddedDatabase } from "../../src/db";
import { buildServer } from "./server-process";

type State = { users: number; stop?: () => Promise<void>; scratch?: string; adminUrl: string; prefix: string };
const g = globalThis as unknown as { __stackprepTestDb?: State };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function globalSetup(): Promise<void> {
  if (g.__stackprepTestDb) {
    g.__stackprepTestDb.users += 1;
    return;
  }
  const state: State = { users: 1, adminUrl: "", prefix: `sp_test_${process.pid}` };
  buildServer(); // dist/ for the tests that run the real server process
  if (process.env.DATABASE_URL) {
    state.adminUrl = withDatabase(process.env.DATABASE_URL, "postgres");
  } else {
    state.scratch = mkdtempSync(path.join(os.tmpdir(), "stackprep-test-"));
    chmodSync(state.scratch, 0o755);
    const db = await startEmbeddedDatabase({
      preferredDir: path.join(state.scratch, "pg"),
      database: "postgres",
      log: () => undefined,
    });
    state.adminUrl = db.url;
    state.stop = () => db.stop();
  }
  const template = `${state.prefix}_template`;
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const pool = createPool(withDatabase(state.adminUrl, template), 2);
  await applyMigrations(pool, path.resolve(__dirname, "../../prisma/migrations"));
  await pool.end();
  process.env.STACKPREP_TEST_ADMIN_URL = state.adminUrl;
  process.env.STACKPREP_TEST_DB_PREFIX = state.prefix;
  g.__stackprepTestDb = state;
}

export async function releaseTestDatabase(): Promise<void> {
  const state = g.__stackprepTestDb;
  if (!state || (state.users -= 1) > 0) return;
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
    `${state.prefix}_%`,
  ]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
  await state.stop?.();
  if (state.scratch) rmSync(state.scratch, { recursive: true, force: true });
  g.__stackprepTestDb = undefined;
}
