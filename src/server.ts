// Starting and stopping the whole service: config -> database -> app -> listen, and the
// reverse on shutdown. main.ts calls start(); tests of shutdown can too.
import type { Server } from "node:http";
import { createApp } from "./app";
import { systemClock } from "./clock";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db";
import { contentState, type ContentState } from "./web/content-state";
import { connectionDrain } from "./web/drain";
import { createLogger, type Logger } from "./web/logger";

const SWEEP_INTERVAL_MS = 30_000;
/**
 * How long a shutdown waits for requests in flight before closing their connections. With the
 * database's own stop (at most about 3 s) it stays inside main.ts's 10 s.
 */
const DRAIN_LIMIT_MS = 6_000;

/** Work that runs beside the requests; it receives a signal that is aborted on shutdown. */
export type BackgroundTask = (signal: AbortSignal) => Promise<void>;

export type Running = {
  server: Server;
  /** Whether the shipped banks are loading (main.ts marks it; pages read it). */
  content: ContentState;
  db: Database;
  logger: Logger;
  url: string;
  /** Runs `task` now; stop() aborts its signal and waits for it to settle. */
  background(task: BackgroundTask): void;
  stop(): Promise<void>;
};

/** Thrown by start() when its signal was aborted before the server was listening. */
export class StartCancelled extends Error {
  override name = "StartCancelled";
}

export async function start(
  config: Config,
  hooks: { afterDatabase?: (db: Database, logger: Logger) => Promise<void>; signal?: AbortSignal } = {},
): Promise<Running> {
  const logger = createLogger(config);
  const cancelled = () => hooks.signal?.aborted === true;
  const db = await openDatabase(config, (message) => logger.info(message));
  logger.info(db.embedded ? "database: embedded PostgreSQL" : "database: DATABASE_URL");
  try {
    if (cancelled()) throw new StartCancelled("stopped while starting");
    await hooks.afterDatabase?.(db, logger);
    if (cancelled()) throw new StartCancelled("stopped while starting");
  } catch (error) {
    await db.close();
    throw error;
  }
  const content = contentState();
  const web = createApp({ config, db, logger, clock: systemClock, content });
  const server = web.app.listen(config.port, config.host);
  const http = connectionDrain(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await web.close();
    await db.close();
    throw error;
  }

  const shutdown = new AbortController();
  const tasks = new Set<Promise<void>>();
  const background = (task: BackgroundTask) => {
    const running: Promise<void> = task(shutdown.signal)
      .catch((error: unknown) => logger.error({ err: error }, "background work failed"))
      .finally(() => tasks.delete(running));
    tasks.add(running);
  };
  // Overdue attempts are submitted from the answers saved so far, by whichever instance
  // gets there first (each exactly once). One sweep at a time; shutdown stops it between
  // two attempts (each submission is its own transaction).
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    background((signal) =>
      web
        .sweepOverdue({ signal })
        .then(() => undefined)
        .catch((error: unknown) => logger.error({ err: error }, "deadline sweep failed"))
        .finally(() => (sweeping = false)),
    );
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(sweep);
      shutdown.abort();
      // Every request already received is answered; then the connections close.
      const { cut } = await http.drain({ limitMs: DRAIN_LIMIT_MS });
      if (cut > 0) logger.warn(`closed ${cut} connection(s) still busy after ${DRAIN_LIMIT_MS / 1000} s`);
      await Promise.allSettled(tasks);
      await web.close();
      await db.close();
    })());
  return { server, db, logger, url, background, stop, content };
}
