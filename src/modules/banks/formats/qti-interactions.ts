// Reading one QTI interaction into the question model (pure): the response declaration's key
// and mapping, then the interaction's choices. qti.ts finds the items and their interactions.
import { shortAnswersOf, type ChoiceOption, type Gap, type NumericAnswer, type QuestionBody } from "../model";
import { NUMBER } from "./scan";
import { descendants, element, elements, markdownOf, textOf } from "./qti-xml";
import type { Child, Element, ItemContext } from "./qti-xml";

export const isFeedback = (node: Element) => node.name === "qti-feedback-inline" || node.name === "qti-feedback-block";

/** A rubric for those who mark (`view` lists "scorer"): never part of what candidates read. */
export const isScorerRubric = (node: Element) =>
  node.name === "qti-rubric-block" && (node.attrs.view ?? "").split(/\s+/).includes("scorer");

type Declaration = { cardinality: string; baseType: string; correct: string[]; mapping: Map<string, MapEntry> };
type MapEntry = { value: number; caseSensitive: boolean };

export function declarationOf(item: Element, identifier: string): Declaration | undefined {
  const node = elements(item, "qti-response-declaration").find((d) => d.attrs.identifier === identifier);
  if (!node) return undefined;
  const values = elements(element(node, "qti-correct-response"), "qti-value").map((v) => textOf(v).trim());
  const mapping = new Map<string, MapEntry>();
  for (const entry of elements(element(node, "qti-mapping"), "qti-map-entry"))
    mapping.set(entry.attrs["map-key"] ?? "", {
      value: Number(entry.attrs["mapped-value"] ?? "0"),
      caseSensitive: entry.attrs["case-sensitive"] !== "false",
    });
  return {
    cardinality: node.attrs.cardinality ?? "single",
    baseType: node.attrs["base-type"] ?? "",
    correct: values,
    mapping,
  };
}

export type Reader = ItemContext & { item: Element; interaction: Element; declaration: Declaration };

/** Percent weights from a mapping: each key's share of the full mark (the positive values' sum). */
function weightsOf(declaration: Declaration, ids: string[]): Map<string, number> | undefined {
  if (declaration.mapping.size === 0) return undefined;
  const full = ids.reduce((sum, id) => sum + Math.max(0, declaration.mapping.get(id)?.value ?? 0), 0);
  if (full <= 0) return undefined;
  const round = (x: number) => Math.max(-100, Math.min(100, Math.round(x * 1e4) / 1e4));
  return new Map(ids.map((id) => [id, round(((declaration.mapping.get(id)?.value ?? 0) / full) * 100)]));
}

function readChoice(reader: Reader, modal: Map<string, string>): QuestionBody | undefined {
  const { interaction, declaration, fail } = reader;
  const choices = elements(interaction, "qti-simple-choice").map((choice) => {
    const id = choice.attrs.identifier ?? "";
    const inline = elements(choice).filter(isFeedback);
    const feedback = inline.map((node) => markdownOf(node.children)).join("\n\n") || modal.get(id) || "";
    return { id, text: markdownOf(choice.children, isFeedback), feedback };
  });
  if (choices.length < 2) return fail(`its choice interaction has ${choices.length} choice(s); give at least two`);
  const empty = choices.findIndex((choice) => choice.text === "");
  if (empty >= 0) return fail(`choice ${empty + 1} has no text`);
  const weights = weightsOf(
    declaration,
    choices.map((choice) => choice.id),
  );
  const correct = new Set(
    declaration.correct.length > 0
      ? declaration.correct
      : [...(weights ?? [])].filter(([, weight]) => weight > 0).map(([id]) => id),
  );
  const unknown = [...correct].find((id) => !choices.some((choice) => choice.id === id));
  if (unknown !== undefined) return fail(`its correct response "${unknown}" names no choice`);
  const option = (choice: (typeof choices)[number]): ChoiceOption => ({
    text: choice.text,
    correct: correct.has(choice.id),
    ...(choice.feedback ? { feedback: choice.feedback } : {}),
  });
  const maxChoices = Number(interaction.attrs["max-choices"] ?? "1");
  if (declaration.cardinality === "single" || (declaration.cardinality !== "multiple" && maxChoices === 1)) {
    if (correct.size !== 1) return fail(`a single-choice item needs exactly one correct choice, not ${correct.size}`);
    const texts = choices.map((choice) => choice.text.toLowerCase()).sort();
    if (texts.join() === "false,true" && choices.every((choice) => !choice.feedback)) {
      const right = choices.find((choice) => correct.has(choice.id));
      return { type: "truefalse", answer: right?.text.toLowerCase() === "true" };
    }
    // A mapping that gives wrong choices part of the key's value: partial credit, as a share of it.
    const key = declaration.mapping.get([...correct][0] ?? "")?.value;
    const partial =
      key !== undefined &&
      key > 0 &&
      choices.some((c) => !correct.has(c.id) && (declaration.mapping.get(c.id)?.value ?? 0) !== 0);
    const share = (id: string) => Number((((declaration.mapping.get(id)?.value ?? 0) / key!) * 100).toFixed(5));
    return {
      type: "single",
      options: choices.map((choice) =>
        partial ? { ...option(choice), weight: correct.has(choice.id) ? 100 : share(choice.id) } : option(choice),
      ),
    };
  }
  if (correct.size === 0)
    return fail("it has no correct choice; give a <qti-correct-response> or a mapping with positive values");
  return {
    type: "multiple",
    options: choices.map((choice) => {
      const weight = weights?.get(choice.id);
      return weight === undefined ? option(choice) : { ...option(choice), weight };
    }),
  };
}

/**
 * The SCORE each branch of the response processing sets, by the `qti-equal`s of its condition:
 * a numeric item with part marks scores each group of values in its own branch.
 */
function branchScores(processing: Element | undefined): Map<Element, number> {
  const scores = new Map<Element, number>();
  const branches = descendants(processing, (n) => n.name === "qti-response-if" || n.name === "qti-response-else-if");
  for (const branch of branches) {
    const setter = elements(branch, "qti-set-outcome-value").find((n) => n.attrs.identifier === "SCORE");
    const score = Number(textOf(element(setter, "qti-base-value")).trim());
    if (!setter || !Number.isFinite(score)) continue;
    for (const equal of descendants(branch, (n) => n.name === "qti-equal")) scores.set(equal, score);
  }
  return scores;
}

/** `qti-equal` comparisons against a float in the response processing: values with their tolerance and weight. */
function toleranceAnswers(item: Element): NumericAnswer[] {
  const processing = element(item, "qti-response-processing");
  const scores = branchScores(processing);
  const top = Math.max(0, ...scores.values());
  const weightOf = (equal: Element) => {
    const score = scores.get(equal);
    return score === undefined || top <= 0 || score >= top
      ? {}
      : { weight: Number(((Math.max(0, score) / top) * 100).toFixed(5)) };
  };
  return descendants(processing, (node) => node.name === "qti-equal").flatMap((equal) => {
    const base = element(equal, "qti-base-value");
    const value = Number(textOf(base).trim());
    if (!base || !Number.isFinite(value)) return [];
    const mode = equal.attrs["tolerance-mode"] ?? "exact";
    const [low] = (equal.attrs.tolerance ?? "0").trim().split(/\s+/).map(Number);
    const amount = mode === "exact" || !Number.isFinite(low) ? 0 : (low ?? 0);
    return [{ value, tolerance: mode === "relative" ? Math.abs((value * amount) / 100) : amount, ...weightOf(equal) }];
  });
}

function readTextEntry(reader: Reader): QuestionBody | undefined {
  const { declaration, item, fail } = reader;
  if (declaration.baseType === "float" || declaration.baseType === "integer") {
    const compared = toleranceAnswers(item);
    const written = declaration.correct.filter((value) => NUMBER.test(value)).map(Number);
    const answers = compared.length > 0 ? compared : written.map((value) => ({ value, tolerance: 0 }));
    if (answers.length === 0) return fail("its numeric response has no correct value; give <qti-correct-response>");
    return { type: "numeric", answers };
  }
  const mapped = [...declaration.mapping].filter(([, entry]) => entry.value > 0);
  const full = Math.max(0, ...mapped.map(([, entry]) => entry.value));
  const accept = [
    ...new Set([...declaration.correct, ...mapped.filter(([, entry]) => entry.value >= full).map(([key]) => key)]),
  ].filter((text) => text.trim() !== "");
  if (accept.length === 0)
    return fail("its text entry has no correct response; give <qti-correct-response> or a mapping");
  // match_correct compares exactly; a mapping says per entry (case-sensitive="false").
  const caseSensitive = mapped.length === 0 || mapped.some(([, entry]) => entry.caseSensitive);
  // Entries worth less than the most: partial credit, each a share of the full value.
  const partial = mapped.filter(([key, entry]) => entry.value < full && !accept.includes(key) && key.trim() !== "");
  if (partial.length === 0) return { type: "short", accept, caseSensitive };
  // In the mapping's order, after any right response the mapping does not hold.
  const weighted = [
    ...accept.filter((text) => !declaration.mapping.has(text)).map((text) => ({ text, weight: 100 })),
    ...mapped
      .filter(([text]) => text.trim() !== "")
      .map(([text, entry]) => ({
        text,
        weight: entry.value >= full ? 100 : Number(((entry.value / full) * 100).toFixed(5)),
      })),
  ];
  return { type: "short", ...shortAnswersOf(weighted), caseSensitive };
}

function readOrder({ interaction, declaration, fail }: Reader): QuestionBody | undefined {
  const choices = new Map(
    elements(interaction, "qti-simple-choice").map((choice) => [
      choice.attrs.identifier ?? "",
      markdownOf(choice.children, isFeedback),
    ]),
  );
  if (choices.size < 3) return fail(`its order interaction has ${choices.size} choice(s); give at least three`);
  if (declaration.correct.length !== choices.size || declaration.correct.some((id) => !choices.has(id)))
    return fail("its correct response must list every choice once, in the right order");
  return { type: "ordering", items: declaration.correct.map((id) => choices.get(id) ?? "") };
}

/** The pairs a directed-pair response names: its correct response, else the mapping's positive entries. */
function directedPairs(declaration: Declaration): { pairs: [string, string][]; shares: number[] } {
  const positive = [...declaration.mapping].filter(([, entry]) => entry.value > 0);
  const written = declaration.correct.length > 0 ? declaration.correct : positive.map(([key]) => key);
  const pairs = written.map((text) => text.trim().split(/\s+/) as [string, string]);
  return { pairs: pairs.filter((pair) => pair.length === 2), shares: positive.map(([, entry]) => entry.value) };
}

/** A match interaction: the first set's choices are the prompts, the second's the answers; answers no pair takes are distractors. */
function readMatch({ interaction, declaration, fail, warn }: Reader): QuestionBody | undefined {
  const sets = elements(interaction, "qti-simple-match-set");
  if (sets.length !== 2) return fail(`its match interaction has ${sets.length} match sets; give two`);
  const choicesOf = (set: Element | undefined) =>
    elements(set, "qti-simple-associable-choice").map((choice) => ({
      id: choice.attrs.identifier ?? "",
      text: markdownOf(choice.children, isFeedback),
    }));
  const [prompts, answers] = [choicesOf(sets[0]), choicesOf(sets[1])];
  const { pairs: chosen, shares } = directedPairs(declaration);
  const answerText = new Map(answers.map((answer) => [answer.id, answer.text]));
  const pairs: { prompt: string; match: string }[] = [];
  for (const [k, prompt] of prompts.entries()) {
    const matches = chosen.filter(([from]) => from === prompt.id).map(([, to]) => answerText.get(to));
    if (matches.length !== 1 || matches[0] === undefined)
      return fail(
        `its prompt ${k + 1} ("${prompt.text}") needs exactly one correct answer in the second set, not ${matches.length}`,
      );
    if (prompt.text === "") return fail(`its prompt ${k + 1} has no text`);
    pairs.push({ prompt: prompt.text, match: matches[0] });
  }
  if (pairs.length < 2) return fail(`it has ${pairs.length} prompt(s); a matching question needs at least two`);
  if (new Set(pairs.map((pair) => pair.match.trim())).size < 2)
    return fail("every prompt has the same answer; give at least two different answers");
  if (new Set(shares).size > 1) warn("pairs of different worth are scored alike by Stackprep: one share each");
  const taken = new Set(pairs.map((pair) => pair.match.trim()));
  const distractors = answers.map((answer) => answer.text).filter((text) => text !== "" && !taken.has(text.trim()));
  return { type: "matching", pairs, distractors };
}

/** An extended text (an essay): what the scorers' rubric blocks say is the model answer. */
function readEssay({ item, warn }: Reader): QuestionBody {
  const body = element(item, "qti-item-body");
  const modelAnswer = descendants(body, isScorerRubric)
    .map((rubric) => markdownOf(rubric.children))
    .filter((text) => text !== "")
    .join("\n\n");
  if (modelAnswer === "")
    warn('it has no <qti-rubric-block view="scorer">; the essay is imported without a model answer');
  return { type: "essay", modelAnswer };
}

export const READERS: Record<string, (reader: Reader, modal: Map<string, string>) => QuestionBody | undefined> = {
  "qti-choice-interaction": readChoice,
  "qti-text-entry-interaction": readTextEntry,
  "qti-order-interaction": readOrder,
  "qti-match-interaction": readMatch,
  "qti-extended-text-interaction": readEssay,
};

const GAP_INTERACTIONS = new Set(["qti-inline-choice-interaction", "qti-text-entry-interaction"]);

/** Whether non-blank text or another element follows `target` inside the element that holds it. */
function textAfter(root: Element | undefined, target: Element): boolean {
  const holder = descendants(root, (node) => node.children.includes(target))[0] ?? root;
  const after = holder?.children.slice((holder?.children.indexOf(target) ?? 0) + 1) ?? [];
  return after.some((child) => (typeof child === "string" ? child.trim() !== "" : !isFeedback(child)));
}

/**
 * Whether the interactions are the blanks of a gap question: inline choices and text entries
 * only, and an inline choice, more than one, a text entry with text after it, or Stackprep's
 * mark (class "stackprep-gap"). A lone text entry at the end of its text is a short answer.
 */
export function isGapItem(body: Element | undefined, interactions: Element[]): boolean {
  if (interactions.length === 0 || !interactions.every((node) => GAP_INTERACTIONS.has(node.name))) return false;
  return (
    interactions.length > 1 ||
    interactions.some(
      (node) =>
        node.name === "qti-inline-choice-interaction" ||
        (node.attrs.class ?? "").split(/\s+/).includes("stackprep-gap") ||
        textAfter(body, node),
    )
  );
}

/** A blank: an inline choice's options with the key and feedback, or a text entry's accepted texts. */
function readBlank(reader: Reader, n: number, modal: Map<string, string>): Gap | undefined {
  const { interaction, declaration, fail } = reader;
  if (interaction.name === "qti-text-entry-interaction") {
    const text = readTextEntry(reader);
    if (!text) return undefined;
    if (text.type !== "short") return fail(`blank ${n} is numeric; Stackprep's blanks take text or a choice`);
    return { kind: "text", accept: text.accept, caseSensitive: text.caseSensitive };
  }
  const options = elements(interaction, "qti-inline-choice").map((choice) => ({
    id: choice.attrs.identifier ?? "",
    text: markdownOf(choice.children, isFeedback),
  }));
  const weights = weightsOf(
    declaration,
    options.map((option) => option.id),
  );
  const correct = new Set(
    declaration.correct.length > 0
      ? declaration.correct
      : [...(weights ?? [])].filter(([, weight]) => weight >= 100).map(([id]) => id),
  );
  const right = options.filter((option) => correct.has(option.id)).length;
  if (options.length < 2 || right !== 1)
    return fail(
      `blank ${n} needs at least two choices, exactly one of them correct (found ${right} of ${options.length})`,
    );
  if (options.some((option) => option.text === "")) return fail(`a choice of blank ${n} has no text`);
  return {
    kind: "choice",
    options: options.map((option) => {
      const feedback = modal.get(option.id);
      return { text: option.text, correct: correct.has(option.id), ...(feedback ? { feedback } : {}) };
    }),
  };
}

/** The body's children with each blank's interaction replaced by its marker `[[n]]`. */
export function withMarkers(children: Child[], blanks: Element[]): Child[] {
  return children.map((child) => {
    if (typeof child === "string") return child;
    const n = blanks.indexOf(child);
    if (n >= 0) return `[[${n + 1}]]`;
    return { ...child, children: withMarkers(child.children, blanks) };
  });
}

export function readGapItem(context: ItemContext, item: Element, blanks: Element[], modal: Map<string, string>) {
  const gaps: Gap[] = [];
  for (const [k, interaction] of blanks.entries()) {
    const declaration = declarationOf(item, interaction.attrs["response-identifier"] ?? "");
    if (!declaration)
      return context.fail(
        `no <qti-response-declaration> has the identifier "${interaction.attrs["response-identifier"] ?? ""}"`,
      );
    const gap = readBlank({ ...context, item, interaction, declaration }, k + 1, modal);
    if (!gap) return undefined;
    gaps.push(gap);
  }
  if (gaps.length > 10) return context.fail(`it has ${gaps.length} blanks; Stackprep takes at most 10`);
  return { type: "gap" as const, gaps };
}
