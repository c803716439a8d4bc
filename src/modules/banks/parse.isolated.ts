// Parsing instructors' files in a worker thread, with a time and a memory cap.
//
// The parsers are fast on ordinary files, but a file can be made to cost far more than its
// size: one 10 MB GIFT line held the server's only thread for 8.7 s and took 928 MB, and
// every request of the instance waited. In a worker, the web process's thread stays free,
// the worker's heap is capped (resourceLimits), and a file that runs out of time or memory
// is refused with a message instead of taking the process with it.
import { Worker } from "node:worker_threads";
import { concurrencyLimit } from "../../concurrency";
import type { ParseIssue } from "./model";
import type { ParseOutcome, ParseRequest, SourceParser } from "./import.parse";
import type { WorkerReply } from "./parse.worker";
import { workerSource } from "./worker-source";

export type ParseLimits = {
  /** Wall time for one import's files, worker start included. */
  timeoutMs: number;
  /** The worker's old-generation heap; its young generation and stack come on top (about 20 MiB). */
  maxHeapMb: number;
  /** Workers at once; more uploads wait their turn. */
  concurrency: number;
};

export const DEFAULT_PARSE_LIMITS: ParseLimits = { timeoutMs: 20_000, maxHeapMb: 128, concurrency: 1 };

function refusal(request: ParseRequest, message: string): ParseOutcome {
  const file = request.sources.map((s) => s.name).join(", ") || "(upload)";
  const issue: ParseIssue = { file, line: 1, column: 1, message };
  return { parsed: [], errors: [issue], warnings: [] };
}

function parseInWorker(request: ParseRequest, limits: ParseLimits): Promise<ParseOutcome> {
  const source = workerSource("parse.worker");
  return new Promise((resolve) => {
    const worker = new Worker(source.code, {
      eval: source.eval,
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    let settled = false;
    const finish = (outcome: ParseOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish(
          refusal(
            request,
            `reading the file took longer than ${limits.timeoutMs / 1000} s, the most an upload may take; split it into smaller files or shorten its longest lines`,
          ),
        ),
      limits.timeoutMs,
    );
    // Questions and cards arrive in chunks, each asked for once the one before is read.
    const received = new Map<string, unknown[]>();
    worker.on("message", (reply: WorkerReply) => {
      if (reply.kind === "outcome") {
        reply.outcome.parsed.forEach(({ bank }, index) => {
          bank.questions = (received.get(`${index}:questions`) ?? []) as typeof bank.questions;
          bank.cards = (received.get(`${index}:cards`) ?? []) as typeof bank.cards;
        });
        return finish(reply.outcome);
      }
      const key = `${reply.index}:${reply.field}`;
      const list = received.get(key) ?? [];
      for (const item of reply.items) list.push(item);
      received.set(key, list);
      setImmediate(() => worker.postMessage("more"));
    });
    worker.once("error", (error: Error & { code?: string }) =>
      finish(
        refusal(
          request,
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `reading the file needed more than the ${limits.maxHeapMb} MiB an upload may use; split it into smaller files or shorten its longest lines`
            : `the file could not be read (${error.message})`,
        ),
      ),
    );
    worker.once("exit", (code) =>
      finish(refusal(request, `the file could not be read (the reader stopped, code ${code})`)),
    );
  });
}

/** A SourceParser running each import's parsing in a worker thread of its own, `concurrency` at a time. */
export function isolatedParser(limits: Partial<ParseLimits> = {}): SourceParser {
  const settings = { ...DEFAULT_PARSE_LIMITS, ...limits };
  const limited = concurrencyLimit(settings.concurrency);
  return (request) => limited(() => parseInWorker(request, settings));
}
