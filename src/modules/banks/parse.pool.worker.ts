// Worker thread of the parse pool (parse.pool.ts): parses the files it is sent, one at a time,
// and sends each back as it is done: its questions and cards a chunk at a time, then the rest.
// It asks for the next file once the last one's answer is posted.
import { parentPort, workerData } from "node:worker_threads";
import { parseSource, type ImportSource, type ParseOutcome, type ParseRequest } from "./import.parse";

export const CHUNK_ITEMS = 2_000;

export type PoolRequest = { index: number; source: ImportSource };
export type PoolReply =
  | { kind: "items"; index: number; field: "questions" | "cards"; items: unknown[] }
  | { kind: "file"; index: number; outcome: ParseOutcome }
  | { kind: "failed"; index: number; message: string };

const port = parentPort!;
const request = workerData as Omit<ParseRequest, "sources">;

port.on("message", ({ index, source }: PoolRequest) => {
  try {
    const outcome: ParseOutcome = { parsed: [], errors: [], warnings: [] };
    parseSource(source, request, outcome);
    for (const { bank } of outcome.parsed)
      for (const field of ["questions", "cards"] as const) {
        const items: unknown[] = bank[field];
        for (let i = 0; i < items.length; i += CHUNK_ITEMS)
          port.postMessage({ kind: "items", index, field, items: items.slice(i, i + CHUNK_ITEMS) } satisfies PoolReply);
        bank[field] = [];
      }
    port.postMessage({ kind: "file", index, outcome } satisfies PoolReply);
  } catch (error) {
    port.postMessage({ kind: "failed", index, message: (error as Error).message } satisfies PoolReply);
  }
});
