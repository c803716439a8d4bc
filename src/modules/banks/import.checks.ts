// Checks of parsed files that need no database (pure): run with the parse, in its worker
// for uploads, so that the web process's thread does not walk every question. In a strict
// import each problem is an error; otherwise a question with a problem is left out of its
// bank and listed as rejected, and the rest imports.
import type { ParsedSource } from "./import.parse";
import type { ParsedQuestion, ParseIssue } from "./model";
import { labelOf } from "./formats/scan";

/** Whether any string in the value holds a NUL character (PostgreSQL text cannot store one). */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(hasNul);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasNul);
  return false;
}

/** Moves the questions `refuse` finds fault with out of their banks (lenient) or into `errors` (strict). */
function sift(
  parsed: ParsedSource[],
  errors: ParseIssue[],
  strict: boolean,
  refuse: (question: ParsedQuestion) => string | undefined,
) {
  for (const source of parsed) {
    const kept: ParsedQuestion[] = [];
    for (const question of source.bank.questions) {
      const message = refuse(question);
      if (message === undefined) kept.push(question);
      else if (strict) errors.push({ ...question.position, message });
      else
        source.rejected.push({
          position: question.position,
          externalId: question.externalId,
          label: labelOf(question.stem, question.title),
          errors: [{ ...question.position, message }],
        });
    }
    if (kept.length !== source.bank.questions.length) source.bank.questions = kept;
  }
}

/** PostgreSQL text cannot hold NUL characters: refuse them here, with their position. */
export function textChecks(parsed: ParsedSource[], errors: ParseIssue[], strict = true) {
  const message = (id: string) => `"${id}" contains a NUL character (\\0); remove it`;
  sift(parsed, errors, strict, (question) => (hasNul(question) ? message(question.externalId) : undefined));
  for (const { bank } of parsed)
    for (const card of bank.cards)
      if (hasNul(card)) errors.push({ ...card.position, message: message(card.externalId) });
}

export function crossFileChecks(parsed: ParsedSource[], errors: ParseIssue[], strict = true) {
  const slugs = new Map<string, string>();
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
  }
  const ids = new Map<string, string>();
  const firstUse = (id: string, position: ParsedQuestion["position"]) => {
    const first = ids.get(id);
    if (!first) ids.set(id, `${position.file}:${position.line}`);
    return first && `id "${id}" is also used at ${first}`;
  };
  sift(parsed, errors, strict, (question) => firstUse(question.externalId, question.position));
  for (const { bank } of parsed)
    for (const card of bank.cards) {
      const message = firstUse(card.externalId, card.position);
      if (message) errors.push({ ...card.position, message });
    }
}
