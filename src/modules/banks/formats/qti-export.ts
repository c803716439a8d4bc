// A bank as QTI 3.0 items (pure): one `qti-assessment-item` per question, each complete with
// its namespace, in one XML file whose root (`stackprep-qti`, not a QTI element) groups them by
// topic. parseQti reads the file back to the same questions; another tool takes the items.
// Choice, true/false, short text, numeric and ordering questions are expressible; SQL exercises
// are not and are named in a comment.
import { renderInlineMarkdown, renderMarkdown } from "../markdown";
import type { ParsedBank, ParsedQuestion } from "../model";
import { escapeXml } from "./qti-xml";

const QTI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const TEMPLATES = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates";

/** Rendered HTML as XHTML: void elements closed, named entities other than XML's as numbers. */
function xhtml(html: string): string {
  return html
    .replace(/<(br|hr|img|wbr)\b([^>]*?)\s*\/?>/gi, "<$1$2/>")
    .replace(/&([a-z][a-z0-9]*);/gi, (whole, name: string) =>
      ["lt", "gt", "amp", "quot", "apos"].includes(name) ? whole : name === "nbsp" ? "&#160;" : whole,
    );
}

const block = (markdown: string) => xhtml(renderMarkdown(markdown));
const inline = (markdown: string) => xhtml(renderInlineMarkdown(markdown));
const value = (text: string | number) => `<qti-value>${escapeXml(String(text))}</qti-value>`;
const set = (identifier: string, expression: string) =>
  `<qti-set-outcome-value identifier="${identifier}">${expression}</qti-set-outcome-value>`;
const float = (x: number) => `<qti-base-value base-type="float">${x}</qti-base-value>`;
const RESPONSE = `<qti-variable identifier="RESPONSE"/>`;

/** An XML identifier (an NCName) for a Stackprep id, which may start with a digit. */
const identifier = (id: string) => (/^[A-Za-z_]/.test(id) ? id : `_${id}`);

type Parts = {
  declaration: string;
  interaction: string;
  /** The scoring rules; `template` when they are a standard template's. */
  scoring: string;
  template?: "match_correct" | "map_response";
  /** Per-choice feedback outcome: its cardinality, when any choice has feedback. */
  feedback?: "single" | "multiple";
};

const ifCorrect = (condition: string) =>
  `<qti-response-condition><qti-response-if>${condition}${set("SCORE", float(1))}</qti-response-if>` +
  `<qti-response-else>${set("SCORE", float(0))}</qti-response-else></qti-response-condition>`;
const MATCH = ifCorrect(`<qti-match>${RESPONSE}<qti-correct identifier="RESPONSE"/></qti-match>`);
const MAP = set("SCORE", `<qti-map-response identifier="RESPONSE"/>`);

function choiceParts(question: ParsedQuestion & { type: "single" | "multiple" }): Parts {
  const ids = question.options.map((_, index) => `C${index + 1}`);
  const weighted = question.type === "multiple" && question.options.some((option) => option.weight !== undefined);
  const correct = ids.filter((_, index) => question.options[index]?.correct).map(value);
  const mapping = weighted
    ? `<qti-mapping lower-bound="0" upper-bound="1" default-value="0">${question.options
        .map((option, index) => `<qti-map-entry map-key="${ids[index]}" mapped-value="${(option.weight ?? 0) / 100}"/>`)
        .join("")}</qti-mapping>`
    : "";
  const cardinality = question.type === "single" ? "single" : "multiple";
  const choices = question.options
    .map((option, index) => {
      const feedback = option.feedback
        ? `<qti-feedback-inline outcome-identifier="FEEDBACK" identifier="${ids[index]}" show-hide="show">${escapeXml(option.feedback)}</qti-feedback-inline>`
        : "";
      return `<qti-simple-choice identifier="${ids[index]}">${inline(option.text)}${feedback}</qti-simple-choice>`;
    })
    .join("\n      ");
  return {
    declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="${cardinality}" base-type="identifier"><qti-correct-response>${correct.join("")}</qti-correct-response>${mapping}</qti-response-declaration>`,
    interaction: `<qti-choice-interaction response-identifier="RESPONSE" shuffle="true" max-choices="${question.type === "single" ? 1 : 0}">\n      ${choices}\n    </qti-choice-interaction>`,
    scoring: weighted ? MAP : MATCH,
    template: weighted ? "map_response" : "match_correct",
    ...(question.options.some((option) => option.feedback) ? { feedback: cardinality } : {}),
  };
}

function parts(question: ParsedQuestion): Parts | undefined {
  switch (question.type) {
    case "single":
    case "multiple":
      return choiceParts(question);
    case "truefalse":
      return {
        declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response>${value(question.answer ? "TRUE" : "FALSE")}</qti-correct-response></qti-response-declaration>`,
        interaction: `<qti-choice-interaction response-identifier="RESPONSE" shuffle="false" max-choices="1"><qti-simple-choice identifier="TRUE">True</qti-simple-choice><qti-simple-choice identifier="FALSE">False</qti-simple-choice></qti-choice-interaction>`,
        scoring: MATCH,
        template: "match_correct",
      };
    case "short": {
      if (question.accept.length === 0) return undefined;
      const entries = question.accept
        .map(
          (text) =>
            `<qti-map-entry map-key="${escapeXml(text)}" mapped-value="1" case-sensitive="${question.caseSensitive}"/>`,
        )
        .join("");
      return {
        declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-correct-response>${value(question.accept[0] ?? "")}</qti-correct-response><qti-mapping lower-bound="0" upper-bound="1" default-value="0">${entries}</qti-mapping></qti-response-declaration>`,
        interaction: `<p><qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
        scoring: MAP,
        template: "map_response",
      };
    }
    case "numeric": {
      const equal = question.answers.map(
        (answer) =>
          `<qti-equal tolerance-mode="${answer.tolerance ? "absolute" : "exact"}"${answer.tolerance ? ` tolerance="${answer.tolerance} ${answer.tolerance}"` : ""}>${RESPONSE}${float(answer.value)}</qti-equal>`,
      );
      return {
        declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response>${value(question.answers[0]?.value ?? 0)}</qti-correct-response></qti-response-declaration>`,
        interaction: `<p><qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
        scoring: ifCorrect(equal.length === 1 ? (equal[0] ?? "") : `<qti-or>${equal.join("")}</qti-or>`),
      };
    }
    case "ordering": {
      const ids = question.items.map((_, index) => `I${index + 1}`);
      // Shown in an order other than the key's, for tools that do not shuffle.
      const shown = [...ids.slice(1), ids[0]!];
      const choices = shown
        .map(
          (id) =>
            `<qti-simple-choice identifier="${id}">${inline(question.items[Number(id.slice(1)) - 1] ?? "")}</qti-simple-choice>`,
        )
        .join("");
      return {
        declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="ordered" base-type="identifier"><qti-correct-response>${ids.map(value).join("")}</qti-correct-response></qti-response-declaration>`,
        interaction: `<qti-order-interaction response-identifier="RESPONSE" shuffle="true">${choices}</qti-order-interaction>`,
        scoring: MATCH,
        template: "match_correct",
      };
    }
    default:
      return undefined;
  }
}

function item(question: ParsedQuestion, p: Parts): string {
  const explanation = question.explanation.trim();
  const outcomes = [
    `<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"><qti-default-value>${value(0)}</qti-default-value></qti-outcome-declaration>`,
    ...(p.feedback
      ? [`<qti-outcome-declaration identifier="FEEDBACK" cardinality="${p.feedback}" base-type="identifier"/>`]
      : []),
    ...(explanation
      ? [`<qti-outcome-declaration identifier="FEEDBACKMODAL" cardinality="single" base-type="identifier"/>`]
      : []),
  ];
  const rules = [
    p.scoring,
    ...(p.feedback ? [set("FEEDBACK", RESPONSE)] : []),
    ...(explanation
      ? [set("FEEDBACKMODAL", `<qti-base-value base-type="identifier">EXPLANATION</qti-base-value>`)]
      : []),
  ];
  const template = p.template ? ` template="${TEMPLATES}/${p.template}.xml"` : "";
  const title = question.title ?? question.stem.replace(/\s+/g, " ").trim().slice(0, 80);
  return [
    `<qti-assessment-item xmlns="${QTI_NS}" identifier="${escapeXml(identifier(question.externalId))}" title="${escapeXml(title)}" adaptive="false" time-dependent="false">`,
    `  ${p.declaration}`,
    ...outcomes.map((outcome) => `  ${outcome}`),
    `  <qti-item-body>`,
    `    <div class="stem">${block(question.stem)}</div>`,
    `    ${p.interaction}`,
    `  </qti-item-body>`,
    `  <qti-response-processing${template}>${rules.join("")}</qti-response-processing>`,
    ...(explanation
      ? [
          `  <qti-modal-feedback outcome-identifier="FEEDBACKMODAL" identifier="EXPLANATION" show-hide="show"><qti-content-body>${block(explanation)}</qti-content-body></qti-modal-feedback>`,
        ]
      : []),
    `</qti-assessment-item>`,
  ].join("\n");
}

/** QTI 3.0 items for a bank, such that parseQti(exportQti(bank)) gives back the same questions. */
export function exportQti(bank: ParsedBank): string {
  const titles = new Map(bank.topics.map((topic) => [topic.path, topic.title]));
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- ${escapeXml(bank.title).replace(/--/g, "- -")} (${bank.slug}): QTI 3.0 assessment items exported by Stackprep, grouped by topic -->`,
    `<stackprep-qti xmlns="https://stackprep.invalid/ns/qti-items" bank="${escapeXml(bank.slug)}" title="${escapeXml(bank.title)}">`,
  ];
  let topic: string | undefined;
  for (const question of bank.questions) {
    const p = parts(question);
    const notes = [
      ...(question.type === "numeric" && question.unit
        ? [`its unit "${question.unit}" is left out: QTI has no place for it`]
        : []),
      ...(question.type === "short" && question.pattern ? ["its pattern is left out: QTI matches listed answers"] : []),
    ];
    if (question.topic !== topic) {
      if (topic !== undefined) lines.push(`</stackprep-topic>`);
      lines.push(
        `<stackprep-topic path="${escapeXml(question.topic)}" title="${escapeXml(titles.get(question.topic) ?? question.topic)}">`,
      );
      topic = question.topic;
    }
    const label = `${question.type} question ${question.externalId}`.replace(/--/g, "- -");
    if (!p) {
      lines.push(`<!-- ${label} cannot be expressed in QTI; left out -->`);
      continue;
    }
    for (const note of notes) lines.push(`<!-- ${label}: ${note.replace(/--/g, "- -")} -->`);
    lines.push(item(question, p));
  }
  if (topic !== undefined) lines.push(`</stackprep-topic>`);
  lines.push(`</stackprep-qti>`, "");
  return lines.join("\n");
}
