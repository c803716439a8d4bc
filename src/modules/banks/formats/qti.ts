// QTI items (1EdTech): QTI 3.0 `qti-assessment-item`, QTI 2.1 `assessmentItem` (read as 3.0
// spells it) and the QTI 1.2 `questestinterop` that Canvas exports (qti-canvas.ts). One XML
// file: a single item, or any document holding items (Stackprep's export wraps them in one
// root). Content packages (zip) are not read: the project has no zip reader.
// As for Moodle XML, a DOCTYPE is refused and no entity beyond the predefined ones expands.
import { xmlReadable } from "./xml-guard";
import type { ParseOptions, ParseResult, ParsedQuestion } from "../model";
import { deriveExternalId, normaliseTopicPath } from "./ids";
import { buildQuestion, createIssues, finishBank, isFull, labelOf, lineLocator, MAX_QUESTIONS } from "./scan";
import { normaliseText, type Issues } from "./scan";
import { readCanvasItem } from "./qti-canvas";
import { descendants, element, elements, itemId, markdownOf, parseTree, textOf } from "./qti-xml";
import type { Element, ItemContext } from "./qti-xml";
import {
  declarationOf,
  isFeedback,
  isGapItem,
  isScorerRubric,
  READERS,
  readGapItem,
  withMarkers,
} from "./qti-interactions";

/** The QTI versions this reader knows, by their item element. */
const ITEM_NAMES = /<(?:[\w-]+:)?(qti-assessment-item|assessmentItem|questestinterop)\b/;

const INTERACTIONS = new Set([
  "qti-choice-interaction",
  "qti-text-entry-interaction",
  "qti-order-interaction",
  "qti-extended-text-interaction",
  "qti-match-interaction",
  "qti-associate-interaction",
  "qti-gap-match-interaction",
  "qti-inline-choice-interaction",
  "qti-hottext-interaction",
  "qti-hotspot-interaction",
  "qti-slider-interaction",
  "qti-upload-interaction",
  "qti-drawing-interaction",
  "qti-graphic-order-interaction",
  "qti-select-point-interaction",
  "qti-media-interaction",
  "qti-position-object-interaction",
  "qti-custom-interaction",
  "qti-portable-custom-interaction",
]);
const isInteraction = (node: Element) => INTERACTIONS.has(node.name);
/** A QTI 3.0 (or renamed 2.1) item. */
function readItem(item: Element, context: ItemContext): ParsedQuestion | undefined {
  const { fail, warn, options } = context;
  const body = element(item, "qti-item-body");
  const interactions = descendants(body, isInteraction);
  if (interactions.length === 0) return void warn("it has no interaction (a text for the items after it); skipped");
  const gap = isGapItem(body, interactions);
  const [interaction] = interactions;
  if (!gap && (!interaction || interactions.length > 1))
    return fail(`it has ${interactions.length} interactions; Stackprep imports items with one (or blanks in the text)`);
  const read = gap ? undefined : READERS[interaction!.name];
  if (!gap && !read)
    return fail(
      `<${interaction!.name}> items are not supported; Stackprep reads choice, text entry, extended text, order, match and inline choice interactions`,
    );
  const declaration = declarationOf(item, interaction!.attrs["response-identifier"] ?? "");
  if (!gap && !declaration)
    return fail(
      `no <qti-response-declaration> has the identifier "${interaction!.attrs["response-identifier"] ?? ""}"`,
    );
  // Modal feedback keyed by a choice's identifier is that choice's; the rest is the explanation.
  const choiceIds = new Set(
    descendants(body, (node) => node.name === "qti-simple-choice" || node.name === "qti-inline-choice").map(
      (choice) => choice.attrs.identifier ?? "",
    ),
  );
  const modal = new Map<string, string>();
  const explanation: string[] = [];
  for (const feedback of elements(item, "qti-modal-feedback")) {
    const text = markdownOf(feedback.children);
    if (choiceIds.has(feedback.attrs.identifier ?? "")) modal.set(feedback.attrs.identifier ?? "", text);
    else if (text) explanation.push(text);
  }
  for (const block of descendants(body, (node) => node.name === "qti-feedback-block"))
    explanation.push(markdownOf(block.children));
  const question = gap
    ? readGapItem(context, item, interactions, modal)
    : read!({ ...context, item, interaction: interaction!, declaration: declaration! }, modal);
  const prompt = markdownOf(element(interaction, "qti-prompt")?.children ?? []);
  // Feedback and the scorers' rubric (an essay's model answer) are never part of the stem.
  const hidden = (node: Element) => isFeedback(node) || isScorerRubric(node);
  const stem = gap
    ? markdownOf(withMarkers(body?.children ?? [], interactions), hidden)
    : [markdownOf(body?.children ?? [], (node) => isInteraction(node) || hidden(node)), prompt]
        .filter((part) => part !== "")
        .join("\n\n");
  if (stem === "") fail("its item body has no text; write the question");
  if (!question || stem === "") return undefined;
  // QTI requires a title; one that only repeats the start of the stem (Stackprep's export of an untitled question) is none.
  const written = (item.attrs.title ?? "").trim();
  const title = written === stem.replace(/\s+/g, " ").trim().slice(0, 80) ? "" : written;
  const id = itemId(item.attrs.identifier ?? "", options.slug);
  return buildQuestion(options, {
    body: question,
    stem,
    topic: context.topic,
    explanation: explanation.filter((text) => text !== "").join("\n\n"),
    ...(title ? { title } : {}),
    ...(id ? { id } : {}),
    line: context.line,
    column: context.column,
  });
}

/** How a refused item is named in the list of what will not import. */
function rejection(item: Element, options: ParseOptions, at: { topic: string; line: number; column: number }) {
  const title = (item.attrs.title ?? "").trim();
  const stem = textOf(element(item, "qti-item-body") ?? element(item, "presentation")).trim();
  const id =
    itemId(item.attrs.identifier ?? item.attrs.ident ?? "", options.slug) ??
    (stem ? deriveExternalId(options.slug, at.topic, stem) : undefined);
  const position = { file: options.file, line: at.line, column: at.column };
  const label = labelOf(stem, title) || "QTI item";
  return id ? { position, label, externalId: id } : { position, label };
}

/** Items in document order, each with the topic Stackprep's export wrote around it. */
function itemsOf(roots: Element[], options: ParseOptions, topicTitles: Map<string, string>) {
  const found: { item: Element; topic: string; canvas: boolean }[] = [];
  const walk = (node: Element, topic: string, canvas: boolean) => {
    if (node.name === "qti-assessment-item") return void found.push({ item: node, topic, canvas: false });
    if (canvas && node.name === "item") return void found.push({ item: node, topic, canvas: true });
    const path = node.name === "stackprep-topic" ? normaliseTopicPath(node.attrs.path ?? "") : null;
    if (path) topicTitles.set(path.path, node.attrs.title?.trim() || path.title);
    for (const child of elements(node)) walk(child, path?.path ?? topic, canvas || node.name === "questestinterop");
  };
  for (const root of roots) walk(root, options.defaultTopic, false);
  return found;
}

function fileError(issues: Issues, source: string, offset: number, message: string) {
  const { line, column } = lineLocator(source)(offset);
  issues.error(line, column, message);
}

export function parseQti(text: string, options: ParseOptions): ParseResult {
  const issues = createIssues(options.file);
  const source = normaliseText(text);
  if (!xmlReadable(source, issues)) return finishBank(options, [], issues);
  const version = ITEM_NAMES.exec(source)?.[1];
  if (!version) {
    issues.error(
      1,
      1,
      "no QTI item found: expected <qti-assessment-item> (QTI 3.0), <assessmentItem> (QTI 2.1) or <questestinterop> (QTI 1.2)",
    );
    return finishBank(options, [], issues);
  }
  const tooMany = [...source.matchAll(/<(?:[\w-]+:)?(?:qti-assessment-item|assessmentItem|item)\b(?=[\s/>])/g)][
    MAX_QUESTIONS
  ];
  if (tooMany) {
    const message = `the file holds more than ${MAX_QUESTIONS.toLocaleString("en")} questions, the most one file may hold (reading stopped at this one); split it into several files`;
    fileError(issues, source, tooMany.index, message);
    return finishBank(options, [], issues);
  }
  const locate = lineLocator(source);
  const questions: ParsedQuestion[] = [];
  const topicTitles = new Map<string, string>();
  for (const { item, topic, canvas } of itemsOf(
    parseTree(source, version === "assessmentItem"),
    options,
    topicTitles,
  )) {
    const { line, column } = locate(item.start);
    const what = `the QTI item${item.attrs.identifier || item.attrs.ident ? ` "${item.attrs.identifier ?? item.attrs.ident}"` : ""} on line ${line}`;
    const context: ItemContext = {
      options,
      topic,
      line,
      column,
      fail: (message) => void issues.error(line, column, `${what}: ${message}`),
      warn: (message) => issues.warn(line, column, `${what}: ${message}`),
    };
    const mark = issues.mark();
    const parsed = canvas ? readCanvasItem(item, context) : readItem(item, context);
    if (!issues.settle(mark, rejection(item, options, { topic, line, column })) && parsed) questions.push(parsed);
    if (isFull(questions)) break;
  }
  return finishBank(options, questions, issues, topicTitles);
}
