// Applies committed Prisma migrations (prisma/migrations/*/migration.sql) on start, with
// the same bookkeeping table as `prisma migrate deploy`, so the real CLI stays compatible.
// Prisma's own deploy needs a native engine that cannot be downloaded offline.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "pg";

const LOCK_KEY = 7_302_114_551; // any fixed number: serialises concurrent starts

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export async function readMigrations(dir: string): Promise<Migration[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies pending migrations, each in its own transaction. Returns the names applied.
 *
 * Every step holds a transaction-scoped advisory lock and re-reads the bookkeeping table under
 * it, so instances starting together apply each migration once; and as no lock or setting
 * outlives a transaction, it works through a pooler in transaction mode (PgBouncer) too.
 */
export async function applyMigrations(pool: Pool, dir: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  const locked = async <T>(work: () => Promise<T>): Promise<T> => {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      const result = await work();
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
  try {
    const applied = await locked(async () => {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null }>(
        `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
      );
      const failed = rows.find((r) => r.finished_at === null);
      if (failed) {
        throw new Error(
          `migration ${failed.migration_name} failed earlier; fix the database, then mark it rolled back`,
        );
      }
      return new Set(rows.map((r) => r.migration_name));
    });
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      const ran = await locked(async () => {
        // Another instance may have applied it while this one waited for the lock.
        const { rowCount } = await client.query(
          `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
          [migration.name],
        );
        if (rowCount) return false;
        try {
          await client.query(migration.sql);
        } catch (error) {
          throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        return true;
      });
      if (ran) done.push(migration.name);
    }
    return done;
  } finally {
    client.release();
  }
}
