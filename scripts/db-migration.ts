// Creates a migration from the difference between prisma/schema.prisma and the committed
// migrations, like `prisma migrate dev --create-only`, through Prisma's WASM schema engine
// (the CLI's native engine cannot be downloaded offline).
//   npm run db:migration -- <name>     write prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:migration -- --check    exit 1 if schema.prisma and the migrations differ
// Uses DATABASE_URL (it needs rights to create a scratch "shadow" database) or, without
// it, a throwaway embedded PostgreSQL.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { startEmbeddedDatabase } from "../src/db/embedded";

const ROOT = path.resolve(__dirname, "..");
const SCHEMA = "prisma/schema.prisma";
const MIGRATIONS = path.join(ROOT, "prisma/migrations");
const filters = { externalTables: [] as string[], externalEnums: [] as string[] };

// The engine reports panics through this global (the Prisma CLI defines it).
(globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => console.error("schema engine panic:", message),
};

async function loadEngine() {
  const dir = path.join(ROOT, "node_modules/@prisma/schema-engine-wasm");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bg = require(path.join(dir, "schema_engine_bg.js"));
  const wasm = new WebAssembly.Module(await readFile(path.join(dir, "schema_engine_bg.wasm")));
  const instance = new WebAssembly.Instance(wasm, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  return bg.SchemaEngine;
}

/**
 * @prisma/adapter-pg runs a script by cutting it at every ";" and sending the pieces one by
 * one, which cuts a function body (`$$ ... $$`, as in the pool-revision and version-check
 * triggers) apart: the shadow database then refuses the migration. Send each script whole
 * instead; PostgreSQL's simple query protocol runs its statements in order.
 */
type ScriptRunner = { executeScript(script: string): Promise<void> };
function wholeScripts<A>(adapter: A): A {
  const runner = adapter as unknown as ScriptRunner & {
    client: { query(sql: string): Promise<unknown> };
    onError(error: unknown): never;
  };
  runner.executeScript = async (script) => {
    try {
      await runner.client.query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

async function migrationList() {
  const entries = await readdir(MIGRATIONS, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const lock = await readFile(path.join(MIGRATIONS, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir: MIGRATIONS,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok", value: await readFile(path.join(MIGRATIONS, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

async function main() {
  const arg = process.argv[2];
  if (!arg) throw new Error("usage: npm run db:migration -- <name> | --check");
  const check = arg === "--check";
  const name = arg.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  let scratch: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    scratch = await mkdtemp(path.join(os.tmpdir(), "stackprep-migration-"));
    await chmod(scratch, 0o755); // as root, the server runs as `postgres` and must reach it
    const db = await startEmbeddedDatabase({
      preferredDir: path.join(scratch, "pg"),
      database: "scratch",
      log: console.error,
    });
    url = db.url;
    stopEmbedded = () => db.stop();
  }
  try {
    await mkdir(MIGRATIONS, { recursive: true });
    await writeFile(path.join(MIGRATIONS, "migration_lock.toml"), `provider = "postgresql"\n`);
    const u = new URL(url);
    // Discrete fields, not a connectionString: the engine makes the shadow database by
    // spreading this config with a new `database`, which a connectionString would override.
    const factory = new PrismaPg({
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1) || "postgres",
      idleTimeoutMillis: 200,
    });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => wholeScripts(await connect());
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    factory.connectToShadowDb = async () => wholeScripts(await connectToShadowDb());
    const SchemaEngine = await loadEngine();
    const content = await readFile(path.join(ROOT, SCHEMA), "utf8");
    const engine = await SchemaEngine.new(
      { datamodels: [[SCHEMA, content]] },
      (line: string) => (process.env.MIGRATE_DEBUG ? console.error(line) : undefined),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    const diff = await engine.diff({
      from: { tag: "migrations", ...(await migrationList()) },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA, content }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters,
    });
    const sql = (diff.stdout ?? "").trim();
    const empty = sql === "" || sql.startsWith("-- This is an empty migration");
    if (check) {
      if (empty) console.log("schema.prisma matches the committed migrations");
      else {
        console.error(`schema.prisma differs from the committed migrations:\n${sql}`);
        process.exitCode = 1;
      }
      return;
    }
    if (empty) {
      console.log("no schema changes");
      return;
    }
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
    await writeFile(path.join(MIGRATIONS, "migration_lock.toml"), `provider = "postgresql"\n`);
    console.log(`created ${path.relative(ROOT, dir)}/migration.sql`);
  } finally {
    await stopEmbedded?.();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  // The WASM engine leaves 10 s and 60 s timers armed: exit explicitly.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
