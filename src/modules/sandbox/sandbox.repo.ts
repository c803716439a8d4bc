// The SQL of the sandbox: roles and their privileges, exercise schemas, and learners'
// statements run under every limit (docs/security.md, "SQL exercises: the sandbox").
import type { FieldDef, Pool, PoolClient, QueryArrayConfig, QueryArrayResult } from "pg";
import type { ResultSet } from "../banks";
import type { SandboxLimits } from "./limits";

/** Owns every exercise schema; cannot log in. */
export const OWNER_ROLE = "stackprep_sql_owner";
/** Learners' statements run as this role: it can log in and holds nothing but reading exercise schemas. */
export const RUNNER_ROLE = "stackprep_sql_runner";
/** The app's helpers: the setup runner (owned by OWNER_ROLE) and the size guard. */
const ADMIN_SCHEMA = "sqlx_admin";
const GUARD_SCHEMA = "sqlx_guard";

/** Thrown when the sandbox cannot be made safe on this server; the message says what to do. */
export class SandboxUnavailable extends Error {}

/** An error of PostgreSQL, with the position (1-based offset) in the text it concerns. */
export type SqlFailure = { code: string; message: string; position?: number };

type PgError = Error & { code?: string; position?: string; internalPosition?: string; internalQuery?: string };

const failureOf = (error: unknown, position?: "internal"): SqlFailure => {
  const e = error as PgError;
  const at = position === "internal" ? e.internalPosition : e.position;
  return { code: e.code ?? "", message: e.message, ...(at ? { position: Number(at) } : {}) };
};

// Functions every role may run by default that a learner must not: ending or cancelling other
// sessions (the sandbox's own, too), advisory locks (the app's per-learner and migration locks
// live in the same database), NOTIFY, changing settings mid-statement, and reading other
// sessions' query text (another learner's query). Revoked from PUBLIC, granted back to the app's
// user. Signatures missing on a server version are skipped.
const REVOKED_FUNCTIONS = [
  "pg_terminate_backend(integer,bigint)",
  "pg_terminate_backend(integer)",
  "pg_cancel_backend(integer)",
  "pg_notify(text,text)",
  "set_config(text,text,boolean)",
  "pg_stat_get_activity(integer)",
  "pg_blocking_pids(integer)",
  "pg_advisory_unlock_all()",
  // Large objects outlive nothing here (every transaction rolls back), but they are not SQL a
  // learner needs either.
  "lo_create(oid)",
  "lo_creat(integer)",
  "lo_from_bytea(oid,bytea)",
  "lo_put(oid,bigint,bytea)",
  "lo_open(oid,integer)",
  "lo_unlink(oid)",
  ...["", "_shared"].flatMap((shared) =>
    ["pg_advisory_lock", "pg_try_advisory_lock", "pg_advisory_xact_lock", "pg_try_advisory_xact_lock"].flatMap(
      (name) => [`${name}${shared}(bigint)`, `${name}${shared}(integer,integer)`],
    ),
  ),
  ...["pg_advisory_unlock", "pg_advisory_unlock_shared"].flatMap((name) => [
    `${name}(bigint)`,
    `${name}(integer,integer)`,
  ]),
];
const REVOKED_VIEWS = ["pg_catalog.pg_stat_activity", "pg_catalog.pg_locks"];

/**
 * Settings that change how values are computed or printed, the same whatever the server's or
 * the role's defaults: a date or time exercise gives the same rows on every server.
 */
export const PINNED_SETTINGS = `SET LOCAL TimeZone = 'UTC';
     SET LOCAL DateStyle = 'ISO, MDY';
     SET LOCAL IntervalStyle = 'postgres';
     SET LOCAL extra_float_digits = 1;`;

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Runs `work` once more after a concurrent catalogue update (parallel test databases share roles). */
async function retryingConcurrent<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const e = error as PgError;
      const concurrent = e.code === "XX000" && /concurrently/.test(e.message);
      if ((!concurrent && e.code !== "23505" && e.code !== "42710") || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/**
 * The two roles (cluster-wide, shared by every database of the server): made once, idempotent,
 * safe when several processes do it at once. Needs CREATEROLE (a superuser has it).
 */
export async function provisionRoles(admin: Pool, password: string, limits: SandboxLimits): Promise<void> {
  const canCreate = await admin.query<{ ok: boolean }>(
    "SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user",
  );
  const exists = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY($1)", [
    [OWNER_ROLE, RUNNER_ROLE],
  ]);
  if (exists.rows[0]!.n < 2 && !canCreate.rows[0]?.ok)
    throw new SandboxUnavailable(
      `SQL exercises need two roles, ${OWNER_ROLE} and ${RUNNER_ROLE}: give the app's database user CREATEROLE ` +
        `(ALTER ROLE <user> CREATEROLE) or have an administrator start the app once as a superuser (docs/security.md)`,
    );
  await retryingConcurrent(() =>
    admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
        CREATE ROLE ${OWNER_ROLE} NOLOGIN;
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${RUNNER_ROLE}') THEN
        CREATE ROLE ${RUNNER_ROLE} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE NOREPLICATION
          CONNECTION LIMIT 64 PASSWORD ${quoteLiteral(password)};
        ALTER ROLE ${RUNNER_ROLE} SET statement_timeout = ${limits.statementMs};
        ALTER ROLE ${RUNNER_ROLE} SET idle_in_transaction_session_timeout = ${limits.idleMs};
        ALTER ROLE ${RUNNER_ROLE} SET work_mem = ${limits.workMemKb};
        ALTER ROLE ${RUNNER_ROLE} SET search_path = '';
      END IF;
    END $$`),
  );
  // temp_file_limit can only be set by a superuser; without one the other limits still hold.
  await admin
    .query(
      `DO $$ BEGIN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT EXISTS (
          SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
          WHERE r.rolname = '${RUNNER_ROLE}' AND s.setdatabase = 0
            AND 'temp_file_limit=${limits.tempFileKb}' = ANY (s.setconfig)) THEN
          ALTER ROLE ${RUNNER_ROLE} SET temp_file_limit = ${limits.tempFileKb};
        END IF;
      END $$`,
    )
    .catch(() => undefined);
}

/** Sets the runner's password again (a new SESSION_SECRET, or a role made by another install). */
export async function resetRunnerPassword(admin: Pool, password: string): Promise<void> {
  await retryingConcurrent(() => admin.query(`ALTER ROLE ${RUNNER_ROLE} PASSWORD ${quoteLiteral(password)}`));
}

/**
 * This database's part: the setup runner and the guard, the revoked functions, then a check
 * that the runner can reach none of the app's tables nor the revoked functions.
 */
export async function provisionDatabase(admin: Pool, limits: SandboxLimits): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('stackprep sql sandbox'))");
    const member = await client.query<{ ok: boolean }>(
      `SELECT pg_has_role(current_user, '${OWNER_ROLE}', 'USAGE') AS ok`,
    );
    if (!member.rows[0]?.ok) await client.query(`GRANT ${OWNER_ROLE} TO current_user`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ADMIN_SCHEMA}`);
    await client.query(`REVOKE ALL ON SCHEMA ${ADMIN_SCHEMA} FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA ${ADMIN_SCHEMA} TO ${OWNER_ROLE}`);
    // The setup runs as the owner role inside a SECURITY DEFINER function, where PostgreSQL
    // refuses SET ROLE, RESET ROLE and SET SESSION AUTHORIZATION: an instructor's setup cannot
    // become the app's user.
    await client.query(`CREATE OR REPLACE FUNCTION ${ADMIN_SCHEMA}.run_setup(target name, setup text)
      RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
      BEGIN
        EXECUTE format('SET LOCAL search_path = %I', target);
        EXECUTE setup;
      END $fn$`);
    await client.query(`ALTER FUNCTION ${ADMIN_SCHEMA}.run_setup(name, text) OWNER TO ${OWNER_ROLE}`);
    await client.query(`REVOKE ALL ON FUNCTION ${ADMIN_SCHEMA}.run_setup(name, text) FROM PUBLIC`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${GUARD_SCHEMA}`);
    await client.query(`REVOKE ALL ON SCHEMA ${GUARD_SCHEMA} FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA ${GUARD_SCHEMA} TO ${RUNNER_ROLE}`);
    await client.query(`CREATE OR REPLACE FUNCTION ${GUARD_SCHEMA}.fits(bytes numeric, rows bigint)
      RETURNS boolean LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $fn$
      BEGIN
        IF bytes > ${limits.maxBytes} THEN
          RAISE EXCEPTION 'stackprep: the result is larger than ${limits.maxBytes} bytes' USING ERRCODE = '54000';
        END IF;
        IF rows > ${limits.maxRows} THEN
          RAISE EXCEPTION 'stackprep: the result has more than ${limits.maxRows} rows' USING ERRCODE = '54000';
        END IF;
        RETURN true;
      END $fn$`);
    await client.query(`REVOKE ALL ON FUNCTION ${GUARD_SCHEMA}.fits(numeric, bigint) FROM PUBLIC`);
    await client.query(`GRANT EXECUTE ON FUNCTION ${GUARD_SCHEMA}.fits(numeric, bigint) TO ${RUNNER_ROLE}`);
    for (const signature of REVOKED_FUNCTIONS) {
      const found = await client.query<{ oid: string | null }>("SELECT to_regprocedure($1)::text AS oid", [
        `pg_catalog.${signature}`,
      ]);
      if (!found.rows[0]?.oid) continue;
      await client.query(`REVOKE EXECUTE ON FUNCTION pg_catalog.${signature} FROM PUBLIC`);
      await client.query(`GRANT EXECUTE ON FUNCTION pg_catalog.${signature} TO current_user`);
    }
    for (const view of REVOKED_VIEWS) {
      await client.query(`REVOKE SELECT ON ${view} FROM PUBLIC`);
      await client.query(`GRANT SELECT ON ${view} TO current_user`);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await verifyIsolation(admin);
}

/** Refuses to run learners' SQL when the runner could reach the app's data or a revoked function. */
async function verifyIsolation(admin: Pool): Promise<void> {
  const leaks = await admin.query<{ what: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS what
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'sqlx\\_%' AND n.nspname NOT LIKE 'pg\\_%'
       AND has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
     UNION ALL
     SELECT s FROM unnest($2::text[]) AS s
     WHERE to_regprocedure('pg_catalog.' || s) IS NOT NULL
       AND has_function_privilege($1, to_regprocedure('pg_catalog.' || s), 'EXECUTE')
     LIMIT 5`,
    [RUNNER_ROLE, REVOKED_FUNCTIONS],
  );
  if (leaks.rows.length > 0)
    throw new SandboxUnavailable(
      `SQL exercises are disabled: the role ${RUNNER_ROLE} can reach ${leaks.rows.map((r) => r.what).join(", ")}. ` +
        `Revoke those privileges from PUBLIC (as a superuser; docs/security.md lists the statements)`,
    );
}

/** Whether an exercise schema already exists (schemas are never changed once made). */
export async function schemaExists(admin: Pool, schema: string): Promise<boolean> {
  const found = await admin.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  return (found.rowCount ?? 0) > 0;
}

/**
 * Makes an exercise's schema: created for the owner role, the setup run as that role, reading
 * (and, inside rolled-back transactions, writing) granted to the runner; one transaction.
 * Returns the setup's failure (its position is in the setup's text), or undefined.
 */
export async function createExerciseSchema(
  admin: Pool,
  schema: string,
  setup: string,
  limits: SandboxLimits,
): Promise<SqlFailure | undefined> {
  const client = await admin.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [schema]);
    const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
    if ((found.rowCount ?? 0) > 0) {
      await client.query("ROLLBACK");
      return undefined;
    }
    await client.query(`${PINNED_SETTINGS} SET LOCAL statement_timeout = ${limits.setupMs}`);
    await client.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${OWNER_ROLE}`);
    try {
      await client.query(`SELECT ${ADMIN_SCHEMA}.run_setup($1, $2)`, [schema, setup]);
    } catch (error) {
      await client.query("ROLLBACK");
      return failureOf(error, "internal");
    }
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${RUNNER_ROLE}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${RUNNER_ROLE}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${RUNNER_ROLE}`);
    await client.query("COMMIT");
    return undefined;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// Type names of the OIDs exercises use; others show as their number.
const TYPE_NAMES: Record<number, string> = {
  16: "boolean",
  17: "bytea",
  18: "char",
  19: "name",
  20: "bigint",
  21: "smallint",
  23: "integer",
  25: "text",
  26: "oid",
  114: "json",
  700: "real",
  701: "double precision",
  790: "money",
  1042: "character",
  1043: "character varying",
  1082: "date",
  1083: "time",
  1114: "timestamp",
  1184: "timestamptz",
  1186: "interval",
  1266: "timetz",
  1700: "numeric",
  2950: "uuid",
  3802: "jsonb",
  1007: "integer[]",
  1009: "text[]",
  1016: "bigint[]",
};
export const typeName = (oid: number) => TYPE_NAMES[oid] ?? `oid ${oid}`;

/** Every value as PostgreSQL's text output: nothing is converted on the way. */
const asText = { getTypeParser: () => (value: string) => value };

/** The text before and after a learner's statement; the newlines keep a `--` comment inside. */
function wrapped(kind: "read" | "write", statement: string, limits: SandboxLimits): { text: string; offset: number } {
  const guard = `SELECT (sqlx_w.sqlx_row).* FROM (
    SELECT sqlx_row, sum(octet_length(sqlx_row::text)) OVER (ROWS UNBOUNDED PRECEDING) AS sqlx_bytes,
           row_number() OVER (ROWS UNBOUNDED PRECEDING) AS sqlx_n`;
  const tail = `) AS sqlx_w WHERE ${GUARD_SCHEMA}.fits(sqlx_w.sqlx_bytes, sqlx_w.sqlx_n) LIMIT ${limits.maxRows + 1}`;
  if (kind === "read") {
    const before = `${guard} FROM (\n`;
    return { text: `${before}${statement}\n) AS sqlx_row\n${tail}`, offset: before.length };
  }
  const before = "WITH sqlx_row AS (\n";
  return { text: `${before}${statement}\n) ${guard} FROM sqlx_row\n${tail}`, offset: before.length };
}

/** The form of a write statement without RETURNING: it runs, and nothing is selected. */
function wrappedQuiet(statement: string): { text: string; offset: number } {
  const before = "WITH sqlx_row AS (\n";
  return { text: `${before}${statement}\n) SELECT WHERE false`, offset: before.length };
}

/**
 * A statement whose WITH changes data (`WITH d AS (UPDATE ... RETURNING ...) SELECT ...`) must
 * stay at the top level, so it cannot go inside the wrappers above. Its rows go into a
 * temporary table (dropped with the transaction, which always rolls back) and are read back
 * through the guard like any result.
 */
function wrappedIntoTemp(statement: string): { text: string; offset: number } {
  const before = `CREATE TEMPORARY TABLE ${TEMP_RESULT} ON COMMIT DROP AS\n`;
  return { text: `${before}${statement}\n`, offset: before.length };
}
const TEMP_RESULT = "sqlx_result";

/** The plan of a statement, to learn whether it returns rows (EXPLAIN runs nothing). */
function explained(statement: string): { text: string; offset: number } {
  const before = "EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON)\n";
  return { text: `${before}${statement}\n`, offset: before.length };
}

/** PostgreSQL's refusal of a data-changing WITH inside another query. */
export const isNestedModifyingWith = (failure: SqlFailure) =>
  failure.code === "0A000" && /data-modifying statement must be at the top level/.test(failure.message);

const toResultSet = (result: QueryArrayResult): ResultSet => ({
  columns: result.fields.map((f: FieldDef) => ({ name: f.name, type: typeName(f.dataTypeID) })),
  rows: result.rows.map((row) => row.map((v) => (v === null ? null : String(v)))),
});

export type RunFailure = SqlFailure & { where: "statement" | "check" };
export type RunOutput = { ok: true; result: ResultSet | null; check?: ResultSet } | { ok: false; failure: RunFailure };

async function runWrapped(
  client: PoolClient,
  form: { text: string; offset: number },
): Promise<{ ok: true; result: ResultSet } | { ok: false; failure: SqlFailure }> {
  try {
    // The extended protocol: PostgreSQL refuses a text holding more than one command.
    // (`queryMode` is pg's, missing from its type declarations.)
    const config = { text: form.text, rowMode: "array", types: asText, queryMode: "extended" } as QueryArrayConfig;
    const result = await client.query(config);
    return { ok: true, result: toResultSet(result) };
  } catch (error) {
    const failure = failureOf(error);
    if (failure.position !== undefined) failure.position -= form.offset;
    return { ok: false, failure };
  }
}

/**
 * A write exercise's statement with a data-changing WITH, at the top level. Ending in a query,
 * its rows are kept in a temporary table and read through the guard; ending in INSERT, UPDATE
 * or DELETE without RETURNING, it runs as it is (it returns nothing). Ending in one with
 * RETURNING is refused: those rows could only come back unguarded.
 */
async function runModifyingWith(
  client: PoolClient,
  statement: string,
  limits: SandboxLimits,
): Promise<{ ok: true; result: ResultSet | null } | { ok: false; failure: SqlFailure }> {
  await client.query("SAVEPOINT sqlx_top");
  const into = await runWrapped(client, wrappedIntoTemp(statement));
  if (into.ok) return runWrapped(client, wrapped("read", `TABLE pg_temp.${TEMP_RESULT}`, limits));
  if (into.failure.code !== "42601") return into;
  // Not a query: its last part is INSERT, UPDATE or DELETE. Does it return rows?
  await client.query("ROLLBACK TO SAVEPOINT sqlx_top");
  const plan = await runWrapped(client, explained(statement));
  if (!plan.ok) return plan;
  const top = (JSON.parse(plan.result.rows[0]?.[0] ?? "[]") as { Plan?: { Output?: unknown[] } }[])[0]?.Plan;
  if (top?.Output?.length)
    return {
      ok: false,
      failure: {
        code: "0A000",
        message:
          "stackprep: a WITH that changes data returns rows only through a final SELECT: " +
          "write WITH d AS (INSERT/UPDATE/DELETE ... RETURNING ...) SELECT ... FROM d",
      },
    };
  const quiet = await runWrapped(client, { text: statement, offset: 0 });
  return quiet.ok ? { ok: true, result: null } : quiet;
}

/**
 * One learner statement in a transaction that always rolls back, with every limit set locally
 * and the exercise's schema alone on the search_path; for `write`, then the check query. The
 * client must come from the sandbox pool (logged in as RUNNER_ROLE).
 */
export async function runInSandbox(
  client: PoolClient,
  options: { schema: string; kind: "read" | "write"; statement: string; check?: string; limits: SandboxLimits },
): Promise<RunOutput> {
  const { schema, kind, statement, limits } = options;
  if (!/^sqlx_[0-9a-f]{8,64}$/.test(schema)) throw new Error(`not an exercise schema: ${schema}`);
  await client.query(
    `BEGIN ISOLATION LEVEL READ COMMITTED ${kind === "read" ? "READ ONLY" : "READ WRITE"};
     ${PINNED_SETTINGS}
     SET LOCAL statement_timeout = ${limits.statementMs};
     SET LOCAL lock_timeout = ${limits.lockMs};
     SET LOCAL idle_in_transaction_session_timeout = ${limits.idleMs};
     SET LOCAL work_mem = ${limits.workMemKb};
     SET LOCAL max_parallel_workers_per_gather = 0;
     SET LOCAL jit = off;
     SET LOCAL search_path = ${schema}`,
  );
  try {
    let output: RunOutput;
    if (kind === "read") {
      const run = await runWrapped(client, wrapped("read", statement, limits));
      output = run.ok
        ? { ok: true, result: run.result }
        : { ok: false, failure: { ...run.failure, where: "statement" } };
    } else {
      await client.query("SAVEPOINT sqlx_statement");
      let run = await runWrapped(client, wrapped("write", statement, limits));
      let result: ResultSet | null = run.ok ? run.result : null;
      if (!run.ok && run.failure.code === "0A000" && /RETURNING/.test(run.failure.message)) {
        await client.query("ROLLBACK TO SAVEPOINT sqlx_statement");
        run = await runWrapped(client, wrappedQuiet(statement));
        result = null;
      }
      if (!run.ok && isNestedModifyingWith(run.failure)) {
        await client.query("ROLLBACK TO SAVEPOINT sqlx_statement");
        const top = await runModifyingWith(client, statement, limits);
        run = top.ok ? { ok: true, result: top.result ?? { columns: [], rows: [] } } : top;
        result = top.ok ? top.result : null;
      }
      if (!run.ok) output = { ok: false, failure: { ...run.failure, where: "statement" } };
      else if (options.check === undefined) output = { ok: true, result };
      else {
        const checked = await runWrapped(client, wrapped("read", options.check, limits));
        output = checked.ok
          ? { ok: true, result, check: checked.result }
          : { ok: false, failure: { ...checked.failure, where: "check" } };
      }
    }
    return output;
  } finally {
    await client.query("ROLLBACK");
  }
}
