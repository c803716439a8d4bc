// The real app on the worker's real database, as integration and e2e tests use it.
import type { Express } from "express";
import { createApp } from "../../src/app";
import type { Clock } from "../../src/clock";
import { loadConfig, type Config } from "../../src/config";
import { connectDatabase, type Database, type Db } from "../../src/db";
import type { ContentState } from "../../src/web/content-state";
import { createLogger } from "../../src/web/logger";
import { workerDatabaseUrl } from "./database";

export class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export type TestApp = {
  app: Express;
  prisma: Db;
  db: Database;
  config: Config;
  clock: Clock;
  sweepOverdue(): Promise<number>;
  /** Whether the shipped banks are loading, as main.ts marks it after a first start. */
  content: ContentState;
  close(): Promise<void>;
};

export async function createTestApp(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    poolMax?: number;
    /** Reach the worker's database another way (through a pooler), instead of directly. */
    route?: (url: string) => Promise<string> | string;
  } = {},
): Promise<TestApp> {
  const direct = await workerDatabaseUrl();
  const url = options.route ? await options.route(direct) : direct;
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: url,
    LOG_LEVEL: "silent",
    SESSION_SECRET: "t".repeat(48),
    ...options.env,
  });
  const db = connectDatabase(url, {
    max: options.poolMax ?? 5,
    preparedStatements: config.database.preparedStatements,
  });
  const prisma = db.prisma;
  const clock = options.clock ?? { now: () => new Date() };
  const web = createApp({ config, db, logger: createLogger(config), clock });
  return {
    app: web.app,
    prisma,
    db,
    config,
    clock,
    sweepOverdue: () => web.sweepOverdue(),
    content: web.content,
    close: async () => {
      await web.close();
      await db.close();
    },
  };
}
