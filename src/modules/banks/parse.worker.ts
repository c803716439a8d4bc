// Worker thread of parse.isolated.ts: parses one import's files and posts the outcome.
//
// Receiving a message is a structured-clone read on the web process's thread: 19,000 parsed
// questions in one message held it for 130-160 ms. So questions and cards go first, a
// chunk at a time, each sent when the web process asks for the next ("more"), which lets
// it serve requests between chunks; then the rest of the outcome, without them.
import { parentPort, workerData } from "node:worker_threads";
import { parseSources, type ParseRequest } from "./import.parse";
import type { ParsedBank } from "./model";

export const CHUNK_ITEMS = 500;

export type WorkerReply =
  | { kind: "items"; index: number; field: "questions" | "cards"; items: unknown[] }
  | { kind: "outcome"; outcome: ReturnType<typeof parseSources> };

const outcome = parseSources(workerData as ParseRequest);
const chunks: WorkerReply[] = [];
outcome.parsed.forEach(({ bank }, index) => {
  for (const field of ["questions", "cards"] as const) {
    const items: ParsedBank[typeof field] = bank[field];
    for (let i = 0; i < items.length; i += CHUNK_ITEMS)
      chunks.push({ kind: "items", index, field, items: items.slice(i, i + CHUNK_ITEMS) });
    bank[field] = [];
  }
});
chunks.push({ kind: "outcome", outcome });

const port = parentPort!;
port.on("message", () => {
  const next = chunks.shift();
  if (next) port.postMessage(next);
});
port.postMessage(chunks.shift());
