// ParsedBank -> native YAML (pure). Import of the output gives back the same content.
import { stringify } from "yaml";
import type { NumericAnswer, ParsedBank, ParsedQuestion } from "./model";

function questionEntry(q: ParsedQuestion): Record<string, unknown> {
  const base = {
    id: q.externalId,
    topic: q.topic,
    type: q.type,
    difficulty: q.difficulty,
    ...(q.level ? { level: q.level } : {}),
    ...(q.tags.length ? { tags: q.tags } : {}),
    ...(q.intro ? { intro: q.intro } : {}),
    stem: q.stem,
  };
  const tail = { explanation: q.explanation, ...(q.references.length ? { references: q.references } : {}) };
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        ...base,
        options: q.options.map((o) => ({
          text: o.text,
          ...(o.correct ? { correct: true } : {}),
          ...(o.feedback ? { feedback: o.feedback } : {}),
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
        })),
        ...tail,
      };
    case "truefalse":
      return { ...base, answer: q.answer, ...tail };
    case "short":
      return {
        ...base,
        // With weights or feedback, every answer in order under answers; otherwise accept.
        ...(q.weighted
          ? {
              answers: q.weighted.map((a) => ({
                text: a.text,
                ...(a.weight !== 100 ? { weight: a.weight } : {}),
                ...(a.feedback ? { feedback: a.feedback } : {}),
              })),
            }
          : { accept: q.accept }),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
        ...(q.caseSensitive ? { caseSensitive: true } : {}),
        ...(q.pattern ? { pattern: q.pattern } : {}),
        ...tail,
      };
    case "numeric": {
      const answer = (a: NumericAnswer) => ({
        value: a.value,
        tolerance: a.tolerance,
        ...(a.weight !== undefined && a.weight !== 100 ? { weight: a.weight } : {}),
        ...(a.feedback ? { feedback: a.feedback } : {}),
      });
      const [only] = q.answers;
      return {
        ...base,
        ...(q.answers.length === 1 && only ? { answer: answer(only) } : { answers: q.answers.map(answer) }),
        ...(q.otherFeedback ? { otherFeedback: q.otherFeedback } : {}),
        ...(q.unit ? { unit: q.unit } : {}),
        ...tail,
      };
    }
    case "ordering":
      return { ...base, items: q.items, ...tail };
    case "essay":
      return { ...base, modelAnswer: q.modelAnswer, ...tail };
    case "gap":
      return {
        ...base,
        gaps: q.gaps.map((g) =>
          g.kind === "choice"
            ? {
                options: g.options.map((o) => ({
                  text: o.text,
                  ...(o.correct ? { correct: true } : {}),
                  ...(o.feedback ? { feedback: o.feedback } : {}),
                })),
              }
            : { accept: g.accept, ...(g.caseSensitive ? { caseSensitive: true } : {}) },
        ),
        ...tail,
      };
    case "matching":
      return {
        ...base,
        pairs: q.pairs.map((p) => ({ prompt: p.prompt, match: p.match })),
        ...(q.distractors.length ? { distractors: q.distractors } : {}),
        ...tail,
      };
    case "sql":
      return {
        ...base,
        kind: q.kind,
        setup: q.setup,
        reference: q.reference,
        ...(q.check !== undefined ? { check: q.check } : {}),
        compare: q.compare,
        ...(q.runs !== undefined ? { runs: q.runs } : {}),
        ...tail,
      };
  }
}

export function exportNativeYaml(bank: ParsedBank): string {
  const doc = {
    format: "stackprep-bank/1",
    bank: {
      slug: bank.slug,
      title: bank.title,
      ...(bank.description ? { description: bank.description } : {}),
      ...(bank.licence ? { licence: bank.licence } : {}),
    },
    topics: Object.fromEntries(bank.topics.map((t) => [t.path, t.title])),
    questions: bank.questions.map(questionEntry),
    cards: bank.cards.map((c) => ({ id: c.externalId, topic: c.topic, front: c.front, back: c.back })),
  };
  return stringify(doc, { lineWidth: 0, blockQuote: "literal" });
}

/** One question as the native YAML the browser editor shows. */
export function questionYaml(q: ParsedQuestion): string {
  return stringify(questionEntry(q), { lineWidth: 0, blockQuote: "literal" });
}
