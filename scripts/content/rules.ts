// The authoring rules of the shipped banks (docs/content.md), as one list of findings per
// bank: the content check in `npm test`, `npm run content:check` and the content report use it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseNativeYaml } from "../../src/modules/banks/formats/native-yaml";
import type { ParsedBank, ParsedQuestion } from "../../src/modules/banks/model";
import { nearDuplicateStems } from "../../src/modules/banks/near-duplicates";

export const BANK_DIR = path.resolve(__dirname, "../../question-banks");

export const TARGETS = {
  questionsPerBank: 80,
  cardsPerBank: 45,
  totalQuestions: 1300,
  totalCards: 700,
  /** share of items at level apply or analyse, per bank */
  appliedShare: 0.5,
  /** near-duplicate threshold (Jaccard of content words of stem + options) */
  duplicateSimilarity: 0.5,
  /** share of single-choice keys that are the unique longest option */
  longestKeyShare: 0.3,
  /** share of single-choice keys in one position */
  keyPositionShare: 0.4,
  /** share of multiple-response questions whose correct options are all written first */
  keysFirstShare: 0.5,
  /** share of short-answer questions that accept more than one string (or a pattern) */
  shortWithAlternatives: 0.6,
};

export function loadBanks(dir = BANK_DIR): ParsedBank[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "exams.yaml")
    .sort()
    .map((f) => {
      const result = parseNativeYaml(readFileSync(path.join(dir, f), "utf8"), { file: f });
      if (!result.ok)
        throw new Error(result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join("\n"));
      return result.bank;
    });
}

const choice = (q: ParsedQuestion) => (q.type === "single" || q.type === "multiple" ? q.options : []);

export function sentenceCount(text: string): number {
  return text
    .replace(/```[\s\S]*?```/g, " CODE ")
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter(Boolean).length;
}

/** The text compared for near-duplicates: the stem with its options or items. */
export function comparableText(q: ParsedQuestion): string {
  const extra = q.type === "ordering" ? q.items : choice(q).map((o) => o.text);
  return [q.stem, ...extra].join(" ");
}

export const isApplied = (q: ParsedQuestion) => q.level === "apply" || q.level === "analyse";

/** Every rule broken by one bank, as readable lines (empty when the bank is clean). */
export function bankFindings(bank: ParsedBank): string[] {
  const out: string[] = [];
  const at = (q: ParsedQuestion, message: string) =>
    out.push(`${q.position.file}:${q.position.line}: ${q.externalId}: ${message}`);
  const qs = bank.questions;
  if (qs.length < TARGETS.questionsPerBank)
    out.push(`${bank.slug}: ${qs.length} questions (at least ${TARGETS.questionsPerBank})`);
  if (bank.cards.length < TARGETS.cardsPerBank)
    out.push(`${bank.slug}: ${bank.cards.length} cards (at least ${TARGETS.cardsPerBank})`);
  for (const q of qs) {
    if (!q.level) at(q, "no level (recall, apply or analyse)");
    if (q.references.length === 0) at(q, "no reference to a primary source");
    const n = sentenceCount(q.explanation);
    if (n < 2 || n > 6) at(q, `explanation has ${n} sentences (2 to 6)`);
    if (q.type === "single" && q.options.filter((o) => o.correct).length !== 1)
      at(q, "single choice needs exactly one key");
    const texts = choice(q).map((o) => o.text.trim().toLowerCase());
    if (new Set(texts).size !== texts.length) at(q, "two options are the same");
    if (texts.some((t) => /\b(all|none) of the (above|options)\b/.test(t))) at(q, "all/none of the above");
  }
  for (const c of bank.cards) {
    if (!/\?\s*$/.test(c.front.trim()))
      out.push(`${c.position.file}:${c.position.line}: ${c.externalId}: card front is not a question`);
  }
  const applied = qs.filter(isApplied).length;
  if (qs.length && applied / qs.length < TARGETS.appliedShare)
    out.push(
      `${bank.slug}: ${applied} of ${qs.length} items apply or analyse (at least ${TARGETS.appliedShare * 100}%)`,
    );

  const singles = qs.filter((q) => q.type === "single");
  const positions = new Map<number, number>();
  let longest = 0;
  for (const q of singles) {
    const key = q.options.findIndex((o) => o.correct);
    positions.set(key, (positions.get(key) ?? 0) + 1);
    const lengths = q.options.map((o) => o.text.length);
    const max = Math.max(...lengths);
    if (lengths[key] === max && lengths.filter((l) => l === max).length === 1) longest += 1;
  }
  if (singles.length) {
    const top = Math.max(...positions.values()) / singles.length;
    if (top > TARGETS.keyPositionShare)
      out.push(`${bank.slug}: ${(top * 100).toFixed(0)}% of single-choice keys in one position`);
    if (longest / singles.length > TARGETS.longestKeyShare)
      out.push(
        `${bank.slug}: key is the unique longest option in ${longest} of ${singles.length} single-choice questions`,
      );
  }
  const multiples = qs.filter((q) => q.type === "multiple");
  const keysFirst = multiples.filter((q) => {
    const k = q.options.filter((o) => o.correct).length;
    return q.options.slice(0, k).every((o) => o.correct) && k < q.options.length;
  }).length;
  if (multiples.length >= 4 && keysFirst / multiples.length > TARGETS.keysFirstShare)
    out.push(
      `${bank.slug}: correct options written first in ${keysFirst} of ${multiples.length} multiple-response questions`,
    );
  const shorts = qs.filter((q) => q.type === "short");
  const flexible = shorts.filter((q) => q.type === "short" && (q.accept.length > 1 || q.pattern)).length;
  if (shorts.length >= 3 && flexible / shorts.length < TARGETS.shortWithAlternatives)
    out.push(`${bank.slug}: only ${flexible} of ${shorts.length} short answers accept more than one form`);
  return out;
}

/** Near-duplicate questions and cards across all banks. */
export function duplicateFindings(banks: ParsedBank[], threshold = TARGETS.duplicateSimilarity): string[] {
  const questions = banks.flatMap((b) => b.questions.map((q) => ({ id: q.externalId, stem: comparableText(q) })));
  const cards = banks.flatMap((b) => b.cards.map((c) => ({ id: c.externalId, stem: `${c.front} ${c.back}` })));
  return [...nearDuplicateStems(questions, threshold), ...nearDuplicateStems(cards, threshold)].map(
    (d) => `near-duplicate: ${d.a} ~ ${d.b} (${d.similarity.toFixed(2)})`,
  );
}
