// ParsedQuestion -> the stored content of a question version (pure): rendered HTML,
// the type-specific body with its key, and a hash that tells whether content changed.
import { createHash } from "node:crypto";
import { renderMarkdownMany, type MarkdownSource } from "./markdown";
import type { ParsedCard, ParsedQuestion, QuestionType } from "./model";

export type StoredOption = {
  id: string;
  md: string;
  html: string;
  correct: boolean;
  feedback?: string;
  weight?: number;
};

export type StoredBody =
  | { options: StoredOption[] } // single, multiple
  | { answer: boolean } // truefalse
  | { accept: string[]; caseSensitive: boolean; pattern?: string } // short
  | { answers: { value: number; tolerance: number }[]; unit?: string } // numeric
  | { items: { id: string; md: string; html: string }[] }; // ordering, in the correct order

export type VersionContent = {
  type: QuestionType;
  stemMd: string;
  stemHtml: string;
  body: StoredBody;
  explanationMd: string;
  explanationHtml: string;
  difficulty: number;
  tags: string[];
  references: string[];
  contentHash: string;
};

const optionId = (index: number) => String.fromCharCode(97 + index); // a, b, c ...

function sourceBody(q: ParsedQuestion): unknown {
  switch (q.type) {
    case "single":
    case "multiple":
      return q.options;
    case "truefalse":
      return q.answer;
    case "short":
      return [q.accept, q.caseSensitive, q.pattern ?? null];
    case "numeric":
      return [q.answers, q.unit ?? null];
    case "ordering":
      return q.items;
  }
}

export const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export function questionContentHash(q: ParsedQuestion): string {
  return hashOf([q.type, q.stem.trim(), q.explanation.trim(), q.difficulty, q.tags, q.references, sourceBody(q)]);
}

/** The Markdown a version renders, in a fixed order: stem, explanation (when any), then options or items. */
function markdownOf(q: ParsedQuestion): MarkdownSource[] {
  const sources: MarkdownSource[] = [{ md: q.stem }];
  if (q.explanation) sources.push({ md: q.explanation });
  if (q.type === "single" || q.type === "multiple")
    for (const o of q.options) sources.push({ md: o.text, inline: true });
  if (q.type === "ordering") for (const item of q.items) sources.push({ md: item, inline: true });
  return sources;
}

function storedBody(q: ParsedQuestion, html: (index: number) => string): StoredBody {
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        options: q.options.map((o, i) => ({
          id: optionId(i),
          md: o.text,
          html: html(i),
          correct: o.correct,
          ...(o.feedback ? { feedback: o.feedback } : {}),
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
        })),
      };
    case "truefalse":
      return { answer: q.answer };
    case "short":
      return { accept: q.accept, caseSensitive: q.caseSensitive, ...(q.pattern ? { pattern: q.pattern } : {}) };
    case "numeric":
      return { answers: q.answers, ...(q.unit ? { unit: q.unit } : {}) };
    case "ordering":
      return { items: q.items.map((md, i) => ({ id: optionId(i), md, html: html(i) })) };
  }
}

/** The stored content of many questions; Markdown is rendered in one batch (see markdown.ts). */
export function versionContents(questions: readonly ParsedQuestion[]): VersionContent[] {
  const sources = questions.map(markdownOf);
  const html = renderMarkdownMany(sources.flat());
  let at = 0;
  return questions.map((q, i) => {
    const first = at;
    at += sources[i]!.length;
    const explanationHtml = q.explanation ? html[first + 1]! : "";
    const bodyStart = first + (q.explanation ? 2 : 1);
    return {
      type: q.type,
      stemMd: q.stem,
      stemHtml: html[first]!,
      body: storedBody(q, (index) => html[bodyStart + index]!),
      explanationMd: q.explanation,
      explanationHtml,
      difficulty: q.difficulty,
      tags: q.tags,
      references: q.references,
      contentHash: questionContentHash(q),
    };
  });
}

export const versionContent = (q: ParsedQuestion): VersionContent => versionContents([q])[0]!;

export const cardContentHash = (c: ParsedCard) => hashOf([c.front.trim(), c.back.trim()]);

export function cardContent(c: ParsedCard) {
  const [frontHtml, backHtml] = renderMarkdownMany([{ md: c.front }, { md: c.back }]);
  return {
    frontMd: c.front,
    frontHtml: frontHtml!,
    backMd: c.back,
    backHtml: backHtml!,
    contentHash: cardContentHash(c),
  };
}
