// Each jest worker gets its own database, cloned from the migrated template once.
import { Client } from "pg";

let ready: Promise<string> | undefined;

export function workerDatabaseUrl(): Promise<string> {
  ready ??= (async () => {
    const adminUrl = process.env.STACKPREP_TEST_ADMIN_URL;
    const prefix = process.env.STACKPREP_TEST_DB_PREFIX;
    if (!adminUrl || !prefix)
      throw new Error("the test database is not set up (run through jest's integration or e2e project)");
    const name = `${prefix}_w${process.env.JEST_WORKER_ID ?? "1"}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${prefix}_template"`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return ready;
}
