// The only place that constructs the Prisma client. It shares one pg.Pool with the
// session store, so the app holds one set of connections.
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";

export type Db = PrismaClient;
export type { Prisma } from "../generated/prisma/client";

export function createPool(url: string, max = 10): Pool {
  return new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
}

const names = new Map<string, string>();

/**
 * Runs a statement on the pool, prepared once per connection: PostgreSQL parses and plans it
 * on a connection's first call and only binds and executes it after that. For the hot path
 * (answer saves), where Prisma's raw-query layer costs more CPU than the statement itself.
 * Dates must be passed as ISO strings (pg would send them in local time).
 */
export async function queryPrepared<T extends object>(pool: Pool, sql: Prisma.Sql): Promise<T[]> {
  let name = names.get(sql.text);
  if (!name) {
    name = `stackprep_${createHash("sha256").update(sql.text).digest("hex").slice(0, 16)}`;
    names.set(sql.text, name);
  }
  return (await pool.query<T>({ name, text: sql.text, values: sql.values })).rows;
}

export function createPrisma(pool: Pool): Db {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
