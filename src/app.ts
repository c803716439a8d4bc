// createApp(deps): the whole Express app without listen(), so tests drive it directly.
import path from "node:path";
import express, { type Express } from "express";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Database } from "./db";
import { errorHandler, notFoundHandler } from "./web/errors";
import { securityHeaders } from "./web/headers";
import { healthRoutes } from "./web/health";
import { httpLogger, type Logger } from "./web/logger";
import { staticFiles } from "./web/static";
import { homeRoutes } from "./web/home.routes";

export type AppDeps = {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
};

export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy ? 1 : false);
  app.set("views", path.join(config.rootDir, "views"));
  app.set("view engine", "ejs");
  if (config.env === "production") app.enable("view cache");

  app.use(httpLogger(deps.logger));
  app.use(securityHeaders({ https: config.secureCookies }));
  app.use(staticFiles(config.rootDir));
  app.use(healthRoutes(() => deps.db.ping()));
  app.use(express.urlencoded({ extended: false, limit: "256kb" }));
  app.use(express.json({ limit: "256kb" }));

  app.use(homeRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
