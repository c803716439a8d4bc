// A bank as QTI 3.0 items (pure): one `qti-assessment-item` per question, each complete with
// its namespace, in one XML file whose root (`stackprep-qti`, not a QTI element) groups them by
// topic. parseQti reads the file back to the same questions; another tool takes the items.
// Choice, true/false, short text, numeric, ordering, matching (`qti-match-interaction`, one
// point share per pair) and gap questions (each blank a `qti-inline-choice-interaction` or a
// `qti-text-entry-interaction` inside the stem) are expressible, and essays: a
// `qti-extended-text-interaction` with no scoring (a person marks it), the model answer in a
// `qti-rubric-block` for scorers, never shown to candidates. SQL exercises are not, and are
// named in a comment.
import { renderInlineMarkdown, renderMarkdown } from "../markdown";
import {
  GAP_MARKER,
  matchChoices,
  numericWeight,
  singleHasPartialCredit,
  type NumericAnswer,
  type ParsedBank,
  type ParsedQuestion,
} from "../model";
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
  /** The item body's stem, when the interactions stand inside it (gap questions). */
  stem?: string;
  /** The scoring rules (none for an essay); `template` when they are a standard template's. */
  scoring: string;
  template?: "match_correct" | "map_response";
  /** Per-choice feedback outcome: its cardinality, when any choice has feedback. */
  feedback?: "single" | "multiple";
  /** What the FEEDBACK outcome is set to (default: the response). */
  feedbackValue?: string;
  /** Feedback per choice shown by its identifier after the response (gap options, which hold no inline feedback). */
  modal?: { identifier: string; text: string }[];
};

const ifCorrect = (condition: string) =>
  `<qti-response-condition><qti-response-if>${condition}${set("SCORE", float(1))}</qti-response-if>` +
  `<qti-response-else>${set("SCORE", float(0))}</qti-response-else></qti-response-condition>`;
const MATCH = ifCorrect(`<qti-match>${RESPONSE}<qti-correct identifier="RESPONSE"/></qti-match>`);
const MAP = set("SCORE", `<qti-map-response identifier="RESPONSE"/>`);

function choiceParts(question: ParsedQuestion & { type: "single" | "multiple" }): Parts {
  const ids = question.options.map((_, index) => `C${index + 1}`);
  // Weights as a mapping: multiple response's, or single choice's partial credit (each option's share).
  const weighted =
    question.type === "multiple"
      ? question.options.some((option) => option.weight !== undefined)
      : singleHasPartialCredit(question.options);
  const correct = ids.filter((_, index) => question.options[index]?.correct).map(value);
  const mapping = weighted
    ? `<qti-mapping lower-bound="0" upper-bound="1" default-value="0">${question.options
        .map((option, index) => {
          const weight = option.weight ?? (question.type === "single" && option.correct ? 100 : 0);
          return `<qti-map-entry map-key="${ids[index]}" mapped-value="${weight / 100}"/>`;
        })
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

const mapping = (entries: string) =>
  `<qti-mapping lower-bound="0" upper-bound="1" default-value="0">${entries}</qti-mapping>`;

/**
 * Matching: prompts (P1...) and answers (A1..., each once) as two match sets; the response
 * is the set of directed pairs "P A", each right pair worth an equal share of the point.
 */
function matchingParts(question: ParsedQuestion & { type: "matching" }): Parts {
  const answers = matchChoices(question);
  const answerId = new Map(answers.map((text, k) => [text.trim(), `A${k + 1}`]));
  const pairs = question.pairs.map((pair, i) => `P${i + 1} ${answerId.get(pair.match.trim()) ?? ""}`);
  const share = Number((1 / pairs.length).toFixed(6));
  const entries = pairs.map((pair) => `<qti-map-entry map-key="${pair}" mapped-value="${share}"/>`).join("");
  const prompts = question.pairs
    .map(
      (pair, i) =>
        `<qti-simple-associable-choice identifier="P${i + 1}" match-max="1">${inline(pair.prompt)}</qti-simple-associable-choice>`,
    )
    .join("");
  const targets = answers
    .map(
      (text, k) =>
        `<qti-simple-associable-choice identifier="A${k + 1}" match-max="${question.pairs.length}">${inline(text)}</qti-simple-associable-choice>`,
    )
    .join("");
  return {
    declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair"><qti-correct-response>${pairs.map(value).join("")}</qti-correct-response>${mapping(entries)}</qti-response-declaration>`,
    interaction: `<qti-match-interaction response-identifier="RESPONSE" shuffle="true" max-associations="${pairs.length}">\n      <qti-simple-match-set>${prompts}</qti-simple-match-set>\n      <qti-simple-match-set>${targets}</qti-simple-match-set>\n    </qti-match-interaction>`,
    scoring: MAP,
    template: "map_response",
  };
}

/**
 * Gap: blank n is RESPONSE_n, an inline choice (options GnC1...) or a text entry, where its
 * marker stands in the stem; each right blank is worth an equal share of the point.
 */
function gapParts(question: ParsedQuestion & { type: "gap" }): Parts {
  const count = question.gaps.length;
  const declarations: string[] = [];
  const modal: { identifier: string; text: string }[] = [];
  const controls = question.gaps.map((gap, i) => {
    const response = `RESPONSE_${i + 1}`;
    if (gap.kind === "text") {
      const entries = gap.accept
        .map(
          (text) =>
            `<qti-map-entry map-key="${escapeXml(text)}" mapped-value="1" case-sensitive="${gap.caseSensitive}"/>`,
        )
        .join("");
      declarations.push(
        `<qti-response-declaration identifier="${response}" cardinality="single" base-type="string"><qti-correct-response>${value(gap.accept[0] ?? "")}</qti-correct-response>${mapping(entries)}</qti-response-declaration>`,
      );
      return `<qti-text-entry-interaction class="stackprep-gap" response-identifier="${response}"/>`;
    }
    const ids = gap.options.map((_, k) => `G${i + 1}C${k + 1}`);
    const right = ids.find((_, k) => gap.options[k]?.correct) ?? "";
    declarations.push(
      `<qti-response-declaration identifier="${response}" cardinality="single" base-type="identifier"><qti-correct-response>${value(right)}</qti-correct-response>${mapping(`<qti-map-entry map-key="${right}" mapped-value="1"/>`)}</qti-response-declaration>`,
    );
    gap.options.forEach((option, k) => {
      if (option.feedback) modal.push({ identifier: ids[k]!, text: option.feedback });
    });
    const choices = gap.options
      .map((option, k) => `<qti-inline-choice identifier="${ids[k]}">${inline(option.text)}</qti-inline-choice>`)
      .join("");
    return `<qti-inline-choice-interaction class="stackprep-gap" response-identifier="${response}" shuffle="true">${choices}</qti-inline-choice-interaction>`;
  });
  const sum = question.gaps.map((_, i) => `<qti-map-response identifier="RESPONSE_${i + 1}"/>`).join("");
  const choiceResponses = question.gaps.flatMap((gap, i) =>
    gap.kind === "choice" ? [`<qti-variable identifier="RESPONSE_${i + 1}"/>`] : [],
  );
  return {
    declaration: declarations.join("\n  "),
    interaction: "",
    stem: block(question.stem).replace(GAP_MARKER, (whole, n: string) => controls[Number(n) - 1] ?? whole),
    scoring: set("SCORE", `<qti-divide><qti-sum>${sum}</qti-sum>${float(count)}</qti-divide>`),
    ...(modal.length
      ? {
          feedback: "multiple" as const,
          feedbackValue: `<qti-multiple>${choiceResponses.join("")}</qti-multiple>`,
          modal,
        }
      : {}),
  };
}

/**
 * Essay: free text, never scored here (no correct response: there is none to match); the model
 * answer is a rubric for those who mark it (`view="scorer"`), which delivery hides from candidates.
 */
function essayParts(question: ParsedQuestion & { type: "essay" }): Parts {
  const model = question.modelAnswer.trim();
  const rubric = model
    ? `\n    <qti-rubric-block use="scoring" view="scorer"><qti-content-body>${block(model)}</qti-content-body></qti-rubric-block>`
    : "";
  return {
    declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>`,
    interaction: `<qti-extended-text-interaction response-identifier="RESPONSE" expected-lines="15"/>${rubric}`,
    scoring: "",
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
      // Partial credit as the mapping's values: an answer's share of the point.
      const answers = (question.weighted ?? question.accept.map((text) => ({ text, weight: 100 }))).filter(
        (a) => a.weight > 0,
      );
      const entries = answers
        .map(
          (a) =>
            `<qti-map-entry map-key="${escapeXml(a.text)}" mapped-value="${Number((a.weight / 100).toFixed(6))}" case-sensitive="${question.caseSensitive}"/>`,
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
      const equal = (answer: NumericAnswer) =>
        `<qti-equal tolerance-mode="${answer.tolerance ? "absolute" : "exact"}"${answer.tolerance ? ` tolerance="${answer.tolerance} ${answer.tolerance}"` : ""}>${RESPONSE}${float(answer.value)}</qti-equal>`;
      const full = question.answers.filter((answer) => numericWeight(answer) >= 100);
      return {
        declaration: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response>${value(full[0]?.value ?? 0)}</qti-correct-response></qti-response-declaration>`,
        interaction: `<p><qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
        scoring: numericScoring(question.answers, equal),
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
    case "matching":
      return matchingParts(question);
    case "gap":
      return gapParts(question);
    case "essay":
      return essayParts(question);
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
    ...(p.feedback ? [set("FEEDBACK", p.feedbackValue ?? RESPONSE)] : []),
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
    `    <div class="stem">${p.stem ?? block(question.stem)}</div>`,
    ...(p.interaction ? [`    ${p.interaction}`] : []),
    `  </qti-item-body>`,
    ...(rules.some(Boolean)
      ? [`  <qti-response-processing${template}>${rules.join("")}</qti-response-processing>`]
      : []),
    ...(p.modal ?? []).map(
      (m) =>
        `  <qti-modal-feedback outcome-identifier="FEEDBACK" identifier="${m.identifier}" show-hide="show"><qti-content-body>${escapeXml(m.text)}</qti-content-body></qti-modal-feedback>`,
    ),
    ...(explanation
      ? [
          `  <qti-modal-feedback outcome-identifier="FEEDBACKMODAL" identifier="EXPLANATION" show-hide="show"><qti-content-body>${block(explanation)}</qti-content-body></qti-modal-feedback>`,
        ]
      : []),
    `</qti-assessment-item>`,
  ].join("\n");
}

/** QTI 3.0 items for a bank, such that parseQti(exportQti(bank)) gives back the same questions. */
/**
 * A numeric item's scoring: the first branch whose comparisons hold sets SCORE, from the
 * highest weight down (full marks 1, a part mark its share), so the best covering answer counts.
 */
function numericScoring(answers: NumericAnswer[], equal: (answer: NumericAnswer) => string): string {
  const weights = [...new Set(answers.map(numericWeight).filter((w) => w > 0))].sort((a, b) => b - a);
  const branches = weights.map((weight, k) => {
    const tests = answers.filter((answer) => numericWeight(answer) === weight).map(equal);
    const condition = tests.length === 1 ? tests[0]! : `<qti-or>${tests.join("")}</qti-or>`;
    const tag = k === 0 ? "qti-response-if" : "qti-response-else-if";
    return `<${tag}>${condition}${set("SCORE", float(Number((weight / 100).toFixed(6))))}</${tag}>`;
  });
  return `<qti-response-condition>${branches.join("")}<qti-response-else>${set("SCORE", float(0))}</qti-response-else></qti-response-condition>`;
}

/**
 * What of a short or numeric question's per-answer feedback the item cannot carry: a text
 * entry's mapping holds short answers' weights and a numeric item's branches its part marks,
 * but neither holds feedback per typed answer.
 */
function typedLeftOut(question: ParsedQuestion): string[] {
  if (question.type !== "short" && question.type !== "numeric") return [];
  const feedback =
    question.type === "short"
      ? (question.weighted ?? []).some((a) => a.feedback)
      : question.answers.some((a) => a.feedback);
  return feedback || question.otherFeedback
    ? ["its per-answer feedback is left out: QTI has no place for it here"]
    : [];
}

export function exportQti(bank: ParsedBank, leftOut?: (question: ParsedQuestion) => void): string {
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
      ...typedLeftOut(question),
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
      leftOut?.(question);
      continue;
    }
    for (const note of notes) lines.push(`<!-- ${label}: ${note.replace(/--/g, "- -")} -->`);
    lines.push(item(question, p));
  }
  if (topic !== undefined) lines.push(`</stackprep-topic>`);
  lines.push(`</stackprep-qti>`, "");
  return lines.join("\n");
}
