// The one place that reads the environment. Everything else receives a typed Config.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const boolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BASE_URL: z.url().optional(),
  TRUST_PROXY: boolean.default(false),
  SECURE_COOKIES: boolean.optional(),
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
  LOAD_SHIPPED_BANKS: boolean.default(true),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  IMPORT_PARSE_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  IMPORT_PARSE_MAX_HEAP_MB: z.coerce.number().int().min(16).default(128),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  DATABASE_PREPARED_STATEMENTS: boolean.default(true),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  baseUrl: string;
  trustProxy: boolean;
  secureCookies: boolean;
  rootDir: string;
  embeddedPgDir: string | undefined;
  loadShippedBanks: boolean;
  importMaxBytes: number;
  /** Caps on parsing one upload in its worker thread (banks/parse.isolated.ts). */
  importParse: { timeoutMs: number; maxHeapMb: number };
  /** Connections per process, and whether statements may be prepared by name (off behind PgBouncer < 1.21). */
  database: { poolMax: number; preparedStatements: boolean };
  /** Worker processes serving HTTP (node:cluster); 1 serves from the main process. */
  webConcurrency: number;
  /** Requests per personal access token per minute on /api (all instances together). */
  apiRateLimitPerMinute: number;
  /** Outgoing mail (password-reset links); undefined: no mail, admins hand out links. */
  smtpUrl: string | undefined;
  mailFrom: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The project root: the nearest folder above this file holding package.json. */
function findRootDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new ConfigError("cannot find the project root (package.json)");
    dir = parent;
  }
  return dir;
}

/** Outside production, a generated secret kept in .data/ so sessions survive restarts. */
function developmentSecret(rootDir: string): string {
  const file = path.join(rootDir, ".data", "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new ConfigError("invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)");
  }
  const rootDir = findRootDir();
  const baseUrl = e.BASE_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? developmentSecret(rootDir),
    logLevel: e.LOG_LEVEL,
    baseUrl,
    trustProxy: e.TRUST_PROXY,
    secureCookies: e.SECURE_COOKIES ?? baseUrl.startsWith("https://"),
    rootDir,
    embeddedPgDir: e.EMBEDDED_PG_DIR,
    loadShippedBanks: e.LOAD_SHIPPED_BANKS,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    importParse: { timeoutMs: e.IMPORT_PARSE_TIMEOUT_MS, maxHeapMb: e.IMPORT_PARSE_MAX_HEAP_MB },
    database: { poolMax: e.DATABASE_POOL_MAX, preparedStatements: e.DATABASE_PREPARED_STATEMENTS },
    webConcurrency: e.WEB_CONCURRENCY,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Stackprep <no-reply@${new URL(baseUrl).hostname}>`,
  };
}
