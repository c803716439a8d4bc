// npm run export -- --bank SLUG [--format yaml] [--out FILE]
import { writeFile } from "node:fs/promises";
import { EXPORT_FORMATS, exportBankAs, exportService, leftOutReport, type ExportFormat } from "../modules/banks";
import { parseArgs, runCli, UsageError } from "./run";

const USAGE = `usage: npm run export -- --bank SLUG [--format ${EXPORT_FORMATS.join("|")}] [--out FILE]`;

runCli(USAGE, async ({ db }) => {
  const { flags } = parseArgs(process.argv.slice(2));
  const slug = flags.get("bank");
  const format = flags.get("format") ?? "yaml";
  if (typeof slug !== "string") throw new UsageError("--bank SLUG is required");
  if (!EXPORT_FORMATS.includes(format as ExportFormat))
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
  const bank = await exportService({ prisma: db.prisma }).loadBank({ slug });
  const { text, leftOut } = exportBankAs(bank, format as ExportFormat);
  const report = leftOutReport(format as ExportFormat, leftOut);
  if (report) console.error(report);
  const out = flags.get("out");
  if (typeof out === "string") {
    await writeFile(out, text);
    console.error(`wrote ${out}`);
  } else process.stdout.write(text);
});
