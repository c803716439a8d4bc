// Files in foreign formats (GIFT, Aiken, CSV, Moodle XML) carry no bank of their own, so what
// they name is scoped to the bank they are uploaded into (pure): their categories become topics
// under the bank's root topic, and the ids they write (GIFT titles, Moodle idnumbers, CSV ids)
// are prefixed by the bank's slug. Two files may then both use `::colours::` or the category
// `$course$/top/SQL` without one joining, renaming or claiming the other bank's topic or question.
import type { ParsedSource } from "./import.parse";

const within = (slug: string, value: string, separator: string) =>
  value === slug || value.startsWith(`${slug}${separator}`);

export function scopeToBank(parsed: ParsedSource): ParsedSource {
  const { bank } = parsed;
  const slug = bank.slug;
  const topic = (path: string) => (within(slug, path, "/") ? path : `${slug}/${path}`);
  const id = (externalId: string) => (within(slug, externalId, "-") ? externalId : `${slug}-${externalId}`);
  const topics = bank.topics.map((t) => ({ path: topic(t.path), title: t.title }));
  if (!topics.some((t) => t.path === slug)) topics.unshift({ path: slug, title: bank.title });
  return {
    ...parsed,
    bank: {
      ...bank,
      topics,
      questions: bank.questions.map((q) => ({ ...q, topic: topic(q.topic), externalId: id(q.externalId) })),
      cards: bank.cards.map((c) => ({ ...c, topic: topic(c.topic), externalId: id(c.externalId) })),
    },
    rejected: parsed.rejected.map((r) => (r.externalId ? { ...r, externalId: id(r.externalId) } : r)),
  };
}
