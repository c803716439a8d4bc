// Rendering question versions for an import: in this thread, or in worker threads.
//
// Rendering Markdown (markdown-it, highlight.js, sanitize-html) is most of an import's CPU
// time once parsing is fast, and it runs chunk by chunk while PostgreSQL writes the chunk
// before (import.repo.ts). A large import renders in a pool of worker threads instead, so
// that chunks render on the machine's other cores while this thread sends statements. Small
// imports (tests, uploads of a bank or two) render in this thread: starting workers (about
// 0.2 s) would cost more than it saves.
import os from "node:os";
import { Worker } from "node:worker_threads";
import { versionStatementSql, type VersionStatement } from "./normalise";
import { workerSource } from "./worker-source";

/**
 * The SQL of a version statement: a string when made in this thread, or its bytes (ASCII)
 * from a worker. Megabytes of it a chunk: made into a string as the worker's answer arrives,
 * it would wait for its turn, outlive a scavenge and sit in the old generation until the
 * next full collection; hundreds of them made the heap grow by a gigabyte. Bytes live
 * outside the heap, and sqlText, called just before the statement is sent, makes them a
 * string that stays outside too (Node keeps a latin1 string of over a megabyte external).
 */
export type RenderedSql = string | Uint8Array;

export const sqlText = (sql: RenderedSql) =>
  typeof sql === "string" ? sql : Buffer.from(sql.buffer, sql.byteOffset, sql.byteLength).toString("latin1");

export type VersionRenderer = {
  /** Chunks to have in preparation at once: 1 renders the next chunk while the current one is written. */
  readonly parallel: number;
  /** The statement's SQL, its rows rendered (versionStatementSql). */
  render(statement: VersionStatement): Promise<RenderedSql>;
  /** Stops the workers, if any; renders still pending fail. */
  close(): Promise<void>;
};

export const inThreadRenderer: VersionRenderer = {
  parallel: 1,
  render: (statement) => Promise.resolve(versionStatementSql(statement)),
  close: () => Promise.resolve(),
};

type Pending = { resolve(sql: Uint8Array): void; reject(error: Error): void };
type Slot = { worker: Worker; pending: Map<number, Pending> };
type Reply = { id: number; sql?: Uint8Array; error?: string };

const defaultSize = () => Math.max(2, os.availableParallelism());

/** `size` worker threads, started here; close() stops them. */
export function renderPool(size = defaultSize()): VersionRenderer {
  const source = workerSource("render.worker");
  let nextId = 0;
  let closed = false;
  const fail = (slot: Slot, error: Error) => {
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
  };
  const start = (): Slot => {
    const slot: Slot = { worker: new Worker(source.code, { eval: source.eval }), pending: new Map() };
    // An idle worker must not keep the process alive (a forgotten close() would hang it);
    // a busy one must, or the process could exit while its caller awaits the result.
    slot.worker.unref();
    slot.worker.on("message", (reply: Reply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (reply.error !== undefined) p.reject(new Error(`rendering failed in a worker: ${reply.error}`));
      else p.resolve(reply.sql!);
    });
    slot.worker.on("error", (error) => fail(slot, error));
    slot.worker.on("exit", (code) => fail(slot, new Error(`a render worker stopped (exit code ${code})`)));
    return slot;
  };
  const slots = Array.from({ length: size }, start);
  return {
    parallel: 2 * size, // one chunk rendering and one queued per worker: no worker waits for work
    render(statement) {
      if (closed) return Promise.reject(new Error("the render pool is closed"));
      // The least busy worker; chunks are of one size, so this spreads them evenly.
      const slot = slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        if (slot.pending.size === 0) slot.worker.ref();
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, statement });
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/** Questions in an import from which rendering moves to worker threads (see the top of this file). */
export const RENDER_POOL_MIN_QUESTIONS = 5_000;

/**
 * The renderer for an import of `questions` questions: this thread for a small import or a
 * one-core machine; otherwise a pool whose workers start when the first chunk is to render
 * (an unchanged re-import renders nothing). Close it when the import ends.
 */
export function rendererFor(
  questions: number,
  options: { minQuestions?: number; size?: number } = {},
): VersionRenderer {
  const { minQuestions = RENDER_POOL_MIN_QUESTIONS, size } = options;
  if (questions < minQuestions || (size === undefined && os.availableParallelism() < 2)) return inThreadRenderer;
  let pool: VersionRenderer | undefined;
  return {
    parallel: 2 * (size ?? defaultSize()),
    render: (statement) => (pool ??= renderPool(size)).render(statement),
    close: () => pool?.close() ?? Promise.resolve(),
  };
}
