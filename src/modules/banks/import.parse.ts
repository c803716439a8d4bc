// The first step of an import: every source file checked for size, its format detected and
// parsed (pure). The web process runs it in a worker thread (parse.isolated.ts); the command
// line runs it here.
import path from "node:path";
import { detectFormat, parseBankText, type Format } from "./formats";
import { crossFileChecks, textChecks } from "./import.checks";
import type { ParsedBank, ParseIssue, RejectedQuestion } from "./model";
import { scopeToBank } from "./import.scope";
import { decodeBankBytes } from "./decode";

/**
 * A file to import. An upload comes as its bytes: they are decoded in the worker that parses
 * them, and cloned to it far faster than a string of the same size.
 */
export type ImportSource = { name: string; text: string | Uint8Array; bytes?: number };
/**
 * A parsed file, by name only: its text stays where it was read. `rejected`: its questions
 * that cannot be imported (lenient imports only; a strict import has errors instead).
 */
export type ParsedSource = { source: { name: string }; format: Format; bank: ParsedBank; rejected: RejectedQuestion[] };

/** A source's text; bytes are decoded by decodeBankBytes (call it only on bytes that passed it). */
export const sourceText = (text: string | Uint8Array) => {
  if (typeof text === "string") return text;
  const decoded = decodeBankBytes(text);
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.text;
};
export type ParseOutcome = { parsed: ParsedSource[]; errors: ParseIssue[]; warnings: ParseIssue[] };
/**
 * `strict`: any error refuses the whole import (the shipped banks, `--strict`); otherwise
 * a question with errors is left out and the rest of its file imports.
 */
export type ParseRequest = { sources: ImportSource[]; format: Format | "auto"; maxBytes: number; strict?: boolean };
/** How an import parses its sources: parseSources here, or in a worker thread. */
export type SourceParser = (request: ParseRequest) => Promise<ParseOutcome>;

const humanise = (slug: string) => slug.replace(/[-_]+/g, " ").replace(/^./, (c) => c.toUpperCase());
const slugOf = (name: string) =>
  path
    .basename(name)
    .replace(/\.[^.]+$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "bank";

/**
 * Parses the sources, then checks them together (checkSources). `checks: false` leaves the
 * checks out: the parse pool (parse.pool.ts) parses files in workers and checks them here.
 */
export function parseSources(request: ParseRequest, options: { checks?: boolean } = {}): ParseOutcome {
  const outcome: ParseOutcome = { parsed: [], errors: [], warnings: [] };
  for (const source of request.sources) parseSource(source, request, outcome);
  if (options.checks ?? true) checkSources(outcome, request.strict ?? true);
  return outcome;
}

/** The checks across the parsed files (NUL characters, ids used twice), in place. */
export function checkSources(outcome: ParseOutcome, strict: boolean): void {
  textChecks(outcome.parsed, outcome.errors, strict);
  crossFileChecks(outcome.parsed, outcome.errors, strict);
}

/** Parses one source into `outcome` (its file, or its errors and warnings). */
export function parseSource(source: ImportSource, request: Omit<ParseRequest, "sources">, outcome: ParseOutcome): void {
  const { format, maxBytes } = request;
  const strict = request.strict ?? true;
  const bytes =
    source.bytes ?? (typeof source.text === "string" ? Buffer.byteLength(source.text) : source.text.byteLength);
  if (bytes > maxBytes) {
    outcome.errors.push({
      file: source.name,
      line: 1,
      column: 1,
      message: `the file is ${bytes} bytes; the limit is ${maxBytes} (IMPORT_MAX_BYTES)`,
    });
    return;
  }
  const decoded =
    typeof source.text === "string" ? { ok: true as const, text: source.text } : decodeBankBytes(source.text);
  if (!decoded.ok) {
    const { line, column, message } = decoded;
    outcome.errors.push({ file: source.name, line, column, message });
    return;
  }
  const text = decoded.text;
  const detected = format === "auto" ? detectFormat(source.name, text) : format;
  if (!detected) {
    outcome.errors.push({
      file: source.name,
      line: 1,
      column: 1,
      message: "cannot tell the format from the name or content; pass --format yaml|gift|aiken|xml|csv",
    });
    return;
  }
  const slug = slugOf(source.name);
  const result = parseBankText(text, detected, {
    file: source.name,
    slug,
    title: humanise(slug),
    defaultTopic: slug,
  });
  const usable = result.ok ? { ...result, rejected: [] } : strict ? undefined : result.partial;
  if (!usable || (usable.bank.questions.length === 0 && usable.bank.cards.length === 0)) {
    if (!result.ok) outcome.errors.push(...result.errors);
    else outcome.parsed.push({ source: { name: source.name }, format: detected, bank: result.bank, rejected: [] });
    return;
  }
  outcome.warnings.push(...usable.warnings);
  const parsed = { source: { name: source.name }, format: detected, bank: usable.bank, rejected: usable.rejected };
  outcome.parsed.push(detected === "yaml" ? parsed : scopeToBank(parsed));
}

export const inThreadParser: SourceParser = (request) => Promise.resolve(parseSources(request));
