// Process entry: config -> database -> app -> listen; graceful shutdown on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from "./config";
import { start } from "./server";
import { loadShippedBanks, prepareData } from "./cli/first-start";

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
  const running = await start(config, { afterDatabase: (db, logger) => prepareData({ config, db, logger }) });
  running.logger.info(`Stackprep is serving ${running.url}`);
  loadShippedBanks({ config, db: running.db, logger: running.logger }).catch((error: unknown) => {
    running.logger.error(
      { err: error },
      "loading the shipped question banks failed; import them with npm run import -- question-banks",
    );
  });
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    running.logger.info(`${signal} received: shutting down`);
    const force = setTimeout(() => {
      running.logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Stackprep failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
