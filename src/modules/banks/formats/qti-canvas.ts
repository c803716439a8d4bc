// QTI 1.2 items as Canvas exports them (`questestinterop > assessment > section > item`): the
// type in the item's metadata (`question_type`), the stem and choices in `presentation`, the key
// in `resprocessing` (conditions that set SCORE to its maximum), feedback in `itemfeedback`.
import type { ChoiceOption, ParsedQuestion, QuestionBody } from "../model";
import { buildQuestion, NUMBER } from "./scan";
import { descendants, element, elements, itemId, textOf, type Element, type ItemContext } from "./qti-xml";
import { htmlToMarkdown } from "./moodle-xml";

const named = (name: string) => (node: Element) => node.name === name;

/** A `material` (or anything holding `mattext`) as Markdown: HTML when its texttype says so. */
function materialText(node: Element | undefined): string {
  return descendants(node, named("mattext"))
    .map((mattext) => {
      const text = textOf(mattext);
      return /html/i.test(mattext.attrs.texttype ?? "") ? htmlToMarkdown(text) : text.trim();
    })
    .filter((text) => text !== "")
    .join("\n\n");
}

function metadata(item: Element): Map<string, string> {
  const fields = descendants(element(item, "itemmetadata"), named("qtimetadatafield"));
  return new Map(
    fields.map((field) => [textOf(element(field, "fieldlabel")).trim(), textOf(element(field, "fieldentry")).trim()]),
  );
}

/** Conditions that give the full score, with the `varequal` values they require (not those under `not`). */
function scoringConditions(item: Element): Element[] {
  const conditions = descendants(element(item, "resprocessing"), named("respcondition"));
  const scores = conditions.map((condition) => {
    const set = elements(condition, "setvar").find((node) => (node.attrs.varname ?? "SCORE").toUpperCase() === "SCORE");
    return set && (set.attrs.action ?? "Set") === "Set" ? Number(textOf(set).trim()) : Number.NaN;
  });
  const full = Math.max(...scores.filter((score) => score > 0));
  return conditions.filter((_, index) => scores[index] === full);
}

const requiredValues = (condition: Element): string[] =>
  descendants(element(condition, "conditionvar"), named("varequal"))
    .filter((node) => !isUnderNot(condition, node))
    .map((node) => textOf(node).trim());

function isUnderNot(root: Element, target: Element): boolean {
  const walk = (node: Element, negated: boolean): boolean | undefined => {
    for (const child of elements(node)) {
      if (child === target) return negated;
      const found = walk(child, negated || child.name === "not");
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(root, false) ?? false;
}

/** Feedback shown for a choice: a condition on that choice alone that displays an `itemfeedback`. */
function choiceFeedback(item: Element): Map<string, string> {
  const feedback = new Map(elements(item, "itemfeedback").map((node) => [node.attrs.ident ?? "", materialText(node)]));
  const byChoice = new Map<string, string>();
  for (const condition of descendants(element(item, "resprocessing"), named("respcondition"))) {
    const values = requiredValues(condition);
    const shown = elements(condition, "displayfeedback").map((node) => feedback.get(node.attrs.linkrefid ?? "") ?? "");
    if (values.length === 1 && shown.some((text) => text !== ""))
      byChoice.set(values[0] ?? "", shown.filter((text) => text !== "").join("\n\n"));
  }
  return byChoice;
}

function readChoices(item: Element, context: ItemContext, type: string): QuestionBody | undefined {
  const labels = descendants(element(item, "presentation"), named("response_label")).map((label) => ({
    id: label.attrs.ident ?? "",
    text: materialText(label),
  }));
  if (labels.length < 2) return context.fail(`it has ${labels.length} answer(s); give at least two`);
  const conditions = scoringConditions(item);
  const correct = new Set(conditions.flatMap(requiredValues));
  const feedback = choiceFeedback(item);
  const option = (label: (typeof labels)[number]): ChoiceOption => {
    const note = feedback.get(label.id);
    return { text: label.text, correct: correct.has(label.id), ...(note ? { feedback: note } : {}) };
  };
  if (type === "true_false_question") {
    const right = labels.find((label) => correct.has(label.id))?.text.toLowerCase();
    if (right !== "true" && right !== "false") return context.fail(`it needs "True" or "False" as the correct answer`);
    return { type: "truefalse", answer: right === "true" };
  }
  if (type === "multiple_answers_question") {
    if (correct.size === 0) return context.fail("no answer is marked correct");
    return { type: "multiple", options: labels.map(option) };
  }
  if (correct.size !== 1)
    return context.fail(`a multiple-choice question needs exactly one correct answer, not ${correct.size}`);
  return { type: "single", options: labels.map(option) };
}

function readShort(item: Element, context: ItemContext): QuestionBody | undefined {
  const accept = [...new Set(scoringConditions(item).flatMap(requiredValues))].filter((text) => text !== "");
  if (accept.length === 0) return context.fail("it has no accepted answer");
  return { type: "short", accept, caseSensitive: false };
}

/** Decimal arithmetic's noise off (2.0999999999999996 is 2.1). */
const round = (x: number) => Number(x.toPrecision(12));

/** Canvas writes an exact answer as `varequal`, a margin as `vargte` with `varlte`, a range the same. */
function readNumerical(item: Element, context: ItemContext): QuestionBody | undefined {
  const answers: { value: number; tolerance: number }[] = [];
  for (const condition of scoringConditions(item)) {
    const number = (name: string) => {
      const text = textOf(descendants(condition, named(name))[0]).trim();
      return NUMBER.test(text) ? Number(text) : undefined;
    };
    const [exact, low, high] = [
      number("varequal"),
      number("vargte") ?? number("vargt"),
      number("varlte") ?? number("varlt"),
    ];
    if (low !== undefined && high !== undefined && high >= low) {
      const value = exact ?? round((low + high) / 2);
      answers.push({ value, tolerance: round(Math.max(value - low, high - value)) });
    } else if (exact !== undefined) answers.push({ value: exact, tolerance: 0 });
  }
  if (answers.length === 0) return context.fail("it has no numeric answer that gives full marks");
  return { type: "numeric", answers };
}

/** A Canvas QTI 1.2 item. */
export function readCanvasItem(item: Element, context: ItemContext): ParsedQuestion | undefined {
  const meta = metadata(item);
  const presentation = element(item, "presentation");
  const lid = descendants(presentation, named("response_lid"))[0];
  const type =
    meta.get("question_type") ??
    (lid
      ? lid.attrs.rcardinality === "Multiple"
        ? "multiple_answers_question"
        : "multiple_choice_question"
      : descendants(presentation, named("render_fib"))[0]?.attrs.fibtype === "Decimal"
        ? "numerical_question"
        : "short_answer_question");
  if (type === "text_only_question") return void context.warn("text-only items are not questions; skipped");
  const readers: Record<string, () => QuestionBody | undefined> = {
    multiple_choice_question: () => readChoices(item, context, type),
    multiple_answers_question: () => readChoices(item, context, type),
    true_false_question: () => readChoices(item, context, type),
    short_answer_question: () => readShort(item, context),
    numerical_question: () => readNumerical(item, context),
  };
  const read = readers[type];
  if (!read)
    return context.fail(
      `${type} items are not supported; Stackprep reads multiple_choice, multiple_answers, true_false, short_answer and numerical questions`,
    );
  const body = read();
  const stem = materialText(elements(presentation, "material")[0] ?? element(presentation, "flow"));
  if (stem === "") context.fail("its presentation has no question text");
  if (!body || stem === "") return undefined;
  const feedback = new Map(elements(item, "itemfeedback").map((node) => [node.attrs.ident ?? "", materialText(node)]));
  const explanation = feedback.get("general_fb") || feedback.get("correct_fb") || "";
  const title = (item.attrs.title ?? "").trim();
  const id = itemId(item.attrs.ident ?? "", context.options.slug);
  return buildQuestion(context.options, {
    body,
    stem,
    topic: context.topic,
    explanation,
    ...(title && title !== "Question" ? { title } : {}),
    ...(id ? { id } : {}),
    line: context.line,
    column: context.column,
  });
}
