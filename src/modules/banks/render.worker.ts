// Worker thread of the render pool (render.pool.ts): renders question versions for an import.
// Each message is one version statement to make; the answer is its SQL (versionStatementSql),
// ASCII, as bytes handed over without a copy; or the error.
import { parentPort } from "node:worker_threads";
import { versionStatementSql, type VersionStatement } from "./normalise";

type Request = { id: number; statement: VersionStatement };

parentPort!.on("message", ({ id, statement }: Request) => {
  try {
    const sql = Buffer.from(versionStatementSql(statement), "latin1");
    // Buffer.from may hand out a slice of a shared pool; only a whole buffer of its own can move.
    const bytes = sql.byteLength === sql.buffer.byteLength ? sql : Uint8Array.prototype.slice.call(sql);
    parentPort!.postMessage({ id, sql: bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});
