// Reading bank files from disk for the command line and the first start.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

const BANK_FILE = /\.(ya?ml|gift|aiken|txt|xml|qti|csv|tsv)$/i;
/** Exam definitions live beside the banks but are not banks. */
export const EXAMS_FILE = "exams.yaml";

/** Expands files and folders (one level of nesting per folder, sorted) into bank files. */
export async function listBankFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new Error(`${p}: no such file or folder`);
    if (info.isDirectory()) {
      const entries = (await readdir(p, { recursive: true })).sort();
      for (const entry of entries) {
        const full = path.join(p, entry);
        if (BANK_FILE.test(entry) && path.basename(entry) !== EXAMS_FILE && (await stat(full)).isFile())
          files.push(full);
      }
    } else files.push(p);
  }
  return files;
}

/**
 * Reads files, refusing oversized ones before reading them whole. Their bytes are decoded by
 * the import (decode.ts), which refuses what is not UTF-8 or UTF-16 text.
 */
export async function readSources(
  files: string[],
  maxBytes: number,
): Promise<{ name: string; bytes: number; text: Uint8Array }[]> {
  return Promise.all(
    files.map(async (name) => {
      const bytes = (await stat(name)).size;
      return { name, bytes, text: bytes > maxBytes ? new Uint8Array(0) : await readFile(name) };
    }),
  );
}
