// Several worker processes on one port (node:cluster), when WEB_CONCURRENCY is above 1. The
// primary serves no HTTP: it opens the database (starting the embedded PostgreSQL when no
// DATABASE_URL is given), applies migrations and prepares the data once, forks the workers
// with the database's URL, loads the shipped banks in the background, and replaces a worker
// that dies. On SIGTERM or SIGINT it stops the workers (each drains its own requests), then
// the bank load, then the database, and exits 0.
import cluster, { type Worker } from "node:cluster";
import type { Config } from "./config";
import { openDatabase } from "./db";
import { loadShippedBanks, prepareData } from "./cli/first-start";
import { createLogger } from "./web/logger";

/** How long the primary waits for its workers to drain before it kills them. */
const WORKER_STOP_LIMIT_MS = 9_000;
/** More deaths than this within a minute means the workers cannot start: stop instead of looping. */
const MAX_RESTARTS_PER_MINUTE = 10;

export async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config);
  const stopping = new AbortController();
  const workers = new Set<Worker>();
  const deaths: number[] = [];
  let exited: () => void = () => undefined;
  const allExited = new Promise<void>((resolve) => (exited = resolve));

  const stopWorkers = async () => {
    for (const worker of workers) worker.process.kill("SIGTERM");
    const late = setTimeout(() => {
      for (const worker of workers) worker.process.kill("SIGKILL");
    }, WORKER_STOP_LIMIT_MS);
    if (workers.size > 0) await allExited;
    clearTimeout(late);
  };

  let finish: ((code: number) => void) | undefined;
  const shutdown = (signal: string) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    logger.info(`${signal} received: stopping ${workers.size} worker(s)`);
    finish?.(0);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  const db = await openDatabase(config, (message) => logger.info(message));
  logger.info(db.embedded ? "database: embedded PostgreSQL" : "database: DATABASE_URL");
  await prepareData({ config, db, logger });

  const fork = () => {
    const worker = cluster.fork({ DATABASE_URL: db.url, WEB_CONCURRENCY: String(config.webConcurrency) });
    workers.add(worker);
    worker.on("exit", (code, signal) => {
      workers.delete(worker);
      if (stopping.signal.aborted) {
        if (workers.size === 0) exited();
        return;
      }
      const now = Date.now();
      deaths.push(now);
      while (deaths.length && deaths[0]! < now - 60_000) deaths.shift();
      if (deaths.length > MAX_RESTARTS_PER_MINUTE) {
        logger.error(`workers keep dying (${deaths.length} in a minute): stopping`);
        stopping.abort();
        if (workers.size === 0) exited();
        finish?.(1);
        return;
      }
      logger.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
  };
  let announced = false;
  cluster.on("listening", (_worker, address) => {
    if (announced) return;
    announced = true;
    const url = config.baseUrl.replace(`:${config.port}`, `:${address.port}`);
    logger.info(`Stackprep is serving ${url} with ${config.webConcurrency} workers`);
  });
  if (!stopping.signal.aborted) for (let i = 0; i < config.webConcurrency; i++) fork();

  const loading = stopping.signal.aborted
    ? Promise.resolve()
    : loadShippedBanks({ config, db, logger, signal: stopping.signal }).then(
        () => undefined,
        (error: unknown) =>
          logger.error(
            { err: error },
            "loading the shipped question banks failed; import them with npm run import -- question-banks",
          ),
      );

  const code = await new Promise<number>((resolve) => {
    finish = resolve;
    if (stopping.signal.aborted) resolve(0);
  });
  const force = setTimeout(() => {
    console.error("shutdown took too long; exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  await stopWorkers();
  await loading;
  await db.close();
  logger.info("stopped");
  process.exit(code);
}

/** True in a worker forked by runPrimary: the primary prepared the data and loads the banks. */
export const isClusterWorker = () => cluster.isWorker;
export const isClusterPrimary = (config: Config) => config.webConcurrency > 1 && cluster.isPrimary;
