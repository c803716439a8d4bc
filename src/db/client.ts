// The only place that constructs the Prisma client. It shares one pg.Pool with the
// session store, so the app holds one set of connections.
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;
export type { Prisma } from "../generated/prisma/client";

export function createPool(url: string, max = 10): Pool {
  return new Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
}

export function createPrisma(pool: Pool): Db {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
