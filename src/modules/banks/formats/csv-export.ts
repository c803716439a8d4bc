// A bank as CSV in Stackprep's column layout (pure), one question a row, such that parseCsv
// reads it back to the same questions. Options go one per column (A to H), so no text needs
// escaping beyond RFC 4180 quoting; an essay's model answer is its "answer". CSV has no place
// for option feedback, case sensitivity, units, patterns, matching pairs, blanks or SQL
// exercises (neither Stackprep's layout nor Moodle's CSV columns has one): option feedback and
// those settings are dropped, and a question that cannot be written (matching, gap, SQL, a
// pattern-only short answer, an answer holding "|", an essay without a model answer) is left
// out: a "#" line at the top of the file counts them and names their ids, one "#" line stands
// where each would be, and the caller is told of each.
import { numericWeight, singleHasPartialCredit, type ParsedBank, type ParsedQuestion } from "../model";

const LETTERS = "ABCDEFGH";
const HEADER = [
  "id",
  "topic",
  "type",
  "title",
  "stem",
  ...LETTERS,
  "answer",
  "explanation",
  "tags",
  "difficulty",
  "references",
];

/** A field quoted when it must be (a comma, a quote, a line end, or space at its ends, which the reader trims). */
const quote = (field: string) => (/[",\n\r]|^\s|\s$|^#/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
const number = (x: number) => String(x);

function answerOf(question: ParsedQuestion): string | undefined {
  switch (question.type) {
    case "single":
      // Partial credit: the right letter, then each letter worth part of the mark ("A;B:50").
      if (!question.options.some((option) => option.correct)) return undefined;
      return [
        LETTERS[question.options.findIndex((option) => option.correct)],
        ...(singleHasPartialCredit(question.options)
          ? question.options.flatMap((option, index) =>
              !option.correct && option.weight ? [`${LETTERS[index]}:${number(option.weight)}`] : [],
            )
          : []),
      ].join(";");
    case "multiple":
      return question.options
        .map((option, index) =>
          option.weight !== undefined
            ? `${LETTERS[index]}:${number(option.weight)}`
            : option.correct
              ? LETTERS[index]
              : "",
        )
        .filter(Boolean)
        .join(";");
    case "truefalse":
      return String(question.answer);
    case "short":
      return question.accept.length > 0 && question.accept.every((text) => !text.includes("|"))
        ? question.accept.join("|")
        : undefined;
    case "numeric":
      // Full-credit answers only: CSV has no column for a part mark, which would read back as right.
      return question.answers
        .filter((answer) => numericWeight(answer) >= 100)
        .map((answer) => `${number(answer.value)}:${number(answer.tolerance)}`)
        .join("|");
    case "ordering":
      return "";
    case "essay":
      return question.modelAnswer.trim() || undefined;
    default:
      return undefined;
  }
}

function choicesOf(question: ParsedQuestion): string[] | undefined {
  const texts =
    question.type === "single" || question.type === "multiple"
      ? question.options.map((option) => option.text)
      : question.type === "ordering"
        ? question.items
        : [];
  return texts.length > LETTERS.length || texts.some((text) => text.trim() === "") ? undefined : texts;
}

export function exportCsv(bank: ParsedBank, leftOut?: (question: ParsedQuestion) => void): string {
  const lines = [HEADER.join(",")];
  const omitted: ParsedQuestion[] = [];
  for (const question of bank.questions) {
    const answer = answerOf(question);
    const choices = choicesOf(question);
    if (answer === undefined || choices === undefined) {
      lines.push(`# ${question.type} question ${question.externalId} cannot be expressed in CSV`);
      omitted.push(question);
      leftOut?.(question);
      continue;
    }
    const row = [
      question.externalId,
      question.topic,
      question.type,
      question.title ?? "",
      question.stem.trim(),
      ...[...LETTERS].map((_, index) => choices[index] ?? ""),
      answer,
      question.explanation.trim(),
      question.tags.join(";"),
      String(question.difficulty),
      question.references.join(";"),
    ];
    lines.push(row.map(quote).join(","));
  }
  const head = [`# ${bank.title.replace(/\s+/g, " ")} (${bank.slug}), exported by Stackprep`];
  if (omitted.length)
    head.push(
      `# LEFT OUT: ${omitted.length} question${omitted.length === 1 ? "" : "s"} CSV cannot express (${[...new Set(omitted.map((q) => q.type))].join(", ")}): ${omitted.map((q) => q.externalId).join(", ")}; export as YAML, QTI or Moodle XML to keep them`,
    );
  return `${[...head, ...lines].join("\n")}\n`;
}
