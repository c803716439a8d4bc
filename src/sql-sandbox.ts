// The SQL sandbox on the app's database: its pool is made from the app's URL with the runner
// role's credentials (src/db/sandbox-pool.ts); the sandbox module does the rest.
import type { Config } from "./config";
import { createSandboxPool, type Database } from "./db";
import { sqlSandbox, type SqlSandbox } from "./modules/sandbox";

export function createSqlSandbox(db: Database, config: Config, log?: (message: string) => void): SqlSandbox {
  return sqlSandbox({
    admin: db.pool,
    runnerPool: (credentials, options) => createSandboxPool(db.url, credentials, options),
    secret: config.sessionSecret,
    ...(log ? { log } : {}),
  });
}
