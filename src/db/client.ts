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

/**
 * Runs a statement on the pool, prepared once per connection under `name`: PostgreSQL parses
 * and plans it on a connection's first call and only binds and executes it after that. For
 * the hot path (answer saves), where Prisma's raw-query layer costs more CPU than the
 * statement itself. One name, one text: pg refuses a name reused with another text on a
 * connection. Dates must be passed as ISO strings (pg would send them in local time).
 */
export async function queryPrepared<T extends object>(pool: Pool, name: string, sql: Prisma.Sql): Promise<T[]> {
  if (unnamedStatements.has(pool)) return (await pool.query<T>({ text: sql.text, values: sql.values })).rows;
  return (await pool.query<T>({ name, text: sql.text, values: sql.values })).rows;
}

/**
 * Pools whose statements must not be prepared by name: behind a pooler in transaction mode
 * (PgBouncer before 1.21, or without `max_prepared_statements`), consecutive statements may
 * reach different server connections, where a named statement prepared on one is unknown.
 * Such pools send every statement unnamed (parsed and planned on each call).
 */
const unnamedStatements = new WeakSet<Pool>();

export function createPool(url: string, max = 10, options: { preparedStatements?: boolean } = {}): Pool {
  const pool = new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  if (options.preparedStatements === false) unnamedStatements.add(pool);
  return pool;
}

/**
 * `pool` as a library that names its statements should get it: the pool itself, or, for a pool
 * behind a transaction-mode pooler, a view of it whose `query` drops statement names.
 */
export function forLibraries(pool: Pool): Pool {
  if (!unnamedStatements.has(pool)) return pool;
  const query = (config: unknown, ...rest: unknown[]) => {
    const unnamed = config && typeof config === "object" && "name" in config ? { ...config, name: undefined } : config;
    return (pool.query as (...args: unknown[]) => unknown)(unnamed, ...rest);
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === "query") return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function createPrisma(pool: Pool): Db {
  // Every transaction gets limits sized to the pool (transactions.ts says why).
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
}
