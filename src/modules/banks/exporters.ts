// The export formats, by name: the one table the pages, the API and the command line use.
import { exportNativeYaml } from "./export";
import { exportAiken } from "./formats/aiken-export";
import { exportCsv } from "./formats/csv-export";
import { exportGift } from "./formats/gift";
import { exportMoodleXml } from "./formats/moodle-xml-export";
import { exportQti } from "./formats/qti-export";
import type { ParsedBank } from "./model";

export const EXPORT_FORMATS = ["yaml", "gift", "xml", "qti", "csv", "aiken"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXPORTERS: Record<ExportFormat, { extension: string; type: string; write: (bank: ParsedBank) => string }> = {
  yaml: { extension: "yaml", type: "text/plain", write: exportNativeYaml },
  gift: { extension: "gift", type: "text/plain", write: exportGift },
  xml: { extension: "moodle.xml", type: "application/xml", write: exportMoodleXml },
  qti: { extension: "qti.xml", type: "application/xml", write: exportQti },
  csv: { extension: "csv", type: "text/csv", write: exportCsv },
  aiken: { extension: "aiken.txt", type: "text/plain", write: exportAiken },
};

/** A bank as a file of the format: its name, media type and text. */
export function exportBankAs(bank: ParsedBank, format: ExportFormat) {
  const exporter = EXPORTERS[format];
  return { fileName: `${bank.slug}.${exporter.extension}`, type: exporter.type, text: exporter.write(bank) };
}
