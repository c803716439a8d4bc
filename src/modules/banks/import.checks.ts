// Checks of parsed files that need no database (pure): run with the parse, in its worker
// for uploads, so that the web process's thread does not walk every question.
import type { ParsedSource } from "./import.parse";
import type { ParseIssue } from "./model";

/** Whether any string in the value holds a NUL character (PostgreSQL text cannot store one). */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(hasNul);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasNul);
  return false;
}

/** PostgreSQL text cannot hold NUL characters: refuse them here, with their position. */
export function textChecks(parsed: ParsedSource[], errors: ParseIssue[]) {
  for (const { bank } of parsed) {
    for (const item of [...bank.questions, ...bank.cards]) {
      if (hasNul(item))
        errors.push({ ...item.position, message: `"${item.externalId}" contains a NUL character (\\0); remove it` });
    }
  }
}

export function crossFileChecks(parsed: ParsedSource[], errors: ParseIssue[]) {
  const slugs = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const { source, bank } of parsed) {
    const other = slugs.get(bank.slug);
    if (other)
      errors.push({
        file: source.name,
        line: 1,
        column: 1,
        message: `bank "${bank.slug}" is also defined in ${other}`,
      });
    slugs.set(bank.slug, source.name);
    for (const item of [...bank.questions, ...bank.cards]) {
      const first = ids.get(item.externalId);
      const here = `${item.position.file}:${item.position.line}`;
      if (first) errors.push({ ...item.position, message: `id "${item.externalId}" is also used at ${first}` });
      else ids.set(item.externalId, here);
    }
  }
}
