// ParsedQuestion -> the stored content of a question version (pure): rendered HTML,
// the type-specific body with its key, and a hash that tells whether content changed.
import { createHash } from "node:crypto";
import { renderInlineMarkdown, renderMarkdown } from "./markdown";
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

function storedBody(q: ParsedQuestion): StoredBody {
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        options: q.options.map((o, i) => ({
          id: optionId(i),
          md: o.text,
          html: renderInlineMarkdown(o.text),
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
      return { items: q.items.map((md, i) => ({ id: optionId(i), md, html: renderInlineMarkdown(md) })) };
  }
}

export function versionContent(q: ParsedQuestion): VersionContent {
  return {
    type: q.type,
    stemMd: q.stem,
    stemHtml: renderMarkdown(q.stem),
    body: storedBody(q),
    explanationMd: q.explanation,
    explanationHtml: q.explanation ? renderMarkdown(q.explanation) : "",
    difficulty: q.difficulty,
    tags: q.tags,
    references: q.references,
    contentHash: questionContentHash(q),
  };
}

export const cardContentHash = (c: ParsedCard) => hashOf([c.front.trim(), c.back.trim()]);

export function cardContent(c: ParsedCard) {
  return {
    frontMd: c.front,
    frontHtml: renderMarkdown(c.front),
    backMd: c.back,
    backHtml: renderMarkdown(c.back),
    contentHash: cardContentHash(c),
  };
}
