// Shared plumbing for command-line entry points: config, database, clean exit codes.
import { loadConfig, type Config } from "../config";
import { openDatabase, type Database } from "../db";
import { DomainError } from "../errors";

export type CliContext = { config: Config; db: Database };

export class UsageError extends Error {}

/** Runs a command with the database open; prints errors as one line; sets the exit code. */
export function runCli(usage: string, command: (ctx: CliContext) => Promise<number | void>): void {
  (async () => {
    const config = loadConfig();
    const db = await openDatabase(config, (message) => console.error(message), { share: true });
    try {
      return (await command({ config, db })) ?? 0;
    } finally {
      await db.close();
    }
  })().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`${error.message}\n\n${usage}`);
      else if (error instanceof DomainError || error instanceof Error) console.error(`error: ${error.message}`);
      else console.error("error:", error);
      process.exit(error instanceof UsageError ? 64 : 1);
    },
  );
}

/** `--name value` pairs and bare words from argv. */
export function parseArgs(argv: string[]): { words: string[]; flags: Map<string, string | true> } {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith("--")) {
      flags.set(name, next);
      i += 1;
    } else flags.set(name, true);
  }
  return { words, flags };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
