// bench/answers: requests/s of the answer-save endpoint POST /attempts/:id/answers of the real
// app, of the API's PUT /api/v1/attempts/:id/answers/:position (bearer token) on the same
// server, and of a bare Express + pg endpoint doing the same single-row write, in the same run,
// then the latency of each at half the app's max rate. Targets: app/bare >= 0.7; app p99 <= 10
// ms; api/app >= 0.9.
//
//   npx tsx bench/answers.ts [--duration 10] [--warmup 3] [--connections 10] [--rounds 1]
//                            [--rate N] [--profile] [--cpu-prof DIR]
//
// A scratch embedded PostgreSQL; each server a child process (NODE_ENV=production, pool of 10):
//   app   createApp() of src/ (LOG_LEVEL=silent); a learner signed in over HTTP (session cookie
//         + x-csrf-token) saves JSON {position, seq, flagged, response} to their open attempt
//   api   the same app process: a second learner with a personal access token saves
//         {seq, flagged, response} to their open attempt (rate limit raised out of the way,
//         but still counted per request, as in production)
//   bare  express.json() + pg.Pool: one UPDATE attempt_items SET response, seq, flagged,
//         "answeredAt" WHERE id = $ AND seq < $, on a second attempt of the same exam
// `seq` grows on every request and no question has two saves in flight, so every save passes
// the sequence check and writes; a non-2xx answer makes the figures invalid (exit 1). Each run
// follows a warm-up. Max rate: autocannon, each connection saving its own questions (median
// of --rounds). Half rate: open loop, evenly paced, latency from when each request was due
// (autocannon's overallRate sends each connection's quota for the second in one burst).
// CPU ms per request of the server process and of PostgreSQL's processes come from /proc.
//   --rate      also run both paced at N requests/s (to compare with an earlier half rate)
//   --profile   the app counts its SQL statements per request, and the API saves that waited
//               for a lease of rate-limit points (printed when it stops)
//   --cpu-prof  both servers write V8 CPU profiles into DIR/app and DIR/bare (for DevTools)
//   --async-commit  diagnostic: the scratch server runs with synchronous_commit = off, so no
//               commit waits for its WAL flush (shows what the flushes cost; the app keeps
//               synchronous commits: a saved answer must survive a database crash)
import { fork, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import express from "express";
import { Client, Pool } from "pg";
import { createApp } from "../src/app";
import { systemClock } from "../src/clock";
import { loadConfig } from "../src/config";
import { applyMigrations, connectDatabase, createPool, migrationsDir, startEmbeddedDatabase } from "../src/db";
import { TokenLeases } from "../src/modules/accounts/token-leases";
import { importService } from "../src/modules/banks";
import { attemptsService, createRng } from "../src/modules/exams";
import { createLogger } from "../src/web/logger";
import { createToken } from "../tests/factories/tokens";
import { createUser, PASSWORD } from "../tests/factories/users";
import { csrfFrom } from "../tests/support/http";

type Setup = (req: Record<string, unknown>) => Record<string, unknown>;
type AutocannonClient = { setRequests(requests: Record<string, unknown>[]): void };
type AutocannonResult = Record<"duration" | "errors" | "timeouts" | "non2xx" | "2xx", number> & {
  latency: Record<"p50" | "p90" | "p99" | "max", number>;
};
const autocannon = createRequire(__filename)("autocannon") as (options: object) => Promise<AutocannonResult>;

const TARGET_RATIO = 0.7;
const TARGET_API_RATIO = 0.9;
const TARGET_P99_MS = 10;
const POOL_SIZE = 10; // the app's pool (connectDatabase's default); the bare server gets the same
const UPDATE_SQL = `UPDATE attempt_items SET response = $1, seq = $2, flagged = $3, "answeredAt" = now() WHERE id = $4 AND seq < $2`;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith("--") ? next : "true";
}
function positiveInt(name: string, fallback: number): number {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}
const log = (message: string) => console.error(`[bench] ${message}`);
const fmt = (n: number, digits = 1) => n.toLocaleString("en-GB", { maximumFractionDigits: digits });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
const ascending = (a: number, b: number) => a - b;
const median = (values: number[]) => percentile(values.toSorted(ascending), 0.5);

// ---------------------------------------------------------------- CPU per process (Linux /proc)

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** utime + stime (ms) and parent pid of a process; undefined when it is gone. */
function procStat(pid: number): { cpuMs: number; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS };
  } catch {
    return undefined;
  }
}

/** CPU ms of the server, and per pid of the postmaster and its children (backends, walwriter...). */
function cpuMark(serverPid: number, postmaster: number) {
  const postgres = new Map<number, number>();
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  for (const pid of pids.map(Number)) {
    const stat = procStat(pid);
    if (stat && (pid === postmaster || stat.ppid === postmaster)) postgres.set(pid, stat.cpuMs);
  }
  return { server: procStat(serverPid)?.cpuMs ?? 0, postgres };
}

// ---------------------------------------------------------------- the servers (child processes)

/** --profile: counts every query through pg (Prisma's adapter and the session store both use it). */
function countStatements() {
  const counts = new Map<string, number>();
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const sql = (typeof first === "string" ? first : (first?.text ?? "?")).replace(/\s+/g, " ").slice(0, 110);
    counts.set(sql, (counts.get(sql) ?? 0) + 1);
    return original.apply(this, args);
  };
  // The API's saves that found no leased rate-limit point (take() came back empty, so the save
  // waited for a reservation, or made one): a stall no CPU figure shows. Counted exactly; the
  // wall time of the saves that waited at all is also summed (it includes the OS's time slices
  // on a busy machine).
  const leases = { spends: 0, misses: 0, waited: 0, waitedMs: 0 };
  const leasing = TokenLeases.prototype as unknown as {
    spend: (...args: unknown[]) => Promise<boolean>;
    take: (...args: unknown[]) => boolean;
  };
  const [spend, take] = [leasing.spend, leasing.take];
  leasing.take = function (this: unknown, ...args: unknown[]) {
    const taken = take.apply(this, args);
    if (!taken) leases.misses += 1;
    return taken;
  };
  leasing.spend = async function (this: unknown, ...args: unknown[]) {
    const start = performance.now();
    try {
      return await spend.apply(this, args);
    } finally {
      const ms = performance.now() - start;
      leases.spends += 1;
      if (ms > 0.05) [leases.waited, leases.waitedMs] = [leases.waited + 1, leases.waitedMs + ms];
    }
  };
  const print = (requests: number) => {
    const per1000 = (n: number) => fmt((1000 * n) / Math.max(1, leases.spends), 1);
    console.log(
      `\nAPI saves: ${leases.spends}; found no leased point ${leases.misses} times (${per1000(leases.misses)} per 1,000 saves); ` +
        `${leases.waited} saves (${per1000(leases.waited)} per 1,000) took over 0.05 ms to get a point, ` +
        `${fmt(leases.waitedMs / Math.max(1, leases.waited), 2)} ms each on average`,
    );
    const rows = [...counts].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((sum, [, n]) => sum + n, 0);
    console.log(`\nSQL of the app: ${fmt(total / requests, 2)} statements per request (${requests} requests)`);
    console.log("| per request | statement |\n|---:|---|");
    for (const [sql, n] of rows.slice(0, 10)) console.log(`| ${fmt(n / requests, 2)} | \`${sql.trim()}\` |`);
  };
  const reset = () => {
    counts.clear();
    Object.assign(leases, { spends: 0, misses: 0, waited: 0, waitedMs: 0 });
  };
  return { print, reset };
}

async function serve(kind: "app" | "bare", url: string): Promise<void> {
  const statements = flag("profile") && kind === "app" ? countStatements() : undefined;
  let server: http.Server;
  let close: () => Promise<void>;
  if (kind === "app") {
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: url,
      LOG_LEVEL: "silent",
      BASE_URL: "http://127.0.0.1",
      API_RATE_LIMIT_PER_MINUTE: "1000000",
    };
    const config = loadConfig({ ...env, SESSION_SECRET: process.env.BENCH_SESSION_SECRET });
    const db = connectDatabase(url, { max: POOL_SIZE });
    const web = createApp({ config, db, logger: createLogger(config), clock: systemClock });
    server = web.app.listen(0, "127.0.0.1");
    close = () => web.close().then(() => db.close());
  } else {
    const pool = new Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 30_000 });
    const { rows } = await pool.query<{ id: string; key: string }>(
      `SELECT id, "attemptId" || ':' || position AS key FROM attempt_items`,
    );
    const itemIds = new Map(rows.map((r) => [r.key, r.id]));
    const app = express();
    app.use(express.json({ limit: "256kb" }));
    app.post("/attempts/:id/answers", async (req, res) => {
      const body = req.body as { position: number; seq: number; flagged?: boolean; response: unknown };
      const itemId = itemIds.get(`${req.params.id}:${body.position}`);
      const result = await pool.query(UPDATE_SQL, [body.response, body.seq, body.flagged === true, itemId]);
      if (result.rowCount === 0) return res.status(409).json({ error: "stale" });
      res.json({ saved: true, seq: body.seq });
    });
    server = app.listen(0, "127.0.0.1");
    close = () => pool.end();
  }
  let requests = 0;
  server.on("request", () => (requests += 1));
  await once(server, "listening");
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on("disconnect", () => process.exit(1)); // the driver is gone: do not linger
  process.on("message", (message) => {
    if (message === "reset") {
      requests = 0;
      statements?.reset();
    }
    if (message !== "stop") return;
    statements?.print(requests);
    server.close();
    server.closeAllConnections();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

type Child = { proc: ChildProcess; port: number; stop(): Promise<void> };

async function startServer(kind: "app" | "bare", url: string, secret: string): Promise<Child> {
  const dir = flag("cpu-prof");
  const profiling = dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir, kind)}`] : [];
  const proc = fork(__filename, [...process.argv.slice(2), "--serve", kind, "--url", url], {
    stdio: "inherit",
    execArgv: [...process.execArgv, ...profiling],
    env: { ...process.env, NODE_ENV: "production", BENCH_SESSION_SECRET: secret },
  });
  const exited = once(proc, "exit");
  const [ready] = (await Promise.race([
    once(proc, "message"),
    exited.then(() => Promise.reject(new Error(`the ${kind} server exited`))),
  ])) as [{ port: number }];
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.send("stop");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, port: ready.port, stop };
}

// ---------------------------------------------------------------- fixture

const TYPES = [
  `single\n    stem: Which status code means Not Found?\n    options: [{ text: "404", correct: true }, { text: "500" }]`,
  `multiple\n    stem: Which methods are idempotent?\n    options: [{ text: PUT, correct: true }, { text: DELETE, correct: true }, { text: POST }]`,
  `truefalse\n    stem: GET is a safe method.\n    answer: true`,
  `short\n    stem: Name the SQL keyword that removes duplicate rows.\n    accept: [DISTINCT]`,
  `numeric\n    stem: How many bits are in an IPv4 address?\n    answer: { value: 32, tolerance: 0 }`,
  `ordering\n    stem: Order the TCP handshake.\n    items: [SYN, SYN-ACK, ACK]`,
];
const bankYaml = (slug: string, count: number) =>
  `format: stackprep-bank/1\nbank: { slug: ${slug}, title: Bench bank }\n` +
  `topics:\n  ${slug}: Bench bank\n  ${slug}/core: Core\nquestions:\n` +
  Array.from({ length: count }, (_, i) => {
    const head = `  - id: ${slug}-${i + 1}\n    topic: ${slug}/core\n    difficulty: 2\n`;
    return `${head}    type: ${TYPES[i % TYPES.length]}\n    explanation: Question ${i + 1} explains the key.\n`;
  }).join("");

type Item = { position: number; type: string; shown: string[] };

/** A valid answer for an item of the attempt (from the options it showed). */
function answerFor({ type, shown }: Item): unknown {
  if (type === "single") return { type, optionId: shown[0] };
  if (type === "multiple") return { type, optionIds: shown.slice(0, 2) };
  if (type === "truefalse") return { type, value: true };
  if (type === "short") return { type, text: "distinct" };
  if (type === "numeric") return { type, value: 32 };
  return { type: "ordering", itemIds: shown };
}

/** Migrations, the exam, the learner, and a second user's attempt whose rows the bare server writes. */
async function prepare(url: string, questions: number) {
  const pool = createPool(url, 2);
  await applyMigrations(pool, migrationsDir(path.resolve(__dirname, "..")));
  await pool.end();
  const db = connectDatabase(url, { max: 2 });
  const slug = `b${randomUUID().slice(0, 8)}`;
  const report = await importService({ prisma: db.prisma, clock: systemClock, maxBytes: 1 << 22 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text: bankYaml(slug, questions) }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const exam = await db.prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `Bench exam ${slug}`,
      kind: "module",
      topicPaths: [slug],
      questionCount: questions,
      timeLimitSeconds: 24 * 3600, // the deadline stays far away during the run
      passMarkPercent: 70,
      shuffleQuestions: false,
      shuffleOptions: false,
    },
  });
  const learner = await createUser(db.prisma);
  const apiLearner = await createUser(db.prisma);
  const { token } = await createToken(db.prisma, apiLearner.id);
  const attempts = attemptsService({
    prisma: db.prisma,
    pool: db.pool,
    clock: systemClock,
    newRng: () => createRng(randomUUID()),
  });
  const bareAttempt = await attempts.startAttempt({ examSlug: exam.slug, userId: (await createUser(db.prisma)).id });
  const items = async (attemptId: string) =>
    (
      await db.pool.query<Item>(
        `SELECT i.position, v.type::text AS type, i."displayOrder" AS shown FROM attempt_items i
         JOIN question_versions v ON v.id = i."questionVersionId" WHERE i."attemptId" = $1 ORDER BY i.position`,
        [attemptId],
      )
    ).rows;
  const version = (await db.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  return { exam, learner, token, bareAttempt: bareAttempt.id, items, version, close: () => db.close() };
}

/** Signs in through the login form and starts an attempt, as a browser would. */
async function signIn(base: string, email: string, examSlug: string) {
  let cookie = "";
  const request = async (pathname: string, form?: Record<string, string>) => {
    const res = await fetch(`${base}${pathname}`, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: form ? { cookie, "content-type": "application/x-www-form-urlencoded" } : { cookie },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith("stackprep="));
    if (session) cookie = session.split(";")[0]!;
    return { status: res.status, location: res.headers.get("location") ?? "", text: await res.text() };
  };
  const token = async (pathname: string) => csrfFrom((await request(pathname)).text);
  const login = await request("/login", { _csrf: await token("/login"), email, password: PASSWORD });
  if (login.status !== 303) throw new Error(`sign-in failed with ${login.status}`);
  const started = await request(`/exams/${examSlug}/attempts`, { _csrf: await token("/exams") });
  const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(started.location)?.[1];
  if (started.status !== 303 || !attemptId) throw new Error(`starting the attempt failed with ${started.status}`);
  return { attemptId, cookie, csrf: await token(`/attempts/${attemptId}`) };
}

// ---------------------------------------------------------------- load

type Target = {
  name: string;
  base: string;
  headers: Record<string, string>;
  items: Item[];
  /** The request that saves an answer to `item`. */
  save(item: Item): { method: "POST" | "PUT"; path: string; body: string };
};
type Watched = Target & { serverPid: number; postmaster: number }; // for CPU per request
type Run = { name: string; rps: number; ok: number; bad: number; p50: number; p90: number; p99: number; max: number };

let seq = 0;
/** The page script's autosave (and the bare server's): POST with the position in the body. */
const pageSave = (attemptId: string) => (item: Item) => ({
  method: "POST" as const,
  path: `/attempts/${attemptId}/answers`,
  body: JSON.stringify({ position: item.position, seq: ++seq, flagged: false, response: answerFor(item) }),
});
/** The API's save: PUT to the question's own address. */
const apiSave = (attemptId: string) => (item: Item) => ({
  method: "PUT" as const,
  path: `/api/v1/attempts/${attemptId}/answers/${item.position}`,
  body: JSON.stringify({ seq: ++seq, flagged: false, response: answerFor(item) }),
});

/** Max rate: autocannon, connection k saving only its own questions, in turn. */
async function maxRate(target: Target, connections: number, seconds: number): Promise<Run> {
  let slot = 0;
  const setupClient = (client: AutocannonClient) => {
    const k = slot++ % connections;
    const mine = target.items.filter((_, i) => i % connections === k);
    let turn = 0;
    const setupRequest: Setup = (req) => ({ ...req, ...target.save(mine[turn++ % mine.length]!) });
    client.setRequests([{ ...target.save(mine[0]!), headers: target.headers, setupRequest }]);
  };
  const result = await autocannon({ url: target.base, connections, duration: seconds, setupClient });
  const { p50, p90, p99, max } = result.latency;
  const [ok, bad] = [result["2xx"], result.non2xx + result.errors + result.timeouts];
  return { name: `${target.name} max`, rps: ok / result.duration, ok, bad, p50, p90, p99, max };
}

/**
 * Open loop at an even pace: request i is due at start + i/rate whatever came back, and its
 * latency counts from when it was due (no coordinated omission). A question with a save in
 * flight is passed over for the next one (so every save passes the sequence check); when all
 * have one, the request waits for a free one, and the wait counts in its latency.
 */
async function pacedRate(target: Target, rate: number, seconds: number): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(target.base);
  const send = (item: Item) =>
    new Promise<number>((resolve, reject) => {
      const { method, path, body } = target.save(item);
      const headers = { ...target.headers, "content-length": Buffer.byteLength(body) };
      const req = http.request({ agent, hostname, port, method, path, headers }, (res) => {
        res.resume().on("end", () => resolve(res.statusCode ?? 0));
      });
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.on("error", reject).end(body);
    });
  const latencies: number[] = [];
  const inflight = new Map<Item, Promise<void>>(); // at most one save per question
  const { items } = target;
  let [bad, next] = [0, 0];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i += 1) {
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    while (inflight.size === items.length) await Promise.race(inflight.values());
    while (inflight.has(items[next]!)) next = (next + 1) % items.length;
    const item = items[next]!;
    next = (next + 1) % items.length;
    const done = send(item).then(
      (status) => void (status === 200 ? latencies.push(performance.now() - due) : (bad += 1)),
      () => void (bad += 1),
    );
    inflight.set(
      item,
      done.then(() => void inflight.delete(item)),
    );
  }
  await Promise.all(inflight.values());
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const [l, name] = [latencies.sort(ascending), `${target.name} at ${rate}/s, paced`];
  const at = (q: number) => percentile(l, q);
  return { name, rps: l.length / elapsed, ok: l.length, bad, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

type Measured = Run & { serverMs: number; postgresMs: number };

/** A warm-up with the same load, then the measured run, with CPU per request from /proc. */
async function measure(t: Watched, run: (seconds: number) => Promise<Run>): Promise<Measured> {
  await run(positiveInt("warmup", 3));
  await sleep(300);
  const before = cpuMark(t.serverPid, t.postmaster);
  const result = await run(positiveInt("duration", 10));
  const after = cpuMark(t.serverPid, t.postmaster);
  await sleep(300);
  let postgresMs = 0;
  for (const [pid, ms] of after.postgres) postgresMs += ms - (before.postgres.get(pid) ?? 0);
  const { name, rps, p50, p99, bad, ok } = result;
  log(`${name}: ${fmt(rps, 0)} req/s, p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms, ${bad} failed`);
  return { ...result, serverMs: (after.server - before.server) / ok, postgresMs: postgresMs / ok };
}

// ---------------------------------------------------------------- the driver

async function main(): Promise<number> {
  const connections = positiveInt("connections", 10);
  const questions = Math.max(60, 2 * connections); // a mock exam's length
  const scratch = await mkdtemp(path.join(os.tmpdir(), "stackprep-bench-answers-"));
  await chmod(scratch, 0o755); // the embedded server may run as another user
  let database: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
  const children: Child[] = [];
  try {
    database = await startEmbeddedDatabase({ preferredDir: path.join(scratch, "pg"), database: "bench", log });
    const url = database.url;
    if (flag("async-commit")) {
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query("ALTER SYSTEM SET synchronous_commit = off");
      await admin.query("SELECT pg_reload_conf()");
      await admin.end();
      log("synchronous_commit = off (--async-commit)");
    }
    const postmaster = Number(readFileSync(path.join(database.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const fixture = await prepare(url, questions);
    const secret = randomBytes(32).toString("hex");
    for (const kind of ["app", "bare"] as const) children.push(await startServer(kind, url, secret));
    const [app, bare] = children as [Child, Child];
    const session = await signIn(`http://127.0.0.1:${app.port}`, fixture.learner.email, fixture.exam.slug);
    const headers = { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf };
    const apiHeaders = { "content-type": "application/json", authorization: `Bearer ${fixture.token}` };
    const apiBase = `http://127.0.0.1:${app.port}`;
    const apiStart = await fetch(`${apiBase}/api/v1/exams/${fixture.exam.slug}/attempts`, {
      method: "POST",
      headers: apiHeaders,
    });
    if (apiStart.status !== 201) throw new Error(`api: starting the attempt answered ${apiStart.status}`);
    const apiAttempt = ((await apiStart.json()) as { id: string }).id;
    const target = async (
      name: string,
      server: Child,
      attemptId: string,
      save: (attemptId: string) => Target["save"],
      targetHeaders: Record<string, string>,
    ): Promise<Watched> => ({
      name,
      base: `http://127.0.0.1:${server.port}`,
      headers: targetHeaders,
      save: save(attemptId),
      items: await fixture.items(attemptId),
      serverPid: server.proc.pid!,
      postmaster,
    });
    const targets = [
      await target("app", app, session.attemptId, pageSave, headers),
      await target("api", app, apiAttempt, apiSave, apiHeaders),
      await target("bare", bare, fixture.bareAttempt, pageSave, headers),
    ];
    await fixture.close();
    for (const t of targets) {
      const { method, path, body } = t.save(t.items[0]!);
      const res = await fetch(`${t.base}${path}`, { method, headers: t.headers, body });
      const text = await res.text();
      if (res.status !== 200 || !text.includes('"saved":true')) throw new Error(`${t.name}: ${res.status} ${text}`);
    }
    app.proc.send("reset"); // --profile counts per request from here, not the sign-in
    const machine =
      `Node ${process.version}, PostgreSQL ${fixture.version} (embedded), ` +
      `${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB`;
    log(`${machine}; ${questions} questions, ${connections} connections`);

    const runs: Measured[] = [];
    const rounds = positiveInt("rounds", 1);
    for (let round = 1; round <= rounds; round += 1) {
      for (const t of targets) {
        const run = await measure(t, (s) => maxRate(t, connections, s));
        runs.push(rounds > 1 ? { ...run, name: `${run.name} #${round}` } : run);
      }
    }
    const appMax = median(runs.filter((r) => r.name.startsWith("app max")).map((r) => r.rps));
    const apiMax = median(runs.filter((r) => r.name.startsWith("api max")).map((r) => r.rps));
    const bareMax = median(runs.filter((r) => r.name.startsWith("bare max")).map((r) => r.rps));
    const half = Math.max(1, Math.round(appMax / 2));
    for (const rate of flag("rate") ? [half, positiveInt("rate", 1)] : [half]) {
      for (const t of targets) runs.push(await measure(t, (s) => pacedRate(t, rate, s)));
    }
    const [appPaced, apiPaced, barePaced] = runs.slice(targets.length * rounds) as [Measured, Measured, Measured];

    const load = os.loadavg().map((n) => fmt(n, 2));
    const commits = flag("async-commit") ? ", synchronous_commit OFF (--async-commit)" : "";
    console.log(
      `\nbench/answers ${new Date().toISOString().slice(0, 10)}: ${machine}${commits}, load average ${load.join(" ")}`,
    );
    const cpuHeader = "server CPU ms/req | PostgreSQL CPU ms/req";
    console.log(`\n| run | req/s | p50 ms | p90 ms | p99 ms | max ms | ok | failed | ${cpuHeader} |`);
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of runs) {
      const cells = [fmt(r.rps, 0), ...[r.p50, r.p90, r.p99, r.max].map((n) => fmt(n, 1)), r.ok, r.bad];
      const cpu = [r.serverMs, r.postgresMs].map((n) => fmt(n, 2));
      console.log(`| ${r.name} | ${[...cells, ...cpu].join(" | ")} |`);
    }
    const ratio = appMax / bareMax;
    const apiRatio = apiMax / appMax;
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    console.log(
      `\napp/bare: ${fmt(ratio, 2)} (${fmt(appMax, 0)} / ${fmt(bareMax, 0)} req/s); ` +
        `target >= ${TARGET_RATIO}: ${verdict(ratio >= TARGET_RATIO)}\n` +
        `app at ${half} req/s (half its max), paced: p50 ${fmt(appPaced.p50, 1)} ms, p99 ${fmt(appPaced.p99, 1)} ms ` +
        `(bare p99 ${fmt(barePaced.p99, 1)} ms); target <= ${TARGET_P99_MS} ms: ${verdict(appPaced.p99 <= TARGET_P99_MS)}\n` +
        `api/app: ${fmt(apiRatio, 2)} (${fmt(apiMax, 0)} / ${fmt(appMax, 0)} req/s); target >= ${TARGET_API_RATIO}: ` +
        `${verdict(apiRatio >= TARGET_API_RATIO)}; api paced p99 ${fmt(apiPaced.p99, 1)} ms`,
    );
    for (const child of children.splice(0)) await child.stop();
    if (flag("cpu-prof"))
      log(`CPU profiles in ${path.resolve(flag("cpu-prof")!)}/{app,bare}/ (the largest: the server's main thread)`);
    const failed = runs.filter((r) => r.bad > 0).map((r) => r.name);
    if (failed.length) log(`failed requests in: ${failed.join(", ")}; the figures are not valid`);
    return failed.length ? 1 : 0;
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await database?.stop().catch((error: Error) => log(`stopping the database: ${error.message}`));
    await rm(scratch, { recursive: true, force: true });
  }
}

const role = flag("serve");
const fail = (error: Error) => {
  console.error(`[bench] ${role ?? "driver"}: ${error.stack ?? error.message}`);
  process.exit(1);
};
if (role === "app" || role === "bare") serve(role, flag("url")!).catch(fail);
else main().then((code) => process.exit(code), fail);
