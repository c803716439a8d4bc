// prisma/schema.prisma and the committed migrations describe the same database: the check a
// developer runs (npm run db:check) applies every migration to a scratch database and diffs
// the result against the schema. It also proves the migration script itself still works on
// migrations with function bodies (the triggers' `$$ ... $$`).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");

test("schema.prisma matches the committed migrations", async () => {
  const { stdout } = await promisify(execFile)(
    path.join(ROOT, "node_modules/.bin/tsx"),
    ["scripts/db-migration.ts", "--check"],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: process.env.STACKPREP_TEST_ADMIN_URL }, timeout: 120_000 },
  );
  expect(stdout).toContain("schema.prisma matches the committed migrations");
}, 150_000);
