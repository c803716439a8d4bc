// Starting and stopping the whole service: config -> database -> app -> listen, and the
// reverse on shutdown. main.ts calls start(); tests of shutdown can too.
import type { Server } from "node:http";
import { createApp } from "./app";
import { systemClock } from "./clock";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db";
import { createLogger, type Logger } from "./web/logger";

const SWEEP_INTERVAL_MS = 30_000;

export type Running = { server: Server; db: Database; logger: Logger; url: string; stop(): Promise<void> };

export async function start(
  config: Config,
  hooks: { afterDatabase?: (db: Database, logger: Logger) => Promise<void> } = {},
): Promise<Running> {
  const logger = createLogger(config);
  const db = await openDatabase(config, (message) => logger.info(message));
  logger.info(db.embedded ? "database: embedded PostgreSQL" : "database: DATABASE_URL");
  try {
    await hooks.afterDatabase?.(db, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  const web = createApp({ config, db, logger, clock: systemClock });
  const server = web.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  // Overdue attempts are submitted from the answers saved so far, by whichever instance
  // gets there first (each exactly once).
  const sweep = setInterval(() => {
    web.sweepOverdue().catch((error: unknown) => logger.error({ err: error }, "deadline sweep failed"));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(sweep);
      // Stop accepting, let in-flight requests finish (idle keep-alive sockets close now).
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await web.close();
      await db.close();
    })());
  return { server, db, logger, url, stop };
}
