// Format detection and dispatch: every format parses into the same ParsedBank.
import path from "node:path";
import type { ParseOptions, ParseResult } from "../model";
import { parseAiken } from "./aiken";
import { parseCsv } from "./csv";
import { parseGift } from "./gift";
import { parseMoodleXml } from "./moodle-xml";
import { parseNativeYaml } from "./native-yaml";
import { parseQti } from "./qti";

export const FORMATS = ["yaml", "gift", "aiken", "xml", "csv", "qti"] as const;
export type Format = (typeof FORMATS)[number];

type Parser = (text: string, options: ParseOptions) => ParseResult;

const parsers: Record<Format, Parser> = {
  yaml: (text, options) => parseNativeYaml(text, options),
  gift: parseGift,
  aiken: parseAiken,
  xml: parseMoodleXml,
  csv: parseCsv,
  qti: parseQti,
};

const BY_EXTENSION: Record<string, Format> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".gift": "gift",
  ".aiken": "aiken",
  ".xml": "xml",
  ".qti": "qti",
  ".csv": "csv",
  ".tsv": "csv",
};

/** QTI's item elements (3.0, 2.1) and the QTI 1.2 root, near the start of an XML file. */
const QTI_ROOT = /<(?:[\w-]+:)?(?:qti-assessment-item|assessmentItem|questestinterop|stackprep-qti)\b/;

/** The format from the extension, else from the content; undefined when neither tells. An .xml file is QTI or Moodle XML by its content. */
export function detectFormat(fileName: string, text: string): Format | undefined {
  const byExtension = BY_EXTENSION[path.extname(fileName).toLowerCase()];
  const head = text
    .replace(/^\uFEFF/, "")
    .trimStart()
    .slice(0, 2000);
  if (byExtension === "xml" || (!byExtension && head.startsWith("<")))
    if (QTI_ROOT.test(head) && !/<quiz\b/.test(head)) return "qti";
  if (byExtension) return byExtension;
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
