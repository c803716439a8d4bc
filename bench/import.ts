// bench/import: imports a generated bank of N questions (default 100,000) through the real
// import path and compares it with COPY of the same rows, measured in the same run.
//
//   npx tsx bench/import.ts [--questions 100000] [--timeout 900] [--breakdown] [--json]
//                           [--max-old-space MiB] [--cpu-prof DIR]
//
// --max-old-space MiB runs the measured steps with node --max-old-space-size=MiB (what an
// operator can set through NODE_OPTIONS to trade garbage-collection time for peak RSS).
// --cpu-prof DIR writes V8 CPU profiles of each measured step into DIR/<step>/ (the largest
// file is the main thread's; open it in Chrome DevTools).
//
// The bank is generated like the shipped ones plus the types Moodle exports bring (matching,
// gap, essay, descriptions; bench/support/generate-bank.ts) and written as max(15, N / 20,000)
// native files, one bank per top-level topic (one native file holds at most 20,000 questions,
// formats/native-yaml.ts, and each stays under IMPORT_MAX_BYTES's 20 MiB), plus a GIFT file
// with 1% of the questions. Some questions cannot be imported (a NUL, an id another file uses,
// GIFT weights that are not numbers, answer blocks never closed): the import is lenient, as
// uploads and `npm run import` without --strict are, and must leave out exactly those and
// bring in the rest, so per-question isolation is part of what is measured.
// Uses a scratch embedded PostgreSQL (deleted at the end) unless BENCH_DATABASE_URL names a
// server, where it creates and finally drops a database of its own (the role needs CREATEDB).
// Each measured step runs in a fresh child process, so its peak RSS (VmHWM) is its own:
//   import    readSources + importService().importBanks({ actor: "operator", strict: false }),
//             timed from the call (process start and module loading are not counted)
//   reimport  the same files again: the no-change path (nothing may be written)
//   copy      baseline: COPY FROM STDIN of the same question and version rows (as the
//             import stored them, rendered HTML included) into fresh tables with the same
//             columns and indexes, one transaction, streamed from a file
//   unnest    second baseline: the same rows as INSERT ... SELECT FROM unnest($1::text[], ...)
//             in chunks of 5,000 rows (one round trip per chunk), one transaction
//   breakdown (--breakdown) where the import's CPU and memory go, without the database:
//             parse + validate (and the peak RSS by then), plan, render + hash in chunks
import { fork, type ChildProcess } from "node:child_process";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { Client } from "pg";
import { systemClock } from "../src/clock";
import { applyMigrations, createPool, createPrisma, migrationsDir } from "../src/db";
import { importService, listBankFiles, readSources } from "../src/modules/banks";
import { parseSources } from "../src/modules/banks/import.parse";
import { planBank } from "../src/modules/banks/import.plan";
import { versionContents } from "../src/modules/banks/normalise";
import { choiceIdsFor } from "../src/modules/banks/choice-ids";
import { generateBanks } from "./support/generate-bank";
import { copyFrom, copyTo, parseCopyLine } from "./support/pg-copy";
import { openScratchDatabase } from "./support/scratch-db";

const ROOT = path.resolve(__dirname, "..");
const TARGET_QUESTIONS = 100_000;
/** The import may take at most this many times as long as COPY of the rows it stores (issue #15). */
const TARGET_RATIO = 4;
const TARGET_RSS_MIB = 1024;
const MAX_BYTES = 20 * 1024 * 1024; // IMPORT_MAX_BYTES's default
const TABLES = ["questions", "question_versions"] as const;

type Step = "import" | "reimport" | "copy" | "unnest" | "breakdown";
type Result = {
  step: Step;
  seconds: number;
  rows: number;
  questions: number;
  peakRssMiB: number;
  sampledRssMiB: number;
  /** CPU time of this process (user + system) over the timed part: less sensitive than wall time to other load. */
  cpuSeconds: number;
  /** CPU time of the PostgreSQL server's processes over the whole step (undefined: not readable here). */
  pgCpuSeconds?: number;
  detail: Record<string, unknown>;
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith("--") ? next : "true";
}

const mib = (bytes: number) => bytes / 1024 / 1024;
const log = (message: string) => console.error(`[bench] ${message}`);

/** Peak RSS of this process so far: VmHWM from /proc (exact), or rss sampled every 50 ms. */
function rssSampler() {
  let sampled = process.memoryUsage.rss();
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 50);
  const peek = () => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
    try {
      const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
      return mib(Math.max(line ? Number(line[1]) * 1024 : 0, sampled));
    } catch {
      return mib(sampled); // not Linux: the samples are all there is
    }
  };
  let cpu = process.cpuUsage();
  return {
    peek,
    /** Starts the CPU clock (at the start of the timed part). */
    mark() {
      cpu = process.cpuUsage();
    },
    stop() {
      clearInterval(timer);
      const used = process.cpuUsage(cpu);
      return { peakRssMiB: peek(), sampledRssMiB: mib(sampled), cpuSeconds: (used.user + used.system) / 1e6 };
    },
  };
}

// ---------------------------------------------------------------- steps (child processes)

async function stepImport(step: "import" | "reimport", url: string, dir: string): Promise<Result> {
  const rss = rssSampler();
  const pool = createPool(url, 4);
  const prisma = createPrisma(pool);
  await pool.query("SELECT 1");
  const started = performance.now();
  rss.mark();
  const files = await listBankFiles([dir]);
  // As the command line does (src/cli/import.ts): the import alone holds the files' bytes.
  const report = await importService({ prisma, clock: systemClock, maxBytes: MAX_BYTES }).importBanks({
    sources: await readSources(files, MAX_BYTES),
    actor: "operator",
    strict: false,
  });
  const seconds = (performance.now() - started) / 1000;
  const memory = rss.stop();
  await prisma.$disconnect();
  await pool.end();
  if (!report.ok) throw new Error(`import failed:\n${report.errors.slice(0, 10).join("\n")}`);
  return {
    step,
    seconds,
    rows: report.created + report.updated,
    questions: report.questions,
    ...memory,
    detail: {
      banks: report.banks.length,
      created: report.created,
      updated: report.updated,
      retired: report.retired,
      skipped: report.skipped.length,
    },
  };
}

async function stepCopy(url: string, dir: string): Promise<Result> {
  const rss = rssSampler();
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  rss.mark();
  let rows = 0;
  await client.query("BEGIN");
  for (const table of TABLES) {
    await client.query(`CREATE TABLE "bench_copy_${table}" (LIKE "${table}" INCLUDING ALL)`);
    rows += await copyFrom(
      client,
      `COPY "bench_copy_${table}" FROM STDIN`,
      createReadStream(path.join(dir, `${table}.copy`), { highWaterMark: 1 << 20 }),
    );
  }
  await client.query("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  const memory = rss.stop();
  const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "bench_copy_questions"`);
  await client.end();
  return { step: "copy", seconds, rows, questions: Number(counted[0]!.n), ...memory, detail: {} };
}

async function stepUnnest(url: string, dir: string): Promise<Result> {
  const rss = rssSampler();
  const client = new Client({ connectionString: url });
  await client.connect();
  // Precomputed, outside the timing: the rows as column arrays.
  const data = new Map<string, { columns: { name: string; type: string }[]; values: (string | null)[][] }>();
  for (const table of TABLES) {
    const { rows: columns } = await client.query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [`"${table}"`],
    );
    const values: (string | null)[][] = columns.map(() => []);
    const text = readFileSync(path.join(dir, `${table}.copy`), "utf8");
    for (const line of text.split("\n")) {
      if (!line) continue;
      parseCopyLine(line).forEach((v, i) => values[i]!.push(v));
    }
    data.set(table, { columns, values });
  }
  const CHUNK = 5_000;
  const started = performance.now();
  rss.mark();
  let rows = 0;
  await client.query("BEGIN");
  for (const table of TABLES) {
    const { columns, values } = data.get(table)!;
    await client.query(`CREATE TABLE "bench_unnest_${table}" (LIKE "${table}" INCLUDING ALL)`);
    const names = columns.map((c) => `"${c.name}"`).join(", ");
    const casts = columns.map((c, i) => `c${i}::${c.type}`).join(", ");
    const params = columns.map((_, i) => `$${i + 1}::text[]`).join(", ");
    const sql = `INSERT INTO "bench_unnest_${table}" (${names}) SELECT ${casts}
                 FROM unnest(${params}) AS u(${columns.map((_, i) => `c${i}`).join(", ")})`;
    const total = values[0]!.length;
    for (let at = 0; at < total; at += CHUNK) {
      const result = await client.query(
        sql,
        values.map((column) => column.slice(at, at + CHUNK)),
      );
      rows += result.rowCount ?? 0;
    }
  }
  await client.query("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  const memory = rss.stop();
  await client.end();
  return {
    step: "unnest",
    seconds,
    rows,
    questions: data.get("questions")!.values[0]!.length,
    ...memory,
    detail: { chunk: CHUNK },
  };
}

/** Where the import's CPU time and memory go, without the database: parse, plan, render + hash. */
async function stepBreakdown(dir: string): Promise<Result> {
  const rss = rssSampler();
  const sources = await readSources(await listBankFiles([dir]), MAX_BYTES);
  const started = performance.now();
  rss.mark();
  let t = performance.now();
  const outcome = parseSources({ sources, format: "auto", maxBytes: MAX_BYTES, strict: false });
  if (outcome.errors.length) throw new Error(outcome.errors[0]?.message);
  const banks = outcome.parsed.map((p) => p.bank);
  const parse = (performance.now() - t) / 1000;
  const parsePeakMiB = rss.peek();
  t = performance.now();
  const plans = banks.map((b) => planBank(b, [], []));
  const plan = (performance.now() - t) / 1000;
  t = performance.now();
  let questions = 0;
  for (const b of banks)
    for (let at = 0; at < b.questions.length; at += 500) {
      const chunk = b.questions.slice(at, at + 500);
      questions += versionContents(chunk, choiceIdsFor(chunk)).length;
    }
  const render = (performance.now() - t) / 1000;
  const seconds = (performance.now() - started) / 1000;
  return {
    step: "breakdown",
    seconds,
    rows: 0,
    questions,
    ...rss.stop(),
    detail: { parse, parsePeakMiB, plan, render, plans: plans.length },
  };
}

async function child(): Promise<void> {
  const step = flag("step") as Step;
  const url = flag("url")!;
  const dir = flag("dir")!;
  const result =
    step === "import" || step === "reimport"
      ? await stepImport(step, url, dir)
      : step === "copy"
        ? await stepCopy(url, dir)
        : step === "unnest"
          ? await stepUnnest(url, dir)
          : await stepBreakdown(dir);
  process.send!(result);
}

// ---------------------------------------------------------------- the driver

function runStep(step: Step, args: string[], deadline: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const profile = flag("cpu-prof");
    const proc: ChildProcess = fork(__filename, ["--step", step, ...args], {
      stdio: "inherit",
      execArgv: [
        ...process.execArgv,
        ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profile, step)}`] : []),
        ...(flag("max-old-space") ? [`--max-old-space-size=${flag("max-old-space")}`] : []),
      ],
    });
    let result: Result | undefined;
    const timer = setTimeout(
      () => {
        proc.kill("SIGKILL");
        reject(new Error(`step ${step} did not finish before the time limit (--timeout)`));
      },
      Math.max(1, deadline - Date.now()),
    );
    proc.on("message", (message) => (result = message as Result));
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`step ${step} failed (exit ${code ?? signal})`));
    });
  });
}

async function exportRows(url: string, dir: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of TABLES) {
      const file = createWriteStream(path.join(dir, `${table}.copy`));
      await copyTo(client, `COPY "${table}" TO STDOUT`, file);
      file.end();
      await once(file, "finish");
    }
  } finally {
    await client.end();
  }
}

/**
 * CPU seconds the PostgreSQL server has used so far (Linux, a server on this machine): the
 * postmaster's own and its exited children's (reaped, so counted in its cutime/cstime), plus
 * its live children's. With BENCH_DATABASE_URL it counts the server's other work too.
 */
async function serverCpu(url: string): Promise<(() => number) | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const fields = (pid: number | string) => {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3, state
    };
    const postmaster = Number(fields(rows[0]!.pid)[1]);
    const tick = 100; // USER_HZ on Linux
    return () => {
      const own = fields(postmaster);
      let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const f = fields(entry);
          if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
        } catch {
          // it ended meanwhile
        }
      }
      return ticks / tick;
    };
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

const openDatabase = (scratch: string) => openScratchDatabase(scratch, "import", log);

const fmt = (n: number, digits = 1) => n.toLocaleString("en-GB", { maximumFractionDigits: digits });

async function main(): Promise<number> {
  const questions = Number(flag("questions") ?? 100_000);
  const timeoutSeconds = Number(flag("timeout") ?? 900);
  if (!Number.isInteger(questions) || questions < 1) throw new Error("--questions must be a positive integer");
  const deadline = Date.now() + timeoutSeconds * 1000;
  const scratch = await mkdtemp(path.join(os.tmpdir(), "stackprep-bench-"));
  await chmod(scratch, 0o755);
  const banksDir = path.join(scratch, "banks");
  const rowsDir = path.join(scratch, "rows");
  await mkdir(banksDir);
  await mkdir(rowsDir);
  let db: { url: string; close(): Promise<void> } | undefined;
  // Hard stop, whatever hangs: the benchmark always ends by itself, and stops its database.
  const hardStop = setTimeout(
    () => {
      log(`still running ${timeoutSeconds + 60} s after the start: stopping`);
      setTimeout(() => process.exit(2), 10_000).unref();
      void Promise.resolve(db?.close())
        .catch(() => undefined)
        .then(() => rm(scratch, { recursive: true, force: true }))
        .finally(() => process.exit(2));
    },
    (timeoutSeconds + 60) * 1000,
  );
  try {
    db = await openDatabase(scratch);
    const pool = createPool(db.url, 2);
    await applyMigrations(pool, migrationsDir(ROOT));
    const { rows: version } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await pool.end();

    const loadBefore = os.loadavg()[0]!;
    let t = performance.now();
    const { banks, stats } = generateBanks(questions, { withRejects: true });
    for (const bank of banks) await writeFile(path.join(banksDir, bank.fileName), bank.text);
    banks.length = 0;
    log(
      `generated ${fmt(stats.questions, 0)} questions in ${stats.banks} files, ${fmt(mib(stats.bytes))} MiB ` +
        `(${Object.entries(stats.byType)
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ", ",
          )}; ${stats.descriptions} descriptions; ${fmt((100 * stats.withCode) / stats.questions)}% with code; ` +
        `${stats.rejected} that cannot be imported) in ` +
        `${fmt((performance.now() - t) / 1000, 2)} s`,
    );
    t = performance.now();

    const args = ["--url", db.url, "--dir", banksDir];
    const results: Result[] = [];
    const pgCpu = await serverCpu(db.url);
    const measured = async (run: Promise<Result>) => {
      const before = pgCpu?.();
      const result = await run;
      if (pgCpu && before !== undefined) result.pgCpuSeconds = pgCpu() - before;
      return result;
    };
    log("import ...");
    results.push(await measured(runStep("import", args, deadline)));
    log("re-import (no change) ...");
    results.push(await measured(runStep("reimport", args, deadline)));
    await exportRows(db.url, rowsDir);
    log("baseline: COPY ...");
    results.push(await measured(runStep("copy", ["--url", db.url, "--dir", rowsDir], deadline)));
    log("baseline: INSERT ... SELECT FROM unnest ...");
    results.push(await measured(runStep("unnest", ["--url", db.url, "--dir", rowsDir], deadline)));
    if (flag("breakdown")) {
      log("breakdown ...");
      results.push(await runStep("breakdown", ["--dir", banksDir], deadline));
    }

    const by = (step: Step) => results.find((r) => r.step === step)!;
    const imp = by("import");
    const copy = by("copy");
    const reimport = by("reimport");
    const importable = questions - stats.rejected;
    if (imp.questions !== importable || copy.questions !== importable)
      throw new Error(`row counts differ: import ${imp.questions}, copy ${copy.questions}, importable ${importable}`);
    for (const r of [imp, reimport])
      if (r.detail.skipped !== stats.rejected)
        throw new Error(`the ${r.step} left out ${String(r.detail.skipped)} questions, not ${stats.rejected}`);
    if (reimport.rows !== 0) throw new Error(`the re-import wrote ${reimport.rows} rows; it must write none`);

    console.log(
      `\nbench/import: ${fmt(questions, 0)} questions, ${fmt(importable, 0)} importable (${stats.banks} files, ${fmt(mib(stats.bytes))} MiB), ` +
        `Node ${process.version}, PostgreSQL ${version[0]!.v}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, ${new Date().toISOString().slice(0, 10)}`,
    );
    console.log(
      `${"step".padEnd(34)}${"seconds".padStart(9)}${"questions/s".padStart(13)}${"peak RSS MiB".padStart(14)}${"Node CPU s".padStart(12)}${"PG CPU s".padStart(10)}`,
    );
    const label: Record<Step, string> = {
      import: "import (end to end)",
      reimport: "re-import, no change",
      copy: "baseline: COPY (2 tables)",
      unnest: "baseline: INSERT ... unnest",
      breakdown: "breakdown (no database)",
    };
    for (const r of results)
      console.log(
        `${label[r.step].padEnd(34)}${fmt(r.seconds, 2).padStart(9)}${fmt(r.questions / r.seconds, 0).padStart(13)}${fmt(r.peakRssMiB, 0).padStart(14)}${fmt(r.cpuSeconds, 1).padStart(12)}${(r.pgCpuSeconds === undefined ? "" : fmt(r.pgCpuSeconds, 1)).padStart(10)}`,
      );
    const b = results.find((r) => r.step === "breakdown");
    if (b) {
      const d = b.detail as { parse: number; parsePeakMiB: number; plan: number; render: number };
      console.log(
        `breakdown: parse + validate ${fmt(d.parse, 2)} s (peak RSS ${fmt(d.parsePeakMiB, 0)} MiB by then), ` +
          `plan ${fmt(d.plan, 2)} s, render + hash (chunks of 500) ${fmt(d.render, 2)} s`,
      );
    }
    const ratio = imp.seconds / copy.seconds;
    console.log(
      `ratio: the import takes ${fmt(ratio, 1)}x the time of COPY of the same rows ` +
        `(${fmt(imp.seconds / by("unnest").seconds, 1)}x INSERT ... unnest); peak RSS ${fmt(imp.peakRssMiB / copy.peakRssMiB, 1)}x`,
    );
    if (imp.pgCpuSeconds !== undefined && copy.pgCpuSeconds !== undefined) {
      const cpu = (r: Result) => r.cpuSeconds + r.pgCpuSeconds!;
      console.log(
        `CPU (Node + PostgreSQL): import ${fmt(cpu(imp), 1)} s, COPY ${fmt(cpu(copy), 1)} s: ${fmt(cpu(imp) / cpu(copy), 1)}x ` +
          `(on a busy machine the wall-time ratio drifts towards this one)`,
      );
    }
    const ok = ratio <= TARGET_RATIO && imp.peakRssMiB < TARGET_RSS_MIB;
    const verdict =
      questions >= TARGET_QUESTIONS ? (ok ? "met" : "MISSED") : "not judged (it is for 100,000 questions)";
    console.log(
      `target (at most ${TARGET_RATIO}x COPY and under ${TARGET_RSS_MIB} MiB RSS for ${fmt(TARGET_QUESTIONS, 0)} questions): ` +
        `${verdict} (${fmt(ratio, 2)}x, ${fmt(imp.peakRssMiB, 0)} MiB)`,
    );
    if (flag("json")) console.log(JSON.stringify({ questions, stats, version: version[0]!.v, results }));
    log(
      `all steps took ${fmt((performance.now() - t) / 1000, 1)} s; load average ${fmt(loadBefore, 1)} before, ` +
        `${fmt(os.loadavg()[0]!, 1)} after (${os.cpus().length} cores: other work on the machine shows here)`,
    );
    return 0;
  } finally {
    await db?.close().catch((error: Error) => log(`stopping the database: ${error.message}`));
    await rm(scratch, { recursive: true, force: true });
    clearTimeout(hardStop);
    // The embedded data folder may have moved to the system temp folder (root, private parents).
    const left = (await readdir(scratch).catch(() => [])).length;
    if (left) log(`could not remove ${scratch}`);
  }
}

if (flag("step")) {
  child().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`[bench] step failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
} else {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`[bench] ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
