// Worker thread of parse.isolated.ts: parses one import's files and posts the outcome.
import { parentPort, workerData } from "node:worker_threads";
import { parseSources, type ParseRequest } from "./import.parse";

parentPort!.postMessage(parseSources(workerData as ParseRequest));
