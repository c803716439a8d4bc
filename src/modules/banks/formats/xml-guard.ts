// The checks every XML bank format runs before reading a tree: no DOCTYPE (it can declare
// entities that expand without limit) and well-formed markup, each refused with its line and
// column. Moodle XML and QTI share them, so neither can drift from the other.
import { XMLValidator } from "fast-xml-parser";
import { lineLocator, type Issues } from "./scan";

/** Records why `source` cannot be read as XML and returns false; true when it can. */
export function xmlReadable(source: string, issues: Issues): boolean {
  const doctype = source.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    const { line, column } = lineLocator(source)(doctype);
    issues.error(
      line,
      column,
      "DOCTYPE declarations are refused (they can define entities that expand without limit); remove the <!DOCTYPE ...> declaration",
    );
    return false;
  }
  const validation = XMLValidator.validate(source);
  if (validation === true) return true;
  // The validator leaves out the column for some errors (a missing start tag, for one).
  const { line, col, msg } = validation.err;
  const [at, column] = [Number.isInteger(line) ? line : 1, Number.isInteger(col) ? col : 1];
  issues.error(at, column, `malformed XML: ${String(msg).replace(/\.$/, "")}; fix the markup there`);
  return false;
}
