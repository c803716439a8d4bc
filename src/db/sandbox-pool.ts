// The pool that learners' SQL runs through (src/modules/sandbox): a few connections to the
// app's database as the sandbox's login role, which holds no privilege of the app's.
import { Pool } from "pg";

export type SandboxCredentials = { user: string; password: string };

/**
 * `max` connections at most; a query waits up to `waitMs` for one, then fails (the
 * sandbox reports "busy"), so a crowd of learners queues here instead of in PostgreSQL.
 */
export function createSandboxPool(
  url: string,
  credentials: SandboxCredentials,
  options: { max: number; waitMs: number },
): Pool {
  // The app's URL (host, port, database, TLS parameters) with the sandbox role's credentials.
  const target = new URL(url);
  target.username = encodeURIComponent(credentials.user);
  target.password = encodeURIComponent(credentials.password);
  const pool = new Pool({
    connectionString: target.toString(),
    max: options.max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.waitMs,
    application_name: "stackprep-sql-sandbox",
  });
  // A dropped idle connection must not crash the process; the next run reconnects.
  pool.on("error", () => undefined);
  return pool;
}
