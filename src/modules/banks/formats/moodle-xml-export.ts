// A bank as Moodle XML (pure): a category question per topic, then multichoice, truefalse,
// shortanswer and numerical questions whose text, answers and feedback keep their Markdown
// (format="markdown", which Moodle renders), so parseMoodleXml reads back the same questions.
// Moodle's core has no ordering or SQL question: a comment names each question left out.
import type { ChoiceOption, ParsedBank, ParsedQuestion } from "../model";
import { escapeXml } from "./qti-xml";

/** Text in CDATA, split where the text itself holds "]]>". */
const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const markdown = (tag: string, text: string, extra = "") =>
  `<${tag} format="markdown"${extra}><text>${cdata(text)}</text></${tag}>`;
const fraction = (x: number) => String(Number(x.toFixed(5)));

function answer(text: string, percent: number, feedback?: string, inner = ""): string {
  const note = feedback ? markdown("feedback", feedback) : "";
  return `    <answer fraction="${fraction(percent)}" format="markdown"><text>${cdata(text)}</text>${inner}${note}</answer>`;
}

function body(question: ParsedQuestion): { type: string; lines: string[] } | undefined {
  switch (question.type) {
    case "single":
    case "multiple": {
      const right = question.options.filter((option) => option.correct).length;
      const percent = (option: ChoiceOption) =>
        question.type === "single"
          ? option.correct
            ? 100
            : 0
          : (option.weight ?? (option.correct ? 100 / right : -100));
      return {
        type: "multichoice",
        lines: [
          `    <single>${question.type === "single"}</single>`,
          `    <shuffleanswers>1</shuffleanswers>`,
          ...question.options.map((option) => answer(option.text, percent(option), option.feedback)),
        ],
      };
    }
    case "truefalse":
      return {
        type: "truefalse",
        lines: [answer("true", question.answer ? 100 : 0), answer("false", question.answer ? 0 : 100)],
      };
    case "short":
      if (question.accept.length === 0) return undefined;
      return {
        type: "shortanswer",
        lines: [
          `    <usecase>${question.caseSensitive ? 1 : 0}</usecase>`,
          ...question.accept.map((text) => answer(text, 100)),
        ],
      };
    case "numeric":
      return {
        type: "numerical",
        lines: [
          ...question.answers.map((a) =>
            answer(String(a.value), 100, undefined, `<tolerance>${a.tolerance}</tolerance>`),
          ),
          ...(question.unit
            ? [
                `    <units><unit><multiplier>1</multiplier><unit_name>${escapeXml(question.unit)}</unit_name></unit></units>`,
              ]
            : []),
        ],
      };
    default:
      return undefined;
  }
}

/** Moodle XML for a bank, such that parseMoodleXml(exportMoodleXml(bank)) gives back the same questions. */
export function exportMoodleXml(bank: ParsedBank): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- ${escapeXml(bank.title).replace(/--/g, "- -")} (${bank.slug}), exported by Stackprep -->`,
    `<quiz>`,
  ];
  let topic: string | undefined;
  for (const question of bank.questions) {
    const written = body(question);
    if (!written) {
      lines.push(`  <!-- ${question.type} question ${question.externalId} cannot be expressed in Moodle XML -->`);
      continue;
    }
    if (question.topic !== topic)
      lines.push(
        `  <question type="category"><category><text>$course$/top/${escapeXml(question.topic)}</text></category></question>`,
      );
    topic = question.topic;
    const name = question.title ?? question.stem.replace(/\s+/g, " ").trim().slice(0, 80);
    lines.push(
      `  <question type="${written.type}">`,
      `    <name><text>${escapeXml(name)}</text></name>`,
      `    ${markdown("questiontext", question.stem)}`,
      ...(question.explanation.trim() ? [`    ${markdown("generalfeedback", question.explanation)}`] : []),
      `    <idnumber>${escapeXml(question.externalId)}</idnumber>`,
      ...written.lines,
      `  </question>`,
    );
  }
  lines.push(`</quiz>`, "");
  return lines.join("\n");
}
