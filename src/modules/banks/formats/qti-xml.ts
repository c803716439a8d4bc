// The XML tree the QTI readers walk (pure): elements in document order with their offsets,
// names without namespace prefixes, QTI 2.1's camelCase names in QTI 3.0's spelling.
import { XMLParser } from "fast-xml-parser";
import type { ParseOptions } from "../model";
import { ID_PATTERN, slugifySegment } from "./ids";
import { htmlToMarkdown } from "./moodle-xml";

export type Element = { name: string; attrs: Record<string, string>; children: Child[]; start: number };
export type Child = Element | string;

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const fromCode = (code: number) => (code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD");

/** The five predefined entities and character references; anything else stays as written. */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return fromCode(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return fromCode(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/** Text for XML content and attribute values. */
export const escapeXml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/**
 * QTI 2.1 elements as QTI 3.0 names them (`choiceInteraction` -> `qti-choice-interaction`);
 * HTML inside item bodies keeps its names.
 */
const QTI21 = new Set(
  (
    "assessmentItem responseDeclaration outcomeDeclaration templateDeclaration correctResponse value mapping " +
    "mapEntry areaMapping defaultValue itemBody choiceInteraction simpleChoice prompt textEntryInteraction " +
    "extendedTextInteraction orderInteraction matchInteraction associateInteraction gapMatchInteraction " +
    "inlineChoiceInteraction hottextInteraction hotspotInteraction sliderInteraction uploadInteraction " +
    "drawingInteraction graphicOrderInteraction selectPointInteraction mediaInteraction positionObjectInteraction " +
    "customInteraction endAttemptInteraction feedbackInline feedbackBlock modalFeedback responseProcessing " +
    "responseCondition responseIf responseElseIf responseElse setOutcomeValue match equal baseValue variable " +
    "correct mapResponse isNull and or not member multiple ordered sum gte lte stylesheet rubricBlock"
  ).split(" "),
);
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const qtiName = (name: string) => (QTI21.has(name) ? `qti-${kebab(name)}` : name);

type Ordered = { [key: string | symbol]: unknown };
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

function toChildren(nodes: unknown, v21: boolean): Child[] {
  const out: Child[] = [];
  for (const node of Array.isArray(nodes) ? (nodes as Ordered[]) : []) {
    const name = Object.keys(node).find((key) => key !== ":@");
    if (name === undefined) continue;
    if (name === "#text") out.push(decodeXml(String(node[name])));
    else if (name === "#cdata")
      out.push(
        (node[name] as Ordered[]).map((part) => (typeof part["#text"] === "string" ? part["#text"] : "")).join(""),
      );
    else if (!name.startsWith("?") && !name.startsWith("!")) {
      const attrs: Record<string, string> = {};
      for (const [key, value] of Object.entries((node[":@"] as Record<string, string> | undefined) ?? {}))
        attrs[v21 ? kebab(key.slice(2)) : key.slice(2)] = decodeXml(String(value));
      const start = (node[META] as { startIndex?: number } | undefined)?.startIndex ?? 0;
      out.push({ name: v21 ? qtiName(name) : name, attrs, children: toChildren(node[name], v21), start });
    }
  }
  return out;
}

/** Parses well-formed XML (validated before) into elements; `v21` renames QTI 2.1 elements. */
export function parseTree(source: string, v21: boolean): Element[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: true,
    captureMetaData: true,
    cdataPropName: "#cdata",
  });
  return toChildren(parser.parse(source), v21).filter((child): child is Element => typeof child !== "string");
}

export const isElement = (child: Child | undefined): child is Element => typeof child === "object";
export const elements = (parent: Element | undefined, name?: string): Element[] =>
  (parent?.children ?? []).filter(isElement).filter((child) => name === undefined || child.name === name);
export const element = (parent: Element | undefined, name: string): Element | undefined => elements(parent, name)[0];

/** Every element under `parent` (depth first, document order) that `test` accepts. */
export function descendants(parent: Element | undefined, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (node: Element) => {
    for (const child of elements(node)) {
      if (test(child)) found.push(child);
      walk(child);
    }
  };
  if (parent) walk(parent);
  return found;
}

/** The text of an element and everything in it. */
export const textOf = (node: Child | undefined): string =>
  node === undefined ? "" : typeof node === "string" ? node : node.children.map(textOf).join("");

/** Children as HTML again (text escaped), leaving out the elements `skip` names. */
export function toHtml(children: Child[], skip: (element: Element) => boolean = () => false): string {
  return children
    .map((child) => {
      if (typeof child === "string") return escapeXml(child);
      if (skip(child)) return "";
      const attrs = Object.entries(child.attrs)
        .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
        .join("");
      return `<${child.name}${attrs}>${toHtml(child.children, skip)}</${child.name}>`;
    })
    .join("");
}

/** Rich content (XHTML, as QTI bodies hold it) as Stackprep Markdown. */
export const markdownOf = (children: Child[], skip?: (element: Element) => boolean) =>
  htmlToMarkdown(toHtml(children, skip));

/** What a reader of one item needs: where it is, its topic, and how to report. */
export type ItemContext = {
  options: ParseOptions;
  topic: string;
  line: number;
  column: number;
  fail: (message: string) => undefined;
  warn: (message: string) => void;
};

/** The item's id: its identifier, inside the bank (`slug-identifier`), as ids are unique across banks. */
export function itemId(identifier: string, slug: string): string | undefined {
  const mapped = slugifySegment(identifier);
  if (mapped === "") return undefined;
  const id = mapped === slug || mapped.startsWith(`${slug}-`) ? mapped : `${slug}-${mapped}`;
  return ID_PATTERN.test(id) ? id : undefined;
}
