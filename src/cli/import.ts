// npm run import -- <files or folders> [--format auto|yaml|gift|aiken|xml|csv] [--dry-run] [--strict] [--json]
// Questions with errors are left out and listed, the rest imports; --strict writes nothing
// when anything at all is wrong.
import { systemClock } from "../clock";
import { FORMATS, importService, listBankFiles, readSources, type Format, type ImportReport } from "../modules/banks";
import { parseArgs, runCli, UsageError } from "./run";
import { createSqlSandbox } from "../sql-sandbox";

const USAGE = `usage: npm run import -- <files or folders> [--format auto|${FORMATS.join("|")}] [--dry-run] [--strict] [--json]`;

export function printReport(report: ImportReport): void {
  for (const e of report.errors) console.error(e);
  for (const w of report.warnings) console.error(`warning: ${w}`);
  if (!report.ok) {
    console.error(`${report.errors.length} error(s); nothing was imported.`);
    return;
  }
  for (const s of report.skipped) {
    console.error(`skipped ${s.at} (${s.label}):`);
    for (const reason of s.reasons) console.error(`  ${reason}`);
  }
  if (report.skipped.length > 0)
    console.error(
      `${report.skipped.length} question(s) ${report.dryRun ? "would be" : "were"} left out; the others ${report.dryRun ? "would" : "did"} import (--strict imports nothing when any question is wrong).`,
    );
  const verb = report.dryRun ? "would be" : "were";
  for (const b of report.banks) {
    console.log(
      `${b.slug} (${b.format}${b.newBank ? ", new bank" : ""}): ${b.questions} questions, ${b.cards} cards; ${b.created} created, ${b.updated} updated, ${b.retired} retired, ${b.unchanged} unchanged`,
    );
  }
  console.log(
    `${report.banks.length} bank(s), ${report.topics} topic(s): ${report.created} created, ${report.updated} updated, ${report.retired} retired ${verb} written${report.dryRun ? " (dry run: nothing written)" : ""}.`,
  );
}

runCli(USAGE, async ({ config, db }) => {
  const { words, flags } = parseArgs(process.argv.slice(2));
  const format = (flags.get("format") ?? "auto") as string;
  if (format !== "auto" && !FORMATS.includes(format as Format)) throw new UsageError(`unknown format ${format}`);
  if (words.length === 0) throw new UsageError("name at least one file or folder");
  const files = await listBankFiles(words);
  if (files.length === 0) throw new UsageError("no bank files found");
  const sandbox = createSqlSandbox(db, config);
  const service = importService({
    prisma: db.prisma,
    clock: systemClock,
    maxBytes: config.importMaxBytes,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  });
  const report = await service
    .importBanks({
      sources: await readSources(files, config.importMaxBytes),
      format: format as Format | "auto",
      dryRun: flags.has("dry-run"),
      strict: flags.has("strict"),
      actor: "operator",
    })
    .finally(() => sandbox.close());
  if (flags.has("json")) {
    const { banks, ...totals } = report;
    const summaries = banks.map(({ plan: _plan, entries: _entries, ...b }) => b);
    console.log(JSON.stringify({ ...totals, skippedQuestions: report.skipped.length, banks: summaries }, null, 2));
  } else printReport(report);
  return report.ok ? 0 : 1;
});
