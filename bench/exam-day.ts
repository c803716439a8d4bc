// bench/exam-day: a cohort sits the mock exam at once. Simulated learners (real HTTP clients,
// each with its own cookie, CSRF token and loopback address) sign in over a short window, open
// the exam's start page and choose a stack, start within the same second, read each of the 60
// questions and autosave an answer after a think time (running the statement of each SQL
// exercise once first), revisit a few, and submit; a second wave submits at the deadline and a
// last few never do (the sweep submits theirs). The exam is the shipped mock exam (a copy with
// its time limit compressed, on the shipped banks loaded as `npm start` loads them: 60 of about
// 1,400 questions drawn by topic, difficulty, type and stack, three SQL exercises a form, which
// a submission runs in the sandbox to grade). The same load shape runs against the app and
// against a bare baseline (Express 5 + pg doing the same writes: a session row read per
// request, the attempt and 60 items drawn at random from the mock's topics inserted at start,
// one row updated per save, 60 rows graded at submission; no SQL runs), in the same run,
// stepping the learner count up.
//
//   npx tsx bench/exam-day.ts [--quick] [--ladder 100,250,500,750,1000,2000] [--compress 30]
//                             [--think 90] [--generators 1] [--workers 1] [--instances 1]
//                             [--refine 2] [--only app|proxied|bare]
//
// --think      seconds a learner spends on a question in the real exam (90 s: 60 questions in 90 min)
// --compress   the think time is divided by this factor (30: 3 s a question, a sitting in ~3 min)
// --quick      --ladder 500,750 --compress 100, refined to 125 learners: 2 or 3 steps a target of
//              about 80 s each on a 2-core machine (about 9 minutes in all). A step cannot be much
//              shorter, as it is one 60-question sitting; compression 100 sends each learner's
//              pages and saves 0.9 s apart, so a quick run's counts sit below a full run's
// --generators load-generator processes (each simulates its share of the cohort)
// --workers    WEB_CONCURRENCY of the app (node:cluster workers on one port)
// --instances  N > 1 adds a target: N app processes behind nginx (Debian's nginx-light), its
//              turn between the single app's and the baseline's; its line is printed before the last
// --refine     after a target's first failing step, halve the gap to the last passing count
//              this many times (to a multiple of 25; 2 by default); --quick stops at a gap of
//              125 (500 passes, 750 fails: 625; 500 fails: 250, then 125 or 375)
//
// A step passes with 0 errors and p95 <= 1 s for each of sign-in (the form, the post, the exam
// list and the start page), start, page, SQL run (the app only), save and submit. Reported per step: those p95s, errors, CPU ms per learner of the server and of
// PostgreSQL (from /proc), and the generators' own CPU share: a generator near 100% of a core
// is saturated and its figures say more about itself than about the server. Each target's
// ladder stops at its first failing step, then refines. Before the ladders each target sits a
// short warm-up (50 learners, 50 ms think time, about 20 s), logged but not counted, so the
// first step does not measure a process that has just started. The targets then take turns,
// a step each (app 500, bare 500, app 750, ...): a virtual machine's speed drifts over the
// minutes of a run, and steps side by side meet the same machine. The last line printed is exactly:
//   exam-day: app N learners, bare M learners at p95 <= 1 s, 0 errors (ratio R)
import { execFileSync, fork, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import express from "express";
import { Pool } from "pg";
import { applyMigrations, connectDatabase, createPool, migrationsDir, startEmbeddedDatabase } from "../src/db";
import { loadShippedBanks, prepareData } from "../src/cli/first-start";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/web/logger";
import { PASSWORD } from "../tests/factories/users";
import { buildServer } from "../tests/support/server-process";

const ROOT = path.resolve(__dirname, "..");
const OPS = ["signin", "start", "page", "run", "save", "submit"] as const;
type Op = (typeof OPS)[number];
const P95_LIMIT_MS = 1000;
const QUESTIONS = 60;
const REVISITS = 3;
/** Learners of the warm-up sitting each target gets first, unreported (see main). */
const WARMUP_LEARNERS = 50;
const WARMUP_THINK_MS = 50;
const SIGNIN_WINDOW_REAL_S = 600; // the cohort signs in over the ten minutes before the start (compressed too)
/**
 * The sign-in window is compressed at most this many times (to 10 s), whatever --compress says:
 * a sign-in's cost is its own (an Argon2id verification, about 11 ms of CPU here), so a window
 * compressed 90 times would have the cohort sign in faster than any exam day does and decide
 * every step by sign-in alone, for the app and the baseline alike.
 */
const SIGNIN_COMPRESS_MAX = 60;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith("--") ? next : "true";
}
const quick = flag("quick") === "true";
const number = (name: string, fallback: number) => {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const log = (message: string) => console.error(`[exam-day] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-GB", { maximumFractionDigits: digits }) : "–";

// ---------------------------------------------------------------- CPU (Linux /proc)

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
function procStats(): Map<number, { ppid: number; cpuMs: number }> {
  const out = new Map<number, { ppid: number; cpuMs: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // utime + stime, and cutime + cstime: the children it has reaped (a PostgreSQL backend
      // that exits mid-step is counted in the postmaster's, not lost).
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      out.set(Number(entry), { ppid: Number(f[1]), cpuMs: (ticks * 1000) / TICKS });
    } catch {
      // gone
    }
  }
  return out;
}
/** CPU ms of a process and all its descendants (the app's workers, PostgreSQL's backends). */
function treeCpuMs(root: number, stats = procStats()): number {
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += stats.get(pid)?.cpuMs ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) stack.push(child);
  }
  return total;
}

// ---------------------------------------------------------------- fixture

/** The shipped mock exam the cohort sits (a copy of it, with the time limit compressed: see prepare). */
const SHIPPED_MOCK = "backend-mock-exam";

/**
 * The database a run uses: migrations, the shipped exams and question banks loaded as `npm start`
 * loads them (SQL exercises prepared in the sandbox), the learners, and the exam they sit: a
 * copy of the shipped mock exam (the same blueprint: 60 questions by topic, difficulty and type,
 * the stack section, the SQL exercises) whose time limit is compressed with the think time.
 * A copy, under its own slug, because the app syncs the shipped definitions when it starts and
 * would give the mock its 90 minutes back.
 */
async function prepare(url: string, secret: string, learners: number, timeLimitSeconds: number) {
  const pool = createPool(url, 2);
  await applyMigrations(pool, migrationsDir(ROOT));
  await pool.end();
  const db = connectDatabase(url, { max: 4 });
  const config = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: url,
    SESSION_SECRET: secret,
    LOAD_SHIPPED_BANKS: "true",
    LOG_LEVEL: "warn",
  });
  const logger = createLogger(config);
  const loading = Date.now();
  await prepareData({ config, db, logger });
  if ((await loadShippedBanks({ config, db, logger })) !== "loaded") throw new Error("the shipped banks did not load");
  log(`loaded the shipped exams and question banks in ${fmt((Date.now() - loading) / 1000, 1)} s`);
  const slug = `exam-day-${randomUUID().slice(0, 6)}`;
  // Every column of the shipped mock's row but its id, slug, title and time limit.
  const { rows: columns } = await db.pool.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'exams'
       AND column_name NOT IN ('id', 'slug', 'title', 'timeLimitSeconds')`,
  );
  const rest = columns.map((c) => `"${c.name}"`).join(", ");
  const copied = await db.pool.query(
    `INSERT INTO exams (id, slug, title, "timeLimitSeconds", ${rest})
     SELECT gen_random_uuid(), $1, 'Exam day: ' || title, $2, ${rest} FROM exams WHERE slug = $3`,
    [slug, timeLimitSeconds, SHIPPED_MOCK],
  );
  if (copied.rowCount !== 1) throw new Error(`no shipped exam ${SHIPPED_MOCK} to copy`);
  // Every learner has the same password, hashed once (sign-in still verifies it each time).
  const passwordHash = await hash(PASSWORD);
  await db.pool.query(
    `INSERT INTO users (id, email, "displayName", "passwordHash", role, "updatedAt")
     SELECT gen_random_uuid(), 'learner' || n || '@exam-day.test', 'Learner ' || n, $1, 'learner', now()
     FROM generate_series(1, $2::int) n`,
    [passwordHash, learners],
  );
  return { examSlug: slug, close: () => db.close() };
}

const emailOf = (n: number) => `learner${n}@exam-day.test`;

// ---------------------------------------------------------------- the bare baseline

async function serveBare(url: string, poolMax: number, examSlug: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000 });
  const app = express();
  app.use(express.json({ limit: "256kb" }));
  /** A session row read per request, as the app's session store does. */
  const userOf = async (req: express.Request) => {
    const sid = req.get("x-session");
    if (!sid) return undefined;
    const { rows } = await pool.query<{ sess: { userId: string } }>(
      `SELECT sess FROM "session" WHERE sid = $1 AND expire >= now()`,
      [sid],
    );
    return rows[0]?.sess.userId;
  };
  const exam = (
    await pool.query<{
      id: string;
      topicPaths: string[];
      blueprint: Record<string, number> | null;
      timeLimitSeconds: number;
    }>(`SELECT id, "topicPaths", blueprint, "timeLimitSeconds" FROM exams WHERE slug = $1`, [examSlug])
  ).rows[0]!;
  // The exam's topics: the mock's come from its blueprint (questions per topic).
  const roots = exam.topicPaths.length ? exam.topicPaths : Object.keys(exam.blueprint ?? {});
  app.post("/login", async (req, res) => {
    const { email, password } = req.body as { email: string; password: string };
    const { rows } = await pool.query<{ id: string; passwordHash: string }>(
      `SELECT id, "passwordHash" FROM users WHERE email = $1`,
      [email],
    );
    if (!rows[0] || !(await verify(rows[0].passwordHash, password))) return res.status(401).end();
    const sid = randomBytes(24).toString("base64url");
    await pool.query(`INSERT INTO "session" (sid, sess, expire) VALUES ($1, $2, now() + interval '12 hours')`, [
      sid,
      JSON.stringify({ userId: rows[0].id }),
    ]);
    res.json({ sid });
  });
  app.post("/start", async (req, res) => {
    const userId = await userOf(req);
    if (!userId) return res.status(401).end();
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const open = await client.query<{ id: string }>(
        `INSERT INTO attempts (id, "examId", "userId", "openKey", "startedAt", "deadlineAt")
         VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $1::text || ':' || $2::text, now(),
                 now() + make_interval(secs => $3::int))
         ON CONFLICT ("openKey") DO UPDATE SET "openKey" = EXCLUDED."openKey" RETURNING id`,
        [exam.id, userId, exam.timeLimitSeconds],
      );
      const attemptId = open.rows[0]!.id;
      await client.query(
        `INSERT INTO attempt_items (id, "attemptId", position, "questionVersionId", "topicPath", "displayOrder")
         SELECT gen_random_uuid(), $1::uuid, row_number() OVER (), v.id, t.path, ARRAY[]::text[]
         FROM (SELECT q."currentVersionId" AS vid, q."topicId" FROM questions q
               JOIN topics t ON t.id = q."topicId"
               WHERE q."retiredAt" IS NULL AND split_part(t.path, '/', 1) = ANY($2)
               ORDER BY random() LIMIT ${QUESTIONS}) pick
         JOIN question_versions v ON v.id = pick.vid JOIN topics t ON t.id = pick."topicId"
         ON CONFLICT DO NOTHING`,
        [attemptId, roots],
      );
      await client.query("COMMIT");
      res.json({ id: attemptId });
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  });
  app.get("/attempts/:id/:position", async (req, res) => {
    const userId = await userOf(req);
    if (!userId) return res.status(401).end();
    const { rows } = await pool.query<{ stemHtml: string; body: unknown; type: string; seq: number }>(
      `SELECT v."stemHtml", v.body, v.type::text AS type, i.seq FROM attempt_items i
       JOIN attempts a ON a.id = i."attemptId" JOIN question_versions v ON v.id = i."questionVersionId"
       WHERE i."attemptId" = $1 AND i.position = $2 AND a."userId" = $3`,
      [req.params.id, Number(req.params.position), userId],
    );
    if (!rows[0]) return res.status(404).end();
    res
      .type("html")
      .send(`<main><h1>Question</h1>${rows[0].stemHtml}<pre>${JSON.stringify(rows[0].body)}</pre></main>`);
  });
  app.post("/attempts/:id/answers", async (req, res) => {
    const userId = await userOf(req);
    if (!userId) return res.status(401).end();
    const body = req.body as { position: number; seq: number; flagged?: boolean; response: unknown };
    const result = await pool.query(
      `UPDATE attempt_items i SET response = $1, seq = $2, flagged = $3, "answeredAt" = now()
       FROM attempts a WHERE a.id = i."attemptId" AND i."attemptId" = $4 AND i.position = $5 AND i.seq < $2
         AND a."userId" = $6 AND a.status = 'open'`,
      [JSON.stringify(body.response), body.seq, body.flagged === true, req.params.id, body.position, userId],
    );
    if (result.rowCount === 0) return res.status(409).json({ error: "stale" });
    res.json({ saved: true, seq: body.seq });
  });
  const grade = async (attemptId: string, by: string) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const locked = await client.query(`SELECT 1 FROM attempts WHERE id = $1 AND status = 'open' FOR UPDATE`, [
        attemptId,
      ]);
      if (locked.rowCount === 0) return void (await client.query("COMMIT"));
      const items = await client.query<{ id: string; response: { type?: string } | null; body: unknown }>(
        `SELECT i.id, i.response, v.body FROM attempt_items i JOIN question_versions v ON v.id = i."questionVersionId"
         WHERE i."attemptId" = $1`,
        [attemptId],
      );
      const scores: number[] = items.rows.map((r) => (r.response && JSON.stringify(r.body).length % 2 === 0 ? 1 : 0));
      await client.query(
        `UPDATE attempt_items i SET score = s.score, correct = s.score = 1
         FROM unnest($1::uuid[], $2::float8[]) AS s(id, score) WHERE i.id = s.id`,
        [items.rows.map((r) => r.id), scores],
      );
      const percent = (100 * scores.reduce((a, b) => a + b, 0)) / Math.max(1, scores.length);
      await client.query(
        `UPDATE attempts SET status = 'submitted', "openKey" = NULL, "submittedAt" = now(), "submittedBy" = $2,
           "scorePercent" = $3::float8, passed = $3::float8 >= 70 WHERE id = $1`,
        [attemptId, by, percent],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };
  app.post("/attempts/:id/submission", async (req, res) => {
    const userId = await userOf(req);
    if (!userId) return res.status(401).end();
    await grade(req.params.id, "learner");
    res.json({ submitted: true });
  });
  // The deadline sweep, as the app's: overdue attempts graded from what was saved.
  setInterval(() => {
    void pool
      .query<{ id: string }>(`SELECT id FROM attempts WHERE status = 'open' AND "deadlineAt" < now() LIMIT 200`)
      .then(async ({ rows }) => {
        for (const { id } of rows) await grade(id, "deadline");
      })
      .catch(() => undefined);
  }, 5_000).unref();
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on("disconnect", () => process.exit(0));
}

// ---------------------------------------------------------------- a learner (in a generator process)

type Plan = {
  kind: string; // "bare", or an app target: "app", "app-x2" (instances behind nginx)
  base: string;
  examSlug: string;
  learners: number[];
  signinAt: number; // epoch ms when sign-ins begin
  startAt: number; // epoch ms of the synchronized start
  signinMs: number; // the compressed sign-in window
  thinkMs: number;
  deadlineAt: number; // epoch ms: the second wave submits just before it
};
type Sample = Record<Op, number[]> & {
  errors: Record<Op, number>;
  reasons: Record<string, number>; // "op: status or error" -> count, so a failing step says why
  cpuMs: number;
  wallMs: number;
};
const reasonOf = (value: unknown): string =>
  value instanceof Error
    ? value.message
    : typeof value === "object" && value !== null && "status" in value
      ? `HTTP ${(value as { status: number }).status}`
      : typeof value === "number"
        ? `HTTP ${value}`
        : `unexpected ${JSON.stringify(value).slice(0, 40)}`;

/**
 * Learner n's own loopback address (127.1.0.1 and up: Linux routes all of 127.0.0.0/8 to the
 * loopback device). A cohort's learners connect from their own addresses; from one address,
 * the app's sign-in throttle would count the whole cohort's sign-ins in flight as one
 * address's (see docs/performance.md, exam day).
 */
const addressOf = (n: number) => `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;

function httpClient(base: string, localAddress: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
  const { hostname, port } = new URL(base);
  let cookie = "";
  return {
    async request(
      method: string,
      pathname: string,
      options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
    ): Promise<{ status: number; text: string; location: string }> {
      const body =
        options.json !== undefined
          ? JSON.stringify(options.json)
          : options.form
            ? new URLSearchParams(options.form).toString()
            : undefined;
      const headers: Record<string, string | number> = { ...options.headers };
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) {
        headers["content-type"] = options.json !== undefined ? "application/json" : "application/x-www-form-urlencoded";
        headers["content-length"] = Buffer.byteLength(body);
      }
      // A kept-alive connection the server closed as idle (its keep-alive timeout) just as the
      // request went out fails before any response: the request is sent again once on a new
      // connection, as browsers do and as Node's documentation of request.reusedSocket
      // advises. Only then: any other error, or one on a new connection, counts.
      const send = (retry: boolean) =>
        new Promise<{ status: number; text: string; location: string }>((resolve, reject) => {
          let answered = false;
          const req = http.request({ agent, hostname, port, method, path: pathname, headers }, (res) => {
            answered = true;
            const set = res.headers["set-cookie"]?.find((c) => c.startsWith("stackprep="));
            if (set) cookie = set.split(";")[0]!;
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text, location: res.headers.location ?? "" }));
          });
          req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
          req.on("error", (error: NodeJS.ErrnoException) => {
            const closedIdle = error.code === "ECONNRESET" || error.message === "socket hang up";
            if (retry && req.reusedSocket && !answered && closedIdle) resolve(send(false));
            else reject(error);
          });
          req.end(body);
        });
      return send(true);
    },
    close: () => agent.destroy(),
  };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

const ESSAY =
  "A cache in front of the database keeps hot rows in memory, so reads skip the disk; " +
  "it must be invalidated when the row changes, or readers see stale data until the entry expires.";

/** The first offered value of each select named `prefix`N on the page, by N. */
const selectsOf = (html: string, prefix: string) =>
  [...html.matchAll(new RegExp(`<select [^>]*name="${prefix}([^"]+)"[^>]*>([\\s\\S]*?)</select>`, "g"))].map((m) => ({
    key: m[1]!,
    first: /<option value="([^"]+)"/.exec(m[2]!)?.[1] ?? "",
  }));

/**
 * An answer for the question page in `html` (app), from what it shows: the first choices, the
 * first option of each select, a statement on the exercise's first table, a short essay.
 */
function answerFrom(html: string): { type: string; [field: string]: unknown } {
  const type = /name="type" value="(\w+)"/.exec(html)?.[1] ?? "";
  const choices = [...html.matchAll(/name="answer" value="([^"]+)"/g)].map((m) => m[1]!);
  const ranks = [...html.matchAll(/name="order_([^"]+)"/g)].map((m) => m[1]!);
  switch (type) {
    case "single":
      return { type, optionId: choices[0] };
    case "multiple":
      return { type, optionIds: choices.slice(0, 2) };
    case "truefalse":
      return { type, value: true };
    case "short":
      return { type, text: "index" };
    case "numeric":
      return { type, value: 32 };
    case "matching":
      return { type, pairs: selectsOf(html, "match_").map((s) => ({ prompt: s.key, match: s.first })) };
    case "gap": {
      const chosen = selectsOf(html, "gapchoice_").map((s) => ({ gap: Number(s.key), optionId: s.first }));
      const typed = [...html.matchAll(/name="gaptext_(\d+)"/g)].map((m) => ({ gap: Number(m[1]), text: "index" }));
      return { type, fills: [...chosen, ...typed] };
    }
    case "sql": {
      const table = /CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/i.exec(html)?.[1] ?? "pg_class";
      return { type, query: `SELECT * FROM ${table} ORDER BY 1 LIMIT 20` };
    }
    case "essay":
      return { type, text: ESSAY };
    default:
      return { type: "ordering", itemIds: ranks };
  }
}

async function sit(plan: Plan, n: number, sample: Sample, rng: () => number): Promise<void> {
  const client = httpClient(plan.base, addressOf(n));
  const timed = async <T>(op: Op, work: () => Promise<T>, ok: (value: T) => boolean): Promise<T | undefined> => {
    const started = performance.now();
    try {
      const value = await work();
      if (!ok(value)) {
        sample.errors[op] += 1;
        const reason = `${op}: ${reasonOf(value)}`;
        sample.reasons[reason] = (sample.reasons[reason] ?? 0) + 1;
        return undefined;
      }
      sample[op].push(performance.now() - started);
      return value;
    } catch (error) {
      sample.errors[op] += 1;
      const reason = `${op}: ${reasonOf(error)}`;
      sample.reasons[reason] = (sample.reasons[reason] ?? 0) + 1;
      return undefined;
    }
  };
  try {
    await sleep(plan.signinAt + rng() * plan.signinMs - Date.now());
    const email = emailOf(n);
    let sid = "";
    // Signing in ends on the exam's start page (from the exam list), where the learner chooses
    // a stack and waits for the start (the form's CSRF token is the one the start posts); in
    // the bare baseline, the session alone.
    let startToken = "";
    let stack = "";
    const signedIn = await timed(
      "signin",
      async () => {
        if (plan.kind === "bare") {
          const res = await client.request("POST", "/login", { json: { email, password: PASSWORD } });
          sid = res.status === 200 ? (JSON.parse(res.text) as { sid: string }).sid : "";
          return res.status;
        }
        const form = await client.request("GET", "/login");
        const res = await client.request("POST", "/login", {
          form: { _csrf: csrfOf(form.text), email, password: PASSWORD },
        });
        if (res.status !== 303) return res.status;
        const exams = await client.request("GET", "/exams");
        if (exams.status !== 200) return exams.status;
        const start = await client.request("GET", `/exams/${plan.examSlug}/start`);
        const stacks = [...start.text.matchAll(/name="stack" value="([^"]+)"/g)].map((m) => m[1]!);
        stack = stacks[n % Math.max(1, stacks.length)] ?? "";
        startToken = csrfOf(start.text);
        return start.status;
      },
      (status) => status === 200,
    );
    if (signedIn === undefined) return;
    const auth: Record<string, string> = plan.kind === "bare" ? { "x-session": sid } : {};
    await sleep(plan.startAt + rng() * 1000 - Date.now());
    const started = await timed(
      "start",
      async () => {
        if (plan.kind === "bare") {
          const res = await client.request("POST", "/start", { headers: auth });
          return { status: res.status, id: res.status === 200 ? (JSON.parse(res.text) as { id: string }).id : "" };
        }
        const res = await client.request("POST", `/exams/${plan.examSlug}/attempts`, {
          form: { _csrf: startToken, ...(stack ? { stack } : {}) },
        });
        return { status: res.status, id: /\/attempts\/([0-9a-f-]{36})$/.exec(res.location)?.[1] ?? "" };
      },
      (r) => r.id.length > 0,
    );
    const attemptId = started?.id;
    if (!attemptId) return;
    let token = "";
    const seqs = new Map<number, number>();
    const visit = async (position: number) => {
      const page = await timed(
        "page",
        () =>
          client.request(
            "GET",
            plan.kind === "bare" ? `/attempts/${attemptId}/${position}` : `/attempts/${attemptId}?q=${position}`,
            { headers: auth },
          ),
        (res) => res.status === 200,
      );
      if (!page) return;
      token ||= csrfOf(page.text);
      const response = plan.kind === "bare" ? { type: "single", optionId: "a" } : answerFrom(page.text);
      // An SQL exercise: the statement is run once (the page's Run button) while thinking.
      if (response.type === "sql") {
        await sleep(plan.thinkMs * (0.25 + rng() / 2));
        await timed(
          "run",
          () =>
            client.request("POST", `/attempts/${attemptId}/sql-runs`, {
              json: { position, query: response.query },
              headers: { "x-csrf-token": token, accept: "application/json" },
            }),
          (res) => res.status === 200,
        );
        await sleep(plan.thinkMs * (0.25 + rng() / 2));
      } else await sleep(plan.thinkMs * (0.5 + rng()));
      const seq = (seqs.get(position) ?? 0) + 1;
      seqs.set(position, seq);
      await timed(
        "save",
        () =>
          client.request("POST", `/attempts/${attemptId}/answers`, {
            json: { position, seq, flagged: false, response },
            headers: plan.kind === "bare" ? auth : { "x-csrf-token": token },
          }),
        (res) => res.status === 200,
      );
    };
    for (let q = 1; q <= QUESTIONS; q++) await visit(q);
    for (let r = 0; r < REVISITS; r++) await visit(1 + Math.floor(rng() * QUESTIONS));
    // 70% submit when done; 20% at the deadline; 10% never (the sweep submits theirs).
    const wave = rng();
    if (wave >= 0.9) return;
    if (wave >= 0.7) await sleep(plan.deadlineAt - 2000 - rng() * 1000 - Date.now());
    await timed(
      "submit",
      async () => {
        if (plan.kind === "bare")
          return (await client.request("POST", `/attempts/${attemptId}/submission`, { headers: auth })).status;
        const res = await client.request("POST", `/attempts/${attemptId}/submission`, { form: { _csrf: token } });
        return res.status === 303 ? 200 : res.status;
      },
      (status) => status === 200,
    );
  } finally {
    client.close();
  }
}

async function generate(plan: Plan): Promise<Sample> {
  const sample: Sample = {
    signin: [],
    start: [],
    page: [],
    run: [],
    save: [],
    submit: [],
    errors: { signin: 0, start: 0, page: 0, run: 0, save: 0, submit: 0 },
    reasons: {},
    cpuMs: 0,
    wallMs: 0,
  };
  const cpu = process.cpuUsage();
  const wall = performance.now();
  let state = plan.learners[0] ?? 1;
  const rng = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  await Promise.all(plan.learners.map((n) => sit(plan, n, sample, rng)));
  const used = process.cpuUsage(cpu);
  sample.cpuMs = (used.user + used.system) / 1000;
  sample.wallMs = performance.now() - wall;
  return sample;
}

// ---------------------------------------------------------------- the ladder

/**
 * A target's way up the ladder: its steps in order up to the first that fails, then `refine`
 * halvings (to a multiple of 25) of the gap between the last passing count and the failing
 * one, while the gap is wider than `resolution`. `next()` is the count to sit next (null when
 * the climb is over), `record()` takes that step's outcome.
 */
class Climb {
  passed = 0;
  private failed = 0;
  private rung = 0;
  private refined = 0;
  private readonly ladder: readonly number[];
  private readonly refine: number;
  private readonly resolution: number;

  constructor(ladder: readonly number[], refine: number, resolution: number) {
    this.ladder = ladder;
    this.refine = refine;
    this.resolution = resolution;
  }

  next(): number | null {
    if (!this.failed) return this.ladder[this.rung] ?? null;
    if (this.refined >= this.refine || this.failed - this.passed <= this.resolution) return null;
    const mid = Math.round((this.passed + this.failed) / 2 / 25) * 25;
    return mid <= this.passed || mid >= this.failed ? null : mid;
  }

  record(pass: boolean): void {
    const learners = this.next();
    if (learners === null) throw new Error("the climb is over");
    if (this.failed) this.refined += 1;
    else if (pass) this.rung += 1;
    if (pass) this.passed = learners;
    else this.failed = learners;
  }
}

// ---------------------------------------------------------------- the driver

/** What a step drives: its port, and the processes whose CPU counts as the server's. */
type Server = { pids: number[]; port: number; stop(): Promise<void> };

async function startApp(url: string, workers: number, secret: string, behindProxy = false): Promise<Server> {
  // EXAM_DAY_PROFILE=dir: the app writes a CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.EXAM_DAY_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.EXAM_DAY_PROFILE}`] : [];
  const proc = spawn(process.execPath, [...profile, path.join(ROOT, "dist/main.js")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: url,
      SESSION_SECRET: secret,
      LOG_LEVEL: "warn",
      LOAD_SHIPPED_BANKS: "false",
      WEB_CONCURRENCY: String(workers),
      DATABASE_POOL_MAX: "10",
      // Behind nginx, the learner's address is the one nginx puts in X-Forwarded-For.
      TRUST_PROXY: String(behindProxy),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  // LOG_LEVEL=warn hides the "serving" line: find the port by asking /healthz on the listening socket.
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (!port) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the app did not start:\n${out}`);
    port = listeningPort(proc.pid!);
    if (!port) await sleep(200);
  }
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return; // stopped already (by a signal: no exit code)
    proc.kill("SIGTERM");
    await once(proc, "exit");
  };
  return { pids: [proc.pid!], port, stop };
}

const NGINX = "/usr/sbin/nginx";

/** A free loopback port (bound, then let go). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Several app instances (separate processes, as replicas are) behind nginx from Debian, as
 * docs/operations.md sets them up: least-connections balancing, kept-alive upstream
 * connections. The proxy's CPU counts as the server's.
 */
async function startInstances(
  url: string,
  instances: number,
  workers: number,
  scratch: string,
  secret: string,
): Promise<Server> {
  // Replicas share the session secret (and the database that holds the sessions).
  const apps: Server[] = [];
  for (let i = 0; i < instances; i++) apps.push(await startApp(url, workers, secret, true));
  const dir = path.join(scratch, "nginx");
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const conf = `daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream stackprep {
    least_conn;
${apps.map((a) => `    server 127.0.0.1:${a.port} max_fails=0;`).join("\n")}
    keepalive 128;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    keepalive_requests 100000;
    location / {
      proxy_pass http://stackprep;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error;
      proxy_read_timeout 60s;
    }
  }
}
`;
  await writeFile(path.join(dir, "nginx.conf"), conf);
  const proc = spawn(NGINX, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 10_000;
  while (listeningPort(proc.pid!) !== port) {
    if (proc.exitCode !== null || Date.now() > deadline)
      throw new Error(`nginx did not start: ${readFileSync(path.join(dir, "error.log"), "utf8")}`);
    await sleep(100);
  }
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGQUIT");
      await once(proc, "exit");
    }
    for (const app of apps) await app.stop();
  };
  return { pids: [proc.pid!, ...apps.flatMap((a) => a.pids)], port, stop };
}

/** The TCP port a process (or one of its children) listens on, from /proc/net/tcp. */
function listeningPort(pid: number): number {
  const stats = procStats();
  const pids = [pid, ...[...stats].filter(([, s]) => s.ppid === pid).map(([p]) => p)];
  const inodes = new Set<string>();
  for (const p of pids) {
    try {
      for (const fd of readdirSync(`/proc/${p}/fd`)) {
        try {
          const link = readlinkSync(`/proc/${p}/fd/${fd}`);
          const m = /socket:\[(\d+)\]/.exec(link);
          if (m) inodes.add(m[1]!);
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // gone
    }
  }
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] === "0A" && inodes.has(f[9] ?? "")) return parseInt(f[1]!.split(":")[1]!, 16);
  }
  return 0;
}

async function startBare(url: string, examSlug: string): Promise<Server> {
  const proc = fork(__filename, ["--serve-bare", url, examSlug], { stdio: "inherit", execArgv: process.execArgv });
  const [ready] = (await once(proc, "message")) as [{ port: number }];
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return; // stopped already (by a signal: no exit code)
    proc.kill("SIGTERM");
    await once(proc, "exit");
  };
  return { pids: [proc.pid!], port: ready.port, stop };
}

async function runGenerators(plan: Plan, count: number): Promise<Sample[]> {
  const shares = Array.from({ length: count }, (_, g) => plan.learners.filter((_, i) => i % count === g));
  return Promise.all(
    shares.map(async (learners) => {
      const proc = fork(__filename, ["--generate"], { stdio: "inherit", execArgv: process.execArgv });
      proc.send({ ...plan, learners });
      const [sample] = (await once(proc, "message")) as [Sample];
      proc.kill();
      return sample;
    }),
  );
}

type StepResult = { learners: number; pass: boolean; line: string };

async function step(
  kind: string,
  server: Server,
  postmaster: number,
  examSlug: string,
  learners: number,
  options: { thinkMs: number; signinMs: number; generators: number; firstLearner: number; label?: string },
): Promise<StepResult> {
  const sittingMs = (QUESTIONS + REVISITS) * options.thinkMs * 1.1;
  const { signinMs } = options;
  const signinAt = Date.now() + 2000;
  const startAt = signinAt + signinMs + 1000;
  const deadlineAt = startAt + sittingMs + 5000;
  const plan: Plan = {
    kind,
    base: `http://127.0.0.1:${server.port}`,
    examSlug,
    learners: Array.from({ length: learners }, (_, i) => options.firstLearner + i),
    signinAt,
    startAt,
    signinMs,
    thinkMs: options.thinkMs,
    deadlineAt,
  };
  const before = procStats();
  const serverCpu = (stats: ReturnType<typeof procStats>) =>
    server.pids.reduce((n, pid) => n + treeCpuMs(pid, stats), 0);
  const [serverBefore, pgBefore] = [serverCpu(before), treeCpuMs(postmaster, before)];
  const samples = await runGenerators(plan, options.generators);
  const after = procStats();
  const serverMs = serverCpu(after) - serverBefore;
  const pgMs = treeCpuMs(postmaster, after) - pgBefore;
  const merged = Object.fromEntries(
    OPS.map((op) => [op, samples.flatMap((s) => s[op]).sort((a, b) => a - b)]),
  ) as Record<Op, number[]>;
  const errors = Object.fromEntries(OPS.map((op) => [op, samples.reduce((n, s) => n + s.errors[op], 0)])) as Record<
    Op,
    number
  >;
  const p95 = Object.fromEntries(OPS.map((op) => [op, percentile(merged[op], 0.95)])) as Record<Op, number>;
  const totalErrors = OPS.reduce((n, op) => n + errors[op], 0);
  // An operation a target never does (the baseline runs no SQL) has no p95 and does not fail it.
  const pass = totalErrors === 0 && OPS.every((op) => !merged[op].length || p95[op] <= P95_LIMIT_MS);
  const generatorShare = Math.max(...samples.map((s) => s.cpuMs / s.wallMs));
  const line =
    `| ${options.label ?? kind} | ${learners} | ${OPS.map((op) => fmt(p95[op])).join(" | ")} | ${totalErrors} | ` +
    `${fmt(serverMs / learners, 1)} | ${fmt(pgMs / learners, 1)} | ${fmt(generatorShare * 100)}% | ${pass ? "yes" : "no"} |`;
  log(line);
  const reasons = new Map<string, number>();
  for (const s of samples) for (const [r, n] of Object.entries(s.reasons)) reasons.set(r, (reasons.get(r) ?? 0) + n);
  if (reasons.size) log(`errors: ${[...reasons].map(([r, n]) => `${r} x${n}`).join("; ")}`);
  return { learners, pass, line };
}

async function main(): Promise<number> {
  const ladder = (flag("ladder") ?? (quick ? "500,750" : "100,250,500,750,1000,2000"))
    .split(",")
    .map((n) => Number(n))
    .filter((n) => Number.isInteger(n) && n > 0);
  const compress = number("compress", quick ? 100 : 30);
  const thinkMs = (number("think", 90) * 1000) / compress;
  const generators = Math.round(number("generators", 1));
  const workers = Math.round(number("workers", 1));
  const instances = Math.round(number("instances", 1));
  const refine = Math.round(Number(flag("refine") ?? 2));
  // --quick stops refining at a gap of 125 learners: 2 or 3 steps a target, whichever it fails at.
  const resolution = quick ? 125 : 25;
  if (instances > 1 && !existsSync(NGINX))
    throw new Error(`--instances ${instances} needs nginx (apt-get install nginx-light)`);
  const only = flag("only");
  const proxied = `app-x${instances}` as const;
  const targets = (["app", ...(instances > 1 ? [proxied] : []), "bare"] as const).filter(
    (k) => !only || only === k || (only === "proxied" && k === proxied),
  );
  // Fresh learners in every step, refinements included (each below the largest step): no leftovers.
  const totalLearners = WARMUP_LEARNERS + ladder.reduce((a, b) => a + b, 0) + refine * Math.max(0, ...ladder);
  log(
    `ladder ${ladder.join(", ")}; think ${fmt(thinkMs / 1000, 1)} s a question (90 s / ${compress}); ` +
      `${generators} generator(s); app workers ${workers}`,
  );
  buildServer();
  const scratch = await mkdtemp(path.join(os.tmpdir(), "stackprep-exam-day-"));
  await chmod(scratch, 0o755);
  const database = await startEmbeddedDatabase({ preferredDir: path.join(scratch, "pg"), database: "examday", log });
  const servers: Server[] = [];
  try {
    const timeLimitSeconds = Math.ceil(((QUESTIONS + REVISITS) * thinkMs * 1.1 + 5000) / 1000) + 5;
    // One secret for the app and the loader (the SQL sandbox's runner password derives from it).
    const secret = randomBytes(32).toString("hex");
    const fixture = await prepare(database.url, secret, totalLearners * targets.length, timeLimitSeconds);
    const postmaster = Number(readFileSync(path.join(database.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const rows: string[] = [];
    const best: Record<string, number> = {};
    let firstLearner = 1;
    const signinMs = (SIGNIN_WINDOW_REAL_S * 1000) / Math.min(compress, SIGNIN_COMPRESS_MAX);
    const climbs: { kind: (typeof targets)[number]; server: Server; climb: Climb }[] = [];
    for (const kind of targets) {
      const server =
        kind === "bare"
          ? await startBare(database.url, fixture.examSlug)
          : kind === "app"
            ? await startApp(database.url, workers, secret)
            : await startInstances(database.url, instances, workers, scratch, secret);
      servers.push(server);
      // A short sitting first, its figures not counted: a server that has just started has
      // not compiled its code or filled its caches (a kept pool, the versions a page shows),
      // and a real exam day does not meet it in that state.
      const warm = await step(kind, server, postmaster, fixture.examSlug, WARMUP_LEARNERS, {
        label: `${kind} warm-up`,
        thinkMs: WARMUP_THINK_MS,
        signinMs: 2000,
        generators,
        firstLearner,
      });
      firstLearner += WARMUP_LEARNERS;
      if (!warm.pass) log(`the warm-up did not pass (${warm.line}): the figures below start from a struggling server`);
      await sleep(1000);
      climbs.push({ kind, server, climb: new Climb(ladder, refine, resolution) });
    }
    // The targets take turns, a step each: this machine's speed drifts over the minutes of a
    // run (other guests of the host), and steps of the app and of the baseline taken side by
    // side meet the same machine. Each climbs its own ladder: up to its first failing step,
    // then `refine` halvings of the gap between its last passing count and the failing one.
    for (let round = 0; climbs.some((c) => c.climb.next() !== null); round++) {
      for (const { kind, server, climb } of climbs) {
        const learners = climb.next();
        if (learners === null) continue;
        const result = await step(kind, server, postmaster, fixture.examSlug, learners, {
          thinkMs,
          signinMs,
          generators,
          firstLearner,
        });
        firstLearner += learners;
        rows.push(result.line);
        climb.record(result.pass);
        await sleep(1000);
      }
    }
    for (const { kind, server, climb } of climbs) {
      best[kind] = climb.passed;
      await server.stop();
    }
    await fixture.close();
    console.log(
      `\n| target | learners | sign-in p95 ms | start p95 | page p95 | SQL run p95 | save p95 | submit p95 | errors | server CPU ms/learner | PostgreSQL CPU ms/learner | generator CPU | pass |`,
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const row of rows) console.log(row);
    if (instances > 1)
      console.log(`exam-day: ${instances} instances behind nginx: ${best[proxied]} learners at p95 <= 1 s, 0 errors`);
    const ratio = best.bare ? (best.app ?? 0) / best.bare : NaN;
    console.log(
      `exam-day: app ${best.app ?? 0} learners, bare ${best.bare ?? 0} learners at p95 <= 1 s, 0 errors (ratio ${fmt(ratio, 2)})`,
    );
    return 0;
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await database.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv.includes("--serve-bare")) {
  const i = process.argv.indexOf("--serve-bare");
  void serveBare(process.argv[i + 1]!, 10, process.argv[i + 2]!);
} else if (process.argv.includes("--generate")) {
  process.once("message", (plan: Plan) => {
    void generate(plan).then((sample) => process.send!(sample));
  });
} else {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
