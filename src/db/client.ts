// The only place that constructs the Prisma client. It shares one pg.Pool with the
// session store, so the app holds one set of connections.
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { TRANSACTION_OPTIONS } from "./transactions";

export type Db = PrismaClient;
export type { Prisma } from "../generated/prisma/client";

/**
 * A connection attempt gives up after 5 s, so that while PostgreSQL is away requests fail
 * (503) instead of queueing without end; connections that died with the server are dropped
 * by the pool and the next query opens a new one, so nothing needs restarting when it returns.
 */
export function createPool(url: string, max = 10): Pool {
  return new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
}

/**
 * Runs a statement on the pool, prepared once per connection under `name`: PostgreSQL parses
 * and plans it on a connection's first call and only binds and executes it after that. For
 * the hot path (answer saves), where Prisma's raw-query layer costs more CPU than the
 * statement itself. One name, one text: pg refuses a name reused with another text on a
 * connection. Dates must be passed as ISO strings (pg would send them in local time).
 */
export async function queryPrepared<T extends object>(pool: Pool, name: string, sql: Prisma.Sql): Promise<T[]> {
  return (await pool.query<T>({ name, text: sql.text, values: sql.values })).rows;
}

export function createPrisma(pool: Pool): Db {
  // Every transaction gets limits sized to the pool (transactions.ts says why).
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
}
