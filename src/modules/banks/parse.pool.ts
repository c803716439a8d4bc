// Parsing a large import's files in worker threads (the command line, the first-start loader;
// uploads have parse.isolated.ts, with its caps).
//
// Parsing a file makes several times its size in short-lived objects (YAML events, the values
// built from them, the schema's copy). In this thread they landed in the old generation and
// stayed there until a full collection came, late: after 100 MB of files the heap held about
// 770 MB, 400 MB of it garbage, while the import's writes and render workers started on top
// (bench/import peaked at 1.1 to 1.3 GiB). In workers, that garbage dies with them, the files
// are parsed side by side, and this thread receives only what they make: each file's questions
// and cards a chunk at a time, as soon as it is parsed. The checks across files (NUL
// characters, ids used twice) then run here, on the files in their order, as parseSources
// runs them, so the outcome is the same, errors in the same order.
import os from "node:os";
import { Worker } from "node:worker_threads";
import { checkSources, parseSources, type ParseOutcome, type SourceParser } from "./import.parse";
import type { ParsedBank } from "./model";
import type { PoolReply, PoolRequest } from "./parse.pool.worker";
import { workerSource } from "./worker-source";

/** Total bytes from which an import's files are parsed in workers (smaller ones parse here, without starting any). */
export const PARSE_POOL_MIN_BYTES = 8 * 1024 * 1024;

const sizeOf = (text: string | Uint8Array) => (typeof text === "string" ? text.length : text.byteLength);

/**
 * A SourceParser that parses in up to `size` worker threads when the files add up to
 * `minBytes` or more and there are at least two of them (and two cores); in this thread otherwise.
 */
export function pooledParser(options: { size?: number; minBytes?: number } = {}): SourceParser {
  const { minBytes = PARSE_POOL_MIN_BYTES } = options;
  const size = options.size ?? Math.min(2, os.availableParallelism());
  return async (request) => {
    const total = request.sources.reduce((n, s) => n + sizeOf(s.text), 0);
    if (total < minBytes || request.sources.length < 2 || size < 2) return parseSources(request);
    const outcomes = await parseInWorkers(request, Math.min(size, request.sources.length));
    const outcome: ParseOutcome = { parsed: [], errors: [], warnings: [] };
    for (const o of outcomes) {
      outcome.parsed.push(...o.parsed);
      outcome.errors.push(...o.errors);
      outcome.warnings.push(...o.warnings);
    }
    checkSources(outcome, request.strict ?? true);
    return outcome;
  };
}

function parseInWorkers(request: Parameters<SourceParser>[0], size: number): Promise<ParseOutcome[]> {
  const { sources, ...rest } = request;
  const source = workerSource("parse.pool.worker");
  const outcomes = new Array<ParseOutcome>(sources.length);
  const items = new Map<string, unknown[]>();
  // Largest first, so that the last file to finish is a small one.
  const queue = sources.map((_, i) => i).sort((a, b) => sizeOf(sources[b]!.text) - sizeOf(sources[a]!.text));
  let left = sources.length;
  const workers: Worker[] = [];
  return new Promise<ParseOutcome[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(outcomes);
    };
    const send = (worker: Worker) => {
      const index = queue.shift();
      if (index === undefined) return;
      try {
        worker.postMessage({ index, source: sources[index]! } satisfies PoolRequest);
      } catch (error) {
        finish(error as Error); // a source that cannot be cloned
      }
    };
    for (let k = 0; k < size; k += 1) {
      const worker = new Worker(source.code, { eval: source.eval, workerData: rest });
      workers.push(worker);
      worker.on("message", (reply: PoolReply) => {
        if (reply.kind === "items") {
          const key = `${reply.index}:${reply.field}`;
          const list = items.get(key) ?? [];
          for (const item of reply.items) list.push(item);
          items.set(key, list);
          return;
        }
        if (reply.kind === "failed")
          return finish(new Error(`parsing ${sources[reply.index]!.name}: ${reply.message}`));
        for (const { bank } of reply.outcome.parsed) {
          bank.questions = (items.get(`${reply.index}:questions`) ?? []) as ParsedBank["questions"];
          bank.cards = (items.get(`${reply.index}:cards`) ?? []) as ParsedBank["cards"];
        }
        items.delete(`${reply.index}:questions`);
        items.delete(`${reply.index}:cards`);
        outcomes[reply.index] = reply.outcome;
        left -= 1;
        if (left === 0) finish();
        else send(worker);
      });
      worker.once("error", (error) => finish(error));
      worker.once("exit", (code) => finish(new Error(`a parse worker stopped (exit code ${code})`)));
      send(worker);
    }
  });
}
