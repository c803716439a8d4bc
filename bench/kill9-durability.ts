// bench/kill9-durability: is every answer save the app confirmed still there after hard kills?
// A stream of autosaves runs against the real server (node dist/main.js, its embedded
// PostgreSQL in a scratch folder) while the app process and, separately, PostgreSQL are
// killed with SIGKILL at random moments, --kills times in all. After an app kill the bench
// starts the app again (it finds and stops the orphaned PostgreSQL, then starts its own);
// after a PostgreSQL kill the app restarts PostgreSQL by itself. At the end every
// confirmed save (200 {saved: true}) is looked up in the database: lost = 0 is the target.
//
//   npx tsx bench/kill9-durability.ts [--kills 10] [--writers 6] [--seed N] [--limit-s 300]
//
// Loopback only. Bounded: each kill waits 0.3-2 s of saving; the whole run stops after
// --limit-s seconds. A save is confirmed only when its 200 answer has arrived; a save cut by a
// kill (reset, refused, 503) is not, and the writer moves on to its next sequence number, as
// the page's autosave does.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client as PgClient } from "pg";
import { buildServer, Client, spawnServer, type ServerProcess } from "../tests/support/server-process";
import { createRng } from "../src/modules/exams";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}
const KILLS = flag("kills", 10);
const WRITERS = flag("writers", 6);
const LIMIT_MS = flag("limit-s", 300) * 1000;
const seed = flag("seed", Date.now() % 1_000_000);
/** The kill moments and targets are repeatable with --seed (the exams' seeded generator). */
const random = createRng(String(seed));
const log = (message: string) => console.error(`[kill9] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const QUESTIONS = 60; // backend-mock-exam

/** Linux: the processes whose parent is `pid` (from /proc/<pid>/stat). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function main() {
  buildServer();
  const started = Date.now();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "stackprep-kill9-"));
  chmodSync(scratch, 0o755);
  const dataDir = path.join(scratch, "pg");
  const env = { EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: "info" };
  let server: ServerProcess | undefined;
  const deadline = setTimeout(() => {
    log(`stopped after the ${LIMIT_MS / 1000} s limit`);
    server?.child.kill("SIGKILL");
    process.exit(2);
  }, LIMIT_MS);
  try {
    log(`seed ${seed}; first start (creates the database, loads the shipped banks)`);
    server = await spawnServer(env);
    const password = /with the password (\S+)/.exec(server.output())![1]!;
    await server.waitFor(/loaded the shipped question banks/, 120_000);
    const learner = new Client(server.port);
    await learner.login("demo@stackprep.local", password);
    const { attemptId, token } = await learner.startAttempt("backend-mock-exam", { stack: "languages/node" });

    // Writers: each owns the positions p with p % WRITERS === w and cycles through them.
    const confirmed = new Map<number, number>(); // position -> highest seq answered 200
    let seq = 0;
    let sent = 0;
    let confirmations = 0;
    let lastConfirmedSeq = 0;
    let running = true;
    const writer = async (w: number) => {
      const positions = Array.from({ length: QUESTIONS }, (_, i) => i + 1).filter((p) => p % WRITERS === w);
      for (let i = 0; running; i += 1) {
        const position = positions[i % positions.length]!;
        const mySeq = (seq += 1);
        sent += 1;
        try {
          const res = await learner.request("POST", `/attempts/${attemptId}/answers`, {
            json: { position, seq: mySeq, flagged: mySeq % 2 === 0, response: null },
            headers: { "x-csrf-token": token },
          });
          if (res.status === 200 && (JSON.parse(res.text) as { saved?: boolean }).saved === true) {
            confirmed.set(position, Math.max(confirmed.get(position) ?? 0, mySeq));
            confirmations += 1;
            lastConfirmedSeq = Math.max(lastConfirmedSeq, mySeq);
          } else await sleep(50);
        } catch {
          await sleep(50); // reset or refused: the app is being killed or restarted
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

    const recoveries: { target: string; ms: number }[] = [];
    for (let k = 0; k < KILLS; k += 1) {
      await sleep(300 + random() * 1700);
      const target = random() < 0.5 ? "app" : "postgres";
      const killedAt = Date.now();
      const seqAtKill = seq;
      if (target === "app") {
        server.child.kill("SIGKILL");
        await server.exited;
        server = await spawnServer(env);
        learner.port = server.port;
      } else {
        // The whole server at once, the postmaster and every backend (each backend is its own
        // process group), as a host crash leaves it: no backend lingers to finish a transaction.
        const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
        for (const pid of [postmaster, ...childrenOf(postmaster)]) process.kill(pid, "SIGKILL");
      }
      // Recovered: a save sent after the kill is confirmed.
      while (lastConfirmedSeq <= seqAtKill) await sleep(20);
      recoveries.push({ target, ms: Date.now() - killedAt });
      log(`kill ${k + 1}/${KILLS}: ${target}, saving again after ${Date.now() - killedAt} ms`);
    }
    running = false;
    await Promise.all(writers);

    // What PostgreSQL holds, read directly (the app's own server, still running).
    const lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
    const pgPassword = readFileSync(path.join(dataDir, ".stackprep-password"), "utf8").trim();
    const db = new PgClient({
      connectionString: `postgresql://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${lines[3]}/stackprep`,
    });
    await db.connect();
    const { rows } = await db.query<{ position: number; seq: number }>(
      `SELECT position, seq FROM attempt_items WHERE "attemptId" = $1`,
      [attemptId],
    );
    await db.end();
    const stored = new Map(rows.map((r) => [r.position, r.seq]));
    const lost = [...confirmed].filter(([position, s]) => (stored.get(position) ?? 0) < s);
    const exit = await (async () => {
      const at = Date.now();
      server.child.kill("SIGTERM");
      const e = await server.exited;
      return { code: e.code, ms: e.at - at };
    })();

    const byTarget = (t: string) => recoveries.filter((r) => r.target === t).map((r) => r.ms);
    const summary = (values: number[]) =>
      values.length ? `${values.length} kills, back in ${Math.min(...values)}-${Math.max(...values)} ms` : "0 kills";
    console.log(
      [
        `kill9-durability (seed ${seed}, ${WRITERS} writers, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
        `saves sent ${sent}, confirmed ${confirmations}, not confirmed (cut by a kill or refused meanwhile) ${sent - confirmations}`,
        `app SIGKILL: ${summary(byTarget("app"))}`,
        `PostgreSQL SIGKILL: ${summary(byTarget("postgres"))}`,
        `questions with a confirmed save: ${confirmed.size}; confirmed saves lost: ${lost.length}${lost.length ? ` (${JSON.stringify(lost.slice(0, 5))})` : ""}`,
        `final SIGTERM: exit ${exit.code} in ${exit.ms} ms`,
      ].join("\n"),
    );
    if (lost.length > 0) process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
