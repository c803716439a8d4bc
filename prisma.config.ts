import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI wants to download a native schema engine even for `generate`, which does
// not use it, and the download host is unreachable offline. Point it at a stub that fails
// loudly: generate/validate/format work, and `prisma migrate *` explains what to run
// instead (an empty dummy would make `migrate` exit 0 having done nothing).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
