// A PgBouncer in transaction mode in front of the test database, started from Debian's package
// (`apt-get install pgbouncer`; .ci/run installs it) as a child process on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

export const PGBOUNCER = process.env.PGBOUNCER_PATH ?? "/usr/sbin/pgbouncer";
export const hasPgBouncer = () => existsSync(PGBOUNCER);

export type Bouncer = {
  /** `url` with its host and port replaced by the pooler's. */
  route(url: string): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PgBouncer for the server behind `url` (any database name passes through), with a
 * small server pool, so the app's connections really share server connections.
 */
export async function startPgBouncer(url: string, options: { poolSize?: number } = {}): Promise<Bouncer> {
  const target = new URL(url);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackprep-pgbouncer-"));
  chmodSync(dir, 0o777);
  const user = decodeURIComponent(target.username || "postgres");
  // Clients are trusted; PgBouncer logs in to the server with the password the URL carries
  // (the embedded server has one; the machine's server may trust without).
  const password = decodeURIComponent(target.password).replace(/"/g, '""');
  writeFileSync(path.join(dir, "users.txt"), `"${user}" "${password}"\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${target.hostname} port=${target.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize ?? 2}`,
      "max_client_conn = 200",
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  for (const file of ["users.txt", "pgbouncer.ini"]) chmodSync(path.join(dir, file), 0o644);
  // PgBouncer refuses to run as root; as root it is started as the postgres user.
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(
    PGBOUNCER,
    [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const route = (u: string) => {
    const routed = new URL(u);
    routed.hostname = "127.0.0.1";
    routed.port = String(port);
    return routed.toString();
  };
  // Ready when a client gets through to the server.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Client({ connectionString: route(url) });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    route,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
