// Reading a stored bank back into the parsed model, for export.
import type { Db } from "../../db";
import { NotFound } from "../../errors";
import type { NumericAnswer, ParsedBank, ParsedQuestion, QuestionBody, ShortAnswer } from "./model";
import type { StoredBody, StoredGapBody, StoredMatchingBody, StoredOption, StoredSqlBody } from "./normalise";
import { activeBankContent } from "./banks.repo";

const nowhere = { file: "(database)", line: 0, column: 0 };

function bodyOf(type: ParsedQuestion["type"], body: StoredBody): QuestionBody {
  const b = body as Record<string, unknown>;
  switch (type) {
    case "single":
    case "multiple":
      return {
        type,
        options: (b.options as StoredOption[]).map((o) => ({
          text: o.md,
          correct: o.correct,
          ...(o.feedback ? { feedback: o.feedback } : {}),
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
        })),
      };
    case "truefalse":
      return { type, answer: b.answer as boolean };
    case "short":
      return {
        type,
        accept: b.accept as string[],
        caseSensitive: b.caseSensitive as boolean,
        ...(b.pattern ? { pattern: b.pattern as string } : {}),
        ...(b.weighted ? { weighted: b.weighted as ShortAnswer[] } : {}),
        ...(b.otherFeedback ? { otherFeedback: b.otherFeedback as string } : {}),
      };
    case "numeric":
      return {
        type,
        answers: b.answers as NumericAnswer[],
        ...(b.unit ? { unit: b.unit as string } : {}),
        ...(b.otherFeedback ? { otherFeedback: b.otherFeedback as string } : {}),
      };
    case "ordering":
      return { type, items: (b.items as { md: string }[]).map((i) => i.md) };
    case "essay":
      return { type, modelAnswer: (body as { modelAnswer: { md: string } }).modelAnswer.md };
    case "gap":
      return {
        type,
        gaps: (body as StoredGapBody).gaps.map((g) =>
          g.kind === "choice"
            ? {
                kind: "choice",
                options: g.options.map((o) => ({
                  text: o.md,
                  correct: o.correct,
                  ...(o.feedback ? { feedback: o.feedback } : {}),
                })),
              }
            : { kind: "text", accept: g.accept, caseSensitive: g.caseSensitive },
        ),
      };
    case "matching": {
      const { prompts, matches } = body as StoredMatchingBody;
      const taken = new Set(prompts.map((p) => p.match));
      const text = new Map(matches.map((m) => [m.id, m.md]));
      return {
        type,
        pairs: prompts.map((p) => ({ prompt: p.md, match: text.get(p.match) ?? "" })),
        distractors: matches.filter((m) => !taken.has(m.id)).map((m) => m.md),
      };
    }
    case "sql": {
      const sql = body as StoredSqlBody;
      return {
        type,
        ...sql.exercise,
        validated: {
          schema: sql.schema,
          expected: sql.expected,
          ...(sql.expectedCheck ? { expectedCheck: sql.expectedCheck } : {}),
        },
      };
    }
  }
}

type VersionRow = {
  type: ParsedQuestion["type"];
  body: StoredBody;
  stemMd: string;
  explanationMd: string;
  difficulty: number;
  tags: string[];
  references: string[];
};

/** A stored version back in the parsed model. */
export function parsedFromVersion(externalId: string, topic: string, v: VersionRow): ParsedQuestion {
  return {
    ...bodyOf(v.type, v.body),
    externalId,
    topic,
    stem: v.stemMd,
    explanation: v.explanationMd,
    difficulty: v.difficulty as 1 | 2 | 3,
    tags: v.tags,
    references: v.references,
    ...(v.body.intro ? { intro: v.body.intro.md } : {}),
    position: nowhere,
  };
}

export function exportService(deps: { prisma: Db }) {
  return {
    /** The active questions and cards of a bank, in the parsed model. */
    async loadBank(input: { slug: string }): Promise<ParsedBank> {
      const bank = await activeBankContent(deps.prisma, input.slug);
      if (!bank) throw new NotFound(`No bank with the slug ${input.slug}.`);
      const paths = new Set([
        ...bank.questions.map((q) => q.topic.path),
        ...bank.cards.map((c) => c.topic.path),
        bank.slug,
      ]);
      const topics = await deps.prisma.topic.findMany({
        where: { path: { in: [...paths] } },
        orderBy: { path: "asc" },
      });
      return {
        slug: bank.slug,
        title: bank.title,
        description: bank.description,
        licence: bank.licence,
        topics: topics.map((t) => ({ path: t.path, title: t.title })),
        questions: bank.questions.flatMap((q) => {
          const v = q.currentVersion;
          if (!v) return [];
          return [parsedFromVersion(q.externalId, q.topic.path, v)];
        }),
        cards: bank.cards.map((c) => ({
          externalId: c.externalId,
          topic: c.topic.path,
          front: c.frontMd,
          back: c.backMd,
          position: nowhere,
        })),
      };
    },
  };
}
