// Stable ids and topic paths shared by the foreign-format parsers (pure; hashing is pure).
// Foreign formats rarely carry ids, so an id is derived from what identifies a question
// for its author, topic and stem: re-importing an edited file then updates instead of duplicating.
import { createHash } from "node:crypto";

/** The native format's id rule; ids written in a file must already follow it. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Folds white space, so re-wrapping a stem keeps its derived id. */
export function normaliseStem(stem: string): string {
  return stem.normalize("NFC").trim().replace(/\s+/g, " ");
}

/** `${slug}-${first 12 hex of sha256(topic + "\n" + normalised stem)}`. */
export function deriveExternalId(slug: string, topic: string, stem: string): string {
  const digest = createHash("sha256")
    .update(`${topic}\n${normaliseStem(stem)}`)
    .digest("hex");
  return `${slug}-${digest.slice(0, 12)}`;
}

/** Lower-case ASCII words joined by dashes: "Databases & SQL" -> "databases-sql". */
export function slugifySegment(segment: string): string {
  return segment
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** "http-caching" -> "Http caching": a readable title when the file gives none. */
export function humanise(segment: string): string {
  const words = segment.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type TopicPath = { path: string; title: string };

/**
 * Moodle-style category path to a topic path: "$course$/top/Databases/SQL" -> "databases/sql"
 * titled "SQL". Moodle writes a "/" inside a category name as "//". Null when nothing is left.
 */
export function normaliseTopicPath(raw: string): TopicPath | null {
  const names = raw
    .replace(/\/\//g, "\uE000")
    .split("/")
    .map((name) => name.replace(/\uE000/g, "/").trim())
    .filter((name) => name !== "");
  while (names.length > 0 && /^\$[a-z0-9_]*\$$/i.test(names[0] ?? "")) names.shift();
  if (names[0]?.toLowerCase() === "top") names.shift();
  const pairs = names.map((name) => ({ name, slug: slugifySegment(name) })).filter((pair) => pair.slug !== "");
  const last = pairs[pairs.length - 1];
  if (!last) return null;
  const title = last.name === last.slug ? humanise(last.slug) : last.name;
  return { path: pairs.map((pair) => pair.slug).join("/"), title };
}
