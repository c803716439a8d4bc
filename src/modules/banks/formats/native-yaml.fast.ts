// The fast reader of native bank files, for the common case of a plain, valid file.
//
// The exact reader (native-yaml.ts) builds a `yaml` Document with source ranges, which costs
// about 10x the parse itself and holds the whole tree in memory. Here js-yaml's event parser
// (a flat list of events that point into the text) is turned into plain values by a
// constructor of our own that builds what the `yaml` package's `toJS` builds under its
// default YAML 1.2 core schema, and records where each entry of the top-level `questions` and
// `cards` sequences starts. It mirrors only plain data: on anything else (a YAML error,
// directives, several documents, anchors, aliases, tags, a duplicate or non-string key) it
// returns undefined and the caller takes the exact reader, which reports every problem with
// its position as before.
import { getScalarValue, parseEvents, type Event, type ScalarEvent } from "js-yaml";

// js-yaml's EVENT_ID and SCALAR_STYLE values (constants of its public API).
const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const POP = 6;
const PLAIN = 1;

/** Thrown inside the constructor when the file is not one this reader mirrors. */
class NotMirrored extends Error {}

// The core schema's tests, as module constants: a regular expression literal inside a
// function makes a new object on every call, millions of times in a large file.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** First characters of a plain scalar that can resolve to something other than a string. */
const NOT_ONLY_STRING = /^(?:$|[~nNtTfF0-9+\-.])/;

/**
 * A plain scalar resolved as the `yaml` package's core schema does (yaml/dist/schema/core):
 * the first of null, bool, octal, decimal and hexadecimal int, .nan/.inf, exponent float and
 * float whose test matches, else the string itself.
 */
export function resolvePlainScalar(source: string): unknown {
  if (!NOT_ONLY_STRING.test(source)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === "t" || source[0] === "T";
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source))
    return source.slice(-3).toLowerCase() === "nan"
      ? NaN
      : source[0] === "-"
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source)) return parseFloat(source);
  if (FLOAT.test(source)) return parseFloat(source);
  return source;
}

/** Where the entries of the top-level `questions` and `cards` sequences start (offsets into the text). */
export type EntryStarts = { questions: number[]; cards: number[] };
export type FastRead = { value: unknown; starts: EntryStarts };

function construct(text: string, events: Event[]): FastRead {
  let at = 0;
  const starts: EntryStarts = { questions: [], cards: [] };

  const scalar = (event: ScalarEvent): unknown => {
    const source = getScalarValue(text, event);
    return event.style === PLAIN ? resolvePlainScalar(source) : source;
  };

  // Reads the node at `at` and moves past it; `entries` collects the start of each item of a sequence.
  const node = (entries?: number[]): unknown => {
    const event = events[at++]!;
    if (event.type === SCALAR) {
      if (event.anchorStart !== -1 || event.tagStart !== -1) throw new NotMirrored();
      return scalar(event);
    }
    if (event.type === SEQUENCE) {
      if (event.anchorStart !== -1 || event.tagStart !== -1) throw new NotMirrored();
      const items: unknown[] = [];
      while (events[at]!.type !== POP) {
        const item = events[at]!;
        entries?.push(item.type === MAPPING || item.type === SEQUENCE ? item.start : -1);
        items.push(node());
      }
      at += 1;
      return items;
    }
    if (event.type === MAPPING) {
      if (event.anchorStart !== -1 || event.tagStart !== -1) throw new NotMirrored();
      const root = at === 2; // events[0] is the document, events[1] this mapping
      const map: Record<string, unknown> = {};
      while (events[at]!.type !== POP) {
        const keyEvent = events[at++]!;
        if (keyEvent.type !== SCALAR || keyEvent.anchorStart !== -1 || keyEvent.tagStart !== -1)
          throw new NotMirrored();
        const key = scalar(keyEvent);
        // `yaml` turns non-string keys into strings and gives __proto__ an own property;
        // uniqueKeys makes a repeated key an error. The exact reader handles all three.
        if (typeof key !== "string" || key === "__proto__" || Object.hasOwn(map, key)) throw new NotMirrored();
        const listed = root && events[at]!.type === SEQUENCE && (key === "questions" || key === "cards");
        map[key] = node(listed ? starts[key] : undefined);
      }
      at += 1;
      return map;
    }
    throw new NotMirrored(); // an alias (or an event out of place)
  };

  const document = events[0];
  if (!document || document.type !== DOCUMENT || document.directives.length > 0) throw new NotMirrored();
  if (events.length < 3 || events[1]!.type === POP) throw new NotMirrored(); // an empty document
  at = 1;
  const value = node();
  if (events[at]?.type !== POP || at + 1 !== events.length) throw new NotMirrored(); // several documents
  return { value, starts };
}

/** The file's plain value and entry starts, or undefined when only the exact reader can tell. */
export function readYamlFast(text: string): FastRead | undefined {
  try {
    return construct(text, parseEvents(text, {}));
  } catch {
    // A YAML error, or something not mirrored here: the exact reader decides and reports.
    return undefined;
  }
}

/**
 * Line and column (1-based) of each offset, as the `yaml` package's LineCounter gives them:
 * lines start after each "\n". The offsets must be ascending (entry starts are); one sweep.
 */
export function linePositions(text: string, offsets: readonly number[]): { line: number; column: number }[] {
  const out = new Array<{ line: number; column: number }>(offsets.length);
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf("\n");
  for (let i = 0; i < offsets.length; i += 1) {
    const offset = offsets[i]!;
    if (offset < lineStart) throw new Error("entry offsets must be ascending");
    while (next !== -1 && next < offset) {
      line += 1;
      lineStart = next + 1;
      next = text.indexOf("\n", lineStart);
    }
    out[i] = { line, column: offset - lineStart + 1 };
  }
  return out;
}
