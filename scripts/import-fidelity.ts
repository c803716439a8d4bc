// `npx tsx scripts/import-fidelity.ts [--verbose] [--json]`: imports every file of the corpus
// tests/fixtures/real-world as an upload's preview does (a lenient dry run: nothing is written)
// and reports, per file and in total, how many gradable questions Moodle imports from it, how
// many Stackprep imports, and how many of those are intact (stem, key, weights, feedback; see
// scripts/fidelity/measure.ts). Needs the database (DATABASE_URL), as `npm run import` does.
// Exit 1 below 95%.
import { systemClock } from "../src/clock";
import { runCli } from "../src/cli/run";
import { measureFidelity } from "./fidelity/measure";

const TARGET = 95;

runCli("usage: npx tsx scripts/import-fidelity.ts [--verbose] [--json]", async ({ db }) => {
  const flags = new Set(process.argv.slice(2));
  const fidelity = await measureFidelity({ prisma: db.prisma, clock: systemClock });
  if (flags.has("--json")) {
    console.log(JSON.stringify(fidelity, null, 2));
    return fidelity.percent >= TARGET ? 0 : 1;
  }
  const width = Math.max(...fidelity.files.map((f) => f.file.length));
  console.log(`${"file".padEnd(width)}  moodle  imported  correct`);
  for (const f of fidelity.files) {
    console.log(
      `${f.file.padEnd(width)}  ${String(f.moodle).padStart(6)}  ${String(f.imported).padStart(8)}  ${String(f.correct).padStart(7)}`,
    );
    if (flags.has("--verbose") || f.correct < f.moodle || f.problems.length > 0)
      for (const problem of f.problems) console.log(`    ${problem}`);
  }
  console.log(
    `${fidelity.files.length} files: Moodle imports ${fidelity.moodle} gradable questions; Stackprep imports ${fidelity.imported}, ${fidelity.correct} of them intact: ${fidelity.percent.toFixed(1)}%`,
  );
  return fidelity.percent >= TARGET ? 0 : 1;
});
