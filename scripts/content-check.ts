// `npm run content:check [-- bank-slug ...] [--similar 0.35]`: the content rules for some or
// all shipped banks, with near-duplicates that involve them. Exit 1 when anything is found.
import { bankFindings, duplicateFindings, loadBanks, TARGETS } from "./content/rules";

const args = process.argv.slice(2);
const similarAt = args.indexOf("--similar");
const threshold = similarAt >= 0 ? Number(args[similarAt + 1]) : TARGETS.duplicateSimilarity;
const slugs = args.filter((a, i) => !a.startsWith("--") && (similarAt < 0 || i !== similarAt + 1));
const banks = loadBanks();
const chosen = slugs.length ? banks.filter((b) => slugs.includes(b.slug)) : banks;
const ids = new Set(chosen.flatMap((b) => [...b.questions, ...b.cards].map((q) => q.externalId)));
const findings = [
  ...chosen.flatMap(bankFindings),
  ...duplicateFindings(banks, threshold).filter((line) =>
    [...line.matchAll(/[a-z0-9-]+-c?\d+/g)].some((m) => ids.has(m[0])),
  ),
];
for (const line of findings) console.log(line);
for (const b of chosen) {
  const applied = b.questions.filter((q) => q.level === "apply" || q.level === "analyse").length;
  console.log(`${b.slug}: ${b.questions.length} questions (${applied} apply/analyse), ${b.cards.length} cards`);
}
process.exit(findings.length ? 1 : 0);
