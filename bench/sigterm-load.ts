// bench/sigterm-load: SIGTERM under load. The real server (node dist/main.js, embedded
// PostgreSQL in a scratch folder) serves a closed-loop stream of requests from --clients
// clients (autosaves, question pages, /progress, /healthz; half on kept-alive connections)
// and, at a random moment, a burst of --burst more requests on new connections, followed by
// SIGTERM as soon as the burst is written. Every request written completely before the signal
// must be answered; requests sent after it are answered or refused at connect. Reported per
// round: requests sent / answered / reset before the signal, the same after it, and the time
// from the signal to the exit (code 0 expected).
// Baseline in the same run: a bare node:http server whose SIGTERM handler is the usual
// `server.close(() => process.exit(0))` with a 10 s force exit (code 1), as the app's was,
// each request costing 2 ms of CPU (a render) and answered 5 ms later, under the same load.
//
//   npx tsx bench/sigterm-load.ts [--rounds 3] [--clients 20] [--burst 50] [--seed N]
//
// Loopback only; each round lasts about 2-3 s of load plus a start.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { buildServer, Client, spawnServer, type Exit } from "../tests/support/server-process";
import { createRng } from "../src/modules/exams";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}
const ROUNDS = flag("rounds", 3);
const CLIENTS = flag("clients", 20);
const BURST = flag("burst", 50);
const seed = flag("seed", (Date.now() % 1_000_000) + 1);
/** When the signal comes is repeatable with --seed (the exams' seeded generator). */
const random = createRng(String(seed));
const log = (message: string) => console.error(`[sigterm] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Tally = { sent: number; answered: number; reset: number; refused: number; errors: number };
const tally = (): Tally => ({ sent: 0, answered: 0, reset: 0, refused: 0, errors: 0 });
type Round = { before: Tally; after: Tally; exit: Exit & { ms: number } };

/**
 * Runs `request` from CLIENTS closed loops until the process exits; SIGTERM goes out after
 * 1.5-2.5 s. A request counts as "before" when it was completely written before the signal.
 */
async function underLoad(
  child: { kill(signal: NodeJS.Signals): boolean },
  exited: Promise<Exit>,
  request: (client: number, i: number) => { sent: Promise<void>; reply: Promise<{ status: number }> },
): Promise<Round> {
  const before = tally();
  const after = tally();
  let signalAt = Infinity;
  let done = false;
  const loop = async (c: number) => {
    for (let i = 0; !done; i += 1) {
      const { sent, reply } = request(c, i);
      let sentAt = Infinity;
      sent.then(
        () => (sentAt = Date.now()),
        () => undefined,
      );
      try {
        const res = await reply;
        const t = sentAt < signalAt ? before : after;
        t.sent += 1;
        if (res.status >= 500) t.errors += 1;
        else t.answered += 1;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const t = sentAt < signalAt ? before : after;
        if (code === "ECONNREFUSED") {
          after.refused += 1; // never connected: after the listener closed
          await sleep(20);
        } else {
          t.sent += 1;
          t.reset += 1;
        }
      }
    }
  };
  const loops = Array.from({ length: CLIENTS }, (_, c) => loop(c));
  await sleep(1500 + random() * 1000);
  // The burst: counted like the loops' requests, all written before the signal.
  const burst = Array.from({ length: BURST }, (_, b) => request(CLIENTS + b * 2, b));
  const burstReplies = Promise.allSettled(burst.map((b) => b.reply));
  await Promise.allSettled(burst.map((r) => r.sent));
  signalAt = Date.now();
  child.kill("SIGTERM");
  const exit = await exited;
  done = true;
  await Promise.all(loops);
  for (const r of await burstReplies) {
    before.sent += 1;
    if (r.status === "rejected") before.reset += 1;
    else if (r.value.status >= 500) before.errors += 1;
    else before.answered += 1;
  }
  return { before, after, exit: { ...exit, ms: exit.at - signalAt } };
}

const BARE_SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  const busy = Date.now() + 2; // a page's rendering, so that connections queue as they do for the app
  while (Date.now() < busy);
  setTimeout(() => res.end("ok"), 5);
});
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10000).unref();
});
`;

async function bareRound(): Promise<Round> {
  const child = spawn(process.execPath, ["-e", BARE_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    }),
  );
  const keptAlive = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const fresh = new Client(port);
  const reused = new Client(port, keptAlive);
  try {
    return await underLoad(child, exited, (c) => (c % 2 ? reused : fresh).send("GET", "/"));
  } finally {
    keptAlive.destroy();
  }
}

const line = (name: string, r: Round) =>
  `${name.padEnd(9)} before SIGTERM: sent ${r.before.sent}, answered ${r.before.answered}, 5xx ${r.before.errors}, reset ${r.before.reset}` +
  ` | after: sent ${r.after.sent}, answered ${r.after.answered}, reset ${r.after.reset}, refused at connect ${r.after.refused}` +
  ` | exit ${r.exit.code ?? r.exit.signal} in ${r.exit.ms} ms`;

async function main() {
  buildServer();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "stackprep-sigterm-"));
  chmodSync(scratch, 0o755);
  const env = { EMBEDDED_PG_DIR: path.join(scratch, "pg") };
  const limit = setTimeout(() => {
    log("stopped after 10 minutes");
    process.exit(2);
  }, 600_000);
  const results: string[] = [];
  try {
    let password = "";
    let cookies: Client | undefined;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const server = await spawnServer(env);
      if (round === 1) {
        password = /with the password (\S+)/.exec(server.output())![1]!;
        await server.waitFor(/loaded the shipped question banks/, 120_000);
      }
      const learner = cookies ?? new Client(server.port);
      learner.port = server.port;
      if (!cookies) await learner.login("demo@stackprep.local", password);
      cookies = learner;
      const { attemptId, token } = await learner.startAttempt("backend-mock-exam", { stack: "languages/node" });
      const keptAlive = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      const reused = learner.through(keptAlive);
      let seq = round * 1_000_000;
      const r = await underLoad(server.child, server.exited, (c, i) => {
        const client = c % 2 ? reused : learner;
        const kind = (c + i) % 5;
        if (kind < 2)
          return client.send("POST", `/attempts/${attemptId}/answers`, {
            json: { position: (c % 60) + 1, seq: (seq += 1), flagged: i % 2 === 0, response: null },
            headers: { "x-csrf-token": token },
          });
        if (kind === 2) return client.send("GET", `/attempts/${attemptId}?q=${(i % 60) + 1}`);
        if (kind === 3) return client.send("GET", "/progress");
        return client.send("GET", "/healthz");
      });
      keptAlive.destroy();
      results.push(line(`app ${round}`, r));
      log(results.at(-1)!);
      const bare = await bareRound();
      results.push(line(`bare ${round}`, bare));
      log(results.at(-1)!);
    }
    console.log(
      [`sigterm-load (seed ${seed}, ${CLIENTS} clients, half on kept-alive connections)`, ...results].join("\n"),
    );
  } finally {
    clearTimeout(limit);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
