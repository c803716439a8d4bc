import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import type { RequestHandler } from "express";
import type { Config } from "../config";

export type { Logger } from "pino";

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's id: an upstream proxy's x-request-id when it looks like one, else a new UUID. */
      id: string;
      log: Logger;
    }
  }
}

const quiet = (url: string) => url === "/healthz" || url.startsWith("/static/");

/** The URL as logged: a password-reset link's token is a secret until used, so it is left out. */
const loggedUrl = (url: string) => url.replace(/^\/password-reset\/[^/?#]+/, "/password-reset/[token]");

/**
 * One log line per request when it ends (info; warn for 4xx; error for 5xx and aborted
 * requests), with the request's id, method, URL, status and time. Its id goes back in the
 * x-request-id header. Health checks and static files are not logged. Nothing is built for
 * a line whose level is off, so the busiest requests pay for little more than the id.
 */
export function httpLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", id);
    req.id = id;
    req.log = logger;
    if (!quiet(req.url)) {
      const start = Date.now();
      res.once("close", () => {
        const aborted = !res.writableFinished;
        const status = res.statusCode;
        const level = aborted || status >= 500 ? "error" : status >= 400 ? "warn" : "info";
        if (!logger.isLevelEnabled(level)) return;
        logger[level](
          {
            req: { id, method: req.method, url: loggedUrl(req.originalUrl) },
            res: { statusCode: status },
            responseTime: Date.now() - start,
          },
          aborted ? "request aborted" : "request completed",
        );
      });
    }
    next();
  };
}
