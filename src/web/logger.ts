import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import { pinoHttp } from "pino-http";
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

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    // Trust an upstream proxy's id only when it looks like one; otherwise make our own.
    genReqId: (req, res) => {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader("x-request-id", id);
      return id;
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    autoLogging: { ignore: (req) => req.url === "/healthz" || (req.url ?? "").startsWith("/static/") },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
