// npm run export -- --bank SLUG [--format yaml] [--out FILE]
import { writeFile } from "node:fs/promises";
import { exportGift, exportNativeYaml, exportQti, exportService } from "../modules/banks";
import { parseArgs, runCli, UsageError } from "./run";

const USAGE = "usage: npm run export -- --bank SLUG [--format yaml|gift|qti] [--out FILE]";

runCli(USAGE, async ({ db }) => {
  const { flags } = parseArgs(process.argv.slice(2));
  const slug = flags.get("bank");
  const format = flags.get("format") ?? "yaml";
  if (typeof slug !== "string") throw new UsageError("--bank SLUG is required");
  if (format !== "yaml" && format !== "gift" && format !== "qti")
    throw new UsageError("--format must be yaml, gift or qti");
  const bank = await exportService({ prisma: db.prisma }).loadBank({ slug });
  const text = format === "qti" ? exportQti(bank) : format === "gift" ? exportGift(bank) : exportNativeYaml(bank);
  const out = flags.get("out");
  if (typeof out === "string") {
    await writeFile(out, text);
    console.error(`wrote ${out}`);
  } else process.stdout.write(text);
});
