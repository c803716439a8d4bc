// Process entry: config -> database -> app -> listen; graceful shutdown on SIGTERM/SIGINT.
// The signal handlers are installed before anything starts, so that a signal during the start
// (the embedded PostgreSQL starting, migrations) also ends in an orderly stop, exit code 0.
import { ConfigError, loadConfig } from "./config";
import { start, StartCancelled, type Running } from "./server";
import { loadShippedBanks, prepareData } from "./cli/first-start";
import { isClusterPrimary, isClusterWorker, runPrimary } from "./cluster";

const SHUTDOWN_LIMIT_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Stackprep cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // WEB_CONCURRENCY > 1: this process prepares and supervises; forked workers serve (cluster.ts).
  if (isClusterPrimary(config)) return runPrimary(config);
  const worker = isClusterWorker();
  const signalled = new AbortController();
  let running: Running | undefined;
  const stopAndExit = (service: Running) =>
    service.stop().then(
      () => {
        service.logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        service.logger.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  const shutdown = (signal: string) => {
    if (signalled.signal.aborted) return;
    signalled.abort();
    if (running) running.logger.info(`${signal} received: shutting down`);
    else console.error(`${signal} received while starting: stopping`);
    const force = setTimeout(() => {
      console.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    // While starting, start() itself stops at its next step and cleans up (below).
    if (running) void stopAndExit(running);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  try {
    running = await start(config, {
      // A cluster's primary prepared the data already.
      ...(worker ? {} : { afterDatabase: (db, logger) => prepareData({ config, db, logger }) }),
      signal: signalled.signal,
    });
  } catch (error) {
    if (signalled.signal.aborted && error instanceof StartCancelled) {
      console.error("stopped before the start finished");
      process.exit(0);
    }
    throw error;
  }
  // The signal came after start()'s last check: stop what it started.
  if (signalled.signal.aborted) return void stopAndExit(running);
  if (worker) return void running.logger.info(`worker ${process.pid} is serving ${running.url}`);
  running.logger.info(`Stackprep is serving ${running.url}`);
  const logger = running.logger;
  running.background((signal) =>
    loadShippedBanks({ config, db: running.db, logger, signal, onLoading: () => running.content.startLoading() })
      .then(
        () => undefined,
        (error: unknown) =>
          logger.error(
            { err: error },
            "loading the shipped question banks failed; import them with npm run import -- question-banks",
          ),
      )
      .finally(() => running.content.doneLoading()),
  );
}

main().catch((error: unknown) => {
  console.error("Stackprep failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
