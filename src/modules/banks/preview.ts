// Parsed questions as an instructor checks them before publishing (pure): rendered the way
// learners see them, with the key, per-option feedback and the explanation beside it.
import { renderMarkdownMany, type MarkdownSource } from "./markdown";
import { GAP_MARKER, matchChoices, numericAnswerText, numericWeight, type ParsedQuestion } from "./model";
import { gapBlankHtml } from "./normalise";

export type PreviewChoice = {
  html: string;
  correct: boolean;
  /** Multiple response, or single choice with partial credit: the option's weight in percent, when the file gives one. */
  weight?: number;
  /** Shown to learners after submitting, as written (escaped by the template). */
  feedback: string;
};

export type QuestionPreview = {
  id: string;
  type: ParsedQuestion["type"];
  topic: string;
  difficulty: number;
  stemHtml: string;
  explanationHtml: string;
  /** Choice questions (true/false as two choices), in file order: learners see them shuffled. */
  choices: PreviewChoice[];
  /** Ordering: the items in the correct order. */
  order: string[];
  /** Short and numeric: every accepted answer, as text; SQL: the reference statement. */
  accepted: string[];
  /**
   * Short and numeric with partial credit or feedback: every answer in file order with the
   * percent of the mark it earns and its feedback; the last, "any other answer", when the
   * file gives feedback for it. Empty otherwise (then `accepted` says it all).
   */
  answers: PreviewAnswer[];
  /** How answers are matched: "case-sensitive", a tolerance, a unit, a pattern. */
  notes: string[];
  /** Matching: each prompt with its answer, in file order (learners see both sides shuffled). */
  pairs: { promptHtml: string; matchHtml: string }[];
  /** Matching: the answers no prompt takes. */
  distractors: string[];
  /** Gap: per blank, in stem order, its options with the key (choice) or the texts it accepts (text). */
  gaps: PreviewGap[];
};

/** A typed answer as the preview shows it: its text, its share of the mark (percent), its feedback. */
export type PreviewAnswer = { text: string; weight: number | null; feedback: string };

/** The answers of a short or numeric question with weights or feedback, and the "any other answer" feedback. */
function typedAnswers(answers: { text: string; weight: number; feedback?: string }[], other?: string): PreviewAnswer[] {
  if (!answers.some((a) => a.weight < 100 || a.feedback) && !other) return [];
  return [
    ...answers.map((a) => ({ text: a.text, weight: a.weight, feedback: a.feedback ?? "" })),
    ...(other ? [{ text: "(any other answer)", weight: null, feedback: other }] : []),
  ];
}

export type PreviewGap = { n: number; choices: PreviewChoice[]; accepted: string[]; notes: string[] };

const TRUE_FALSE = ["True", "False"];

/** The Markdown of a question's options or items, rendered inline beside its stem. */
function choiceSources(q: ParsedQuestion): MarkdownSource[] {
  if (q.type === "single" || q.type === "multiple") return q.options.map((o) => ({ md: o.text, inline: true }));
  if (q.type === "ordering") return q.items.map((md) => ({ md, inline: true }));
  if (q.type === "matching")
    return [...q.pairs.map((p) => p.prompt), ...matchChoices(q)].map((md) => ({ md, inline: true }));
  if (q.type === "gap")
    return q.gaps.flatMap((g) => (g.kind === "choice" ? g.options.map((o) => ({ md: o.text, inline: true })) : []));
  return [];
}

type Key = Pick<
  QuestionPreview,
  "choices" | "order" | "accepted" | "answers" | "notes" | "pairs" | "distractors" | "gaps"
>;

/** Matching: prompts take the first rendered texts, the answers (each once) the rest. */
function matchingKey(q: ParsedQuestion & { type: "matching" }, html: string[]): Pick<Key, "pairs" | "distractors"> {
  const choices = matchChoices(q);
  const answerHtml = new Map(choices.map((md, k) => [md.trim(), html[q.pairs.length + k] ?? ""]));
  const taken = new Set(q.pairs.map((p) => p.match.trim()));
  return {
    pairs: q.pairs.map((p, i) => ({ promptHtml: html[i] ?? "", matchHtml: answerHtml.get(p.match.trim()) ?? "" })),
    distractors: choices.filter((md) => !taken.has(md.trim())).map((md) => answerHtml.get(md.trim()) ?? ""),
  };
}

/** Gap: choice blanks take the rendered options in order; text blanks list what they accept. */
function gapKey(q: ParsedQuestion & { type: "gap" }, html: string[]): PreviewGap[] {
  let at = 0;
  return q.gaps.map((g, i) =>
    g.kind === "choice"
      ? {
          n: i + 1,
          choices: g.options.map((o) => ({ html: html[at++] ?? "", correct: o.correct, feedback: o.feedback ?? "" })),
          accepted: [],
          notes: [],
        }
      : { n: i + 1, choices: [], accepted: g.accept, notes: [g.caseSensitive ? "case-sensitive" : "case-insensitive"] },
  );
}

function keyOf(q: ParsedQuestion, html: string[]): Key {
  const none = { choices: [], order: [], accepted: [], answers: [], notes: [], pairs: [], distractors: [], gaps: [] };
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        ...none,
        choices: q.options.map((o, i) => ({
          html: html[i] ?? "",
          correct: o.correct,
          ...(o.weight !== undefined ? { weight: o.weight } : {}),
          feedback: o.feedback ?? "",
        })),
      };
    case "truefalse":
      return {
        ...none,
        choices: TRUE_FALSE.map((text) => ({ html: text, correct: (text === "True") === q.answer, feedback: "" })),
      };
    case "ordering":
      return { ...none, order: html };
    case "short":
      return {
        ...none,
        accepted: q.accept,
        answers: typedAnswers(q.weighted ?? q.accept.map((text) => ({ text, weight: 100 })), q.otherFeedback),
        notes: [
          q.caseSensitive ? "case-sensitive" : "case-insensitive",
          ...(q.pattern ? [`or any answer matching /${q.pattern}/`] : []),
        ],
      };
    case "numeric":
      return {
        ...none,
        accepted: q.answers.filter((a) => numericWeight(a) >= 100).map(numericAnswerText),
        answers: typedAnswers(
          q.answers.map((a) => ({
            text: numericAnswerText(a),
            weight: numericWeight(a),
            ...(a.feedback ? { feedback: a.feedback } : {}),
          })),
          q.otherFeedback,
        ),
        notes: q.unit ? [`unit: ${q.unit}`] : [],
      };
    case "sql":
      return { ...none, accepted: [q.reference], notes: [`${q.kind} exercise`] };
    case "matching":
      return { ...none, ...matchingKey(q, html) };
    case "gap":
      return { ...none, gaps: gapKey(q, html) };
    default:
      return none;
  }
}

/** Renders the questions' Markdown in one batch, as the import does. */
export function previewQuestions(questions: readonly ParsedQuestion[]): QuestionPreview[] {
  const sources = questions.map((q) => [{ md: q.stem }, { md: q.explanation }, ...choiceSources(q)]);
  const html = renderMarkdownMany(sources.flat());
  let at = 0;
  return questions.map((q, i) => {
    const rendered = html.slice(at, (at += sources[i]!.length));
    return {
      id: q.externalId,
      type: q.type,
      topic: q.topic,
      difficulty: q.difficulty,
      // A gap question's blanks stand where learners get their controls, numbered as in the key.
      stemHtml:
        q.type === "gap"
          ? (rendered[0] ?? "").replace(GAP_MARKER, (_, n: string) => gapBlankHtml(Number(n)))
          : (rendered[0] ?? ""),
      explanationHtml: q.explanation.trim() ? (rendered[1] ?? "") : "",
      ...keyOf(q, rendered.slice(2)),
    };
  });
}
