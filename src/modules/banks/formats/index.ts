// Format detection and dispatch: every format parses into the same ParsedBank.
import path from "node:path";
import type { ParseOptions, ParseResult } from "../model";
import { parseAiken } from "./aiken";
import { parseCsv } from "./csv";
import { parseGift } from "./gift";
import { parseMoodleXml } from "./moodle-xml";
import { parseNativeYaml } from "./native-yaml";

export const FORMATS = ["yaml", "gift", "aiken", "xml", "csv"] as const;
export type Format = (typeof FORMATS)[number];

type Parser = (text: string, options: ParseOptions) => ParseResult;

const parsers: Record<Format, Parser> = {
  yaml: (text, options) => parseNativeYaml(text, options),
  gift: parseGift,
  aiken: parseAiken,
  xml: parseMoodleXml,
  csv: parseCsv,
};

const BY_EXTENSION: Record<string, Format> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".gift": "gift",
  ".aiken": "aiken",
  ".xml": "xml",
  ".csv": "csv",
  ".tsv": "csv",
};

/** The format from the extension, else from the content; undefined when neither tells. */
export function detectFormat(fileName: string, text: string): Format | undefined {
  const byExtension = BY_EXTENSION[path.extname(fileName).toLowerCase()];
  if (byExtension) return byExtension;
  const head = text
    .replace(/^\uFEFF/, "")
    .trimStart()
    .slice(0, 2000);
  if (head.startsWith("<?xml") || head.startsWith("<quiz")) return "xml";
  if (/^format:\s*stackprep-bank\//m.test(head)) return "yaml";
  if (/^ANSWER:\s*[A-Z]\s*$/m.test(head)) return "aiken";
  if (/(^|\n)\s*(::|\$CATEGORY:)|\{[=~#TF]/.test(head)) return "gift";
  if (/^[^\n]*\b(stem|question|questiontext)\b[^\n]*[,;\t]/i.test(head)) return "csv";
  return undefined;
}

export function parseBankText(text: string, format: Format, options: ParseOptions): ParseResult {
  const parser = parsers[format];
  if (!parser)
    return {
      ok: false,
      errors: [{ file: options.file, line: 1, column: 1, message: `the ${format} format is not supported` }],
    };
  try {
    return parser(text.replace(/^\uFEFF/, ""), options);
  } catch (error) {
    // Parsers report problems as issues; this is the net under an unexpected bug.
    return {
      ok: false,
      errors: [
        { file: options.file, line: 1, column: 1, message: `could not read the file: ${(error as Error).message}` },
      ],
    };
  }
}
