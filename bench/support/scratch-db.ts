// A scratch database for a benchmark: a fresh database on BENCH_DATABASE_URL's server, or an
// embedded PostgreSQL in `scratch`; dropped or stopped by close().
import path from "node:path";
import { Client } from "pg";
import { startEmbeddedDatabase } from "../../src/db";

export async function openScratchDatabase(
  scratch: string,
  name: string,
  log: (message: string) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (!given) {
    const db = await startEmbeddedDatabase({ preferredDir: path.join(scratch, "pg"), database: "bench", log });
    return { url: db.url, close: () => db.stop() };
  }
  const database = `stackprep_bench_${name}_${process.pid}`;
  const run = async (sql: string) => {
    const admin = new Client({ connectionString: given });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`CREATE DATABASE "${database}"`);
  const url = new URL(given);
  url.pathname = `/${database}`;
  return { url: url.toString(), close: () => run(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`) };
}
