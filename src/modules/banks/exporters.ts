// The export formats, by name: the one table the pages, the API and the command line use.
import { exportNativeYaml } from "./export";
import { aikenExpresses, exportAiken } from "./formats/aiken-export";
import { exportCsv } from "./formats/csv-export";
import { exportGift } from "./formats/gift";
import { exportMoodleXml } from "./formats/moodle-xml-export";
import { exportQti } from "./formats/qti-export";
import type { ParsedBank, ParsedQuestion } from "./model";

export const EXPORT_FORMATS = ["yaml", "gift", "xml", "qti", "csv", "aiken"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Write = (bank: ParsedBank, leftOut: (question: ParsedQuestion) => void) => string;

/** Aiken has no comments: what it cannot hold is told to the caller only. */
const writeAiken: Write = (bank, leftOut) => {
  for (const question of bank.questions) if (!aikenExpresses(question)) leftOut(question);
  return exportAiken(bank);
};

const EXPORTERS: Record<ExportFormat, { extension: string; type: string; write: Write }> = {
  yaml: { extension: "yaml", type: "text/plain", write: exportNativeYaml },
  gift: { extension: "gift", type: "text/plain", write: exportGift },
  xml: { extension: "moodle.xml", type: "application/xml", write: exportMoodleXml },
  qti: { extension: "qti.xml", type: "application/xml", write: exportQti },
  csv: { extension: "csv", type: "text/csv", write: exportCsv },
  aiken: { extension: "aiken.txt", type: "text/plain", write: writeAiken },
};

/** A question the format cannot express, which its file leaves out. */
export type LeftOut = { id: string; type: ParsedQuestion["type"] };

/** A bank as a file of the format: its name, media type and text, and the questions left out of it. */
export function exportBankAs(bank: ParsedBank, format: ExportFormat) {
  const exporter = EXPORTERS[format];
  const leftOut: LeftOut[] = [];
  const text = exporter.write(bank, (q) => leftOut.push({ id: q.externalId, type: q.type }));
  return { fileName: `${bank.slug}.${exporter.extension}`, type: exporter.type, text, leftOut };
}

/** One line that says what a file leaves out, or undefined when it leaves out nothing. */
export function leftOutReport(format: ExportFormat, leftOut: readonly LeftOut[]): string | undefined {
  if (leftOut.length === 0) return undefined;
  const types = [...new Set(leftOut.map((q) => q.type))].join(", ");
  return `${leftOut.length} question${leftOut.length === 1 ? "" : "s"} left out of the ${format} export, which cannot express them (${types}): ${leftOut.map((q) => q.id).join(", ")}`;
}
