// Opens the database the app runs on: DATABASE_URL when given, otherwise an embedded
// PostgreSQL; then applies committed migrations.
import path from "node:path";
import type { Pool } from "pg";
import type { Config } from "../config";
import { createPool, createPrisma, type Db } from "./client";
import { startEmbeddedDatabase } from "./embedded";
import { applyMigrations } from "./migrate";

export type { Db } from "./client";
export { Prisma } from "../generated/prisma/client";
export { createPool, createPrisma, queryPrepared } from "./client";
export { createSandboxPool, type SandboxCredentials } from "./sandbox-pool";
export { applyMigrations } from "./migrate";
export { admitOrThrow, limiterFactory, type Limiter, type LimiterFactory, type LimitPolicy } from "./rate-limits";
export { isRetryable, isUniqueViolation, retrying, retryingTransaction, TRANSACTION_OPTIONS } from "./transactions";
export { startEmbeddedDatabase } from "./embedded";
export { keysetSlice, keysetWhere, KEYSET_ORDER, type KeysetPage, type KeysetPosition } from "./keyset";
export { timeOrderedIds } from "./ids";
export { isDatabaseUnavailable } from "./unavailable";

const CLOSE_LIMIT_MS = 2_000;

export type Database = {
  prisma: Db;
  pool: Pool;
  url: string;
  embedded: boolean;
  /** true when the database is reachable (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

export function migrationsDir(rootDir: string): string {
  return path.join(rootDir, "prisma", "migrations");
}

/** A Database on an existing server: the pool, the Prisma client over it, ping and close. */
export function connectDatabase(
  url: string,
  options: {
    max?: number;
    preparedStatements?: boolean;
    onClose?: () => Promise<void>;
    log?: (m: string) => void;
  } = {},
): Database {
  const pool = createPool(url, options.max, { preparedStatements: options.preparedStatements ?? true });
  // A dropped idle connection must not crash the process; the next query reconnects.
  pool.on("error", (error) => options.log?.(`database pool: ${error.message}`));
  const prisma = createPrisma(pool);
  return {
    prisma,
    pool,
    url,
    embedded: Boolean(options.onClose),
    async ping() {
      try {
        await pool.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      // With PostgreSQL gone, ending a connection can wait on a socket that never answers:
      // the pool gets a moment, then an embedded server is stopped all the same.
      const ended = Promise.all([prisma.$disconnect(), pool.ended ? undefined : pool.end()]).catch((error: Error) =>
        options.log?.(`closing the database connections: ${error.message}`),
      );
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, CLOSE_LIMIT_MS).unref())]);
      await options.onClose?.();
    },
  };
}

/**
 * Opens DATABASE_URL or the embedded default and applies migrations. Command-line tools
 * pass `share` to use the embedded server of a running app instead of refusing.
 */
export async function openDatabase(
  config: Config,
  log: (message: string) => void,
  options: { share?: boolean } = {},
): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedDatabase({
        preferredDir: config.embeddedPgDir ?? path.join(config.rootDir, ".data", "postgres"),
        database: "stackprep",
        log,
        share: options.share ?? false,
        supervise: true,
      });
  const url = config.databaseUrl ?? embedded!.url;
  const db = connectDatabase(url, {
    log,
    max: config.database.poolMax,
    preparedStatements: config.database.preparedStatements,
    ...(embedded ? { onClose: () => embedded.stop() } : {}),
  });
  try {
    const applied = await applyMigrations(db.pool, migrationsDir(config.rootDir));
    if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
