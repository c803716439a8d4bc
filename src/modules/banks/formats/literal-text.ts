// Text that is not Markdown (HTML's text, Moodle's auto-format) kept literal when it becomes
// Markdown: `__init__` or `2*3*4` read as Markdown would show a bold "init" or an italic 3, so
// where the Markdown would show other text than the source did, its specials are escaped.
// Where it shows the same (almost always), the text stays as written, which keeps stored
// Markdown, and exports read back, unchanged. Pure.
import MarkdownIt from "markdown-it";

// The parser options of the bank renderer (markdown.ts), which decide what Markdown shows as
// text; highlighting and sanitising change no text and are left out (the import's parse
// worker loads neither).
const parser = new MarkdownIt({ html: false, linkify: false, typographer: false });

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** A character reference's character; one out of Unicode's range stays as written (never a RangeError). */
const fromCode = (code: number, whole: string) => (code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole);
const shownText = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) =>
      /^#x/i.test(name)
        ? fromCode(parseInt(name.slice(2), 16), whole)
        : name.startsWith("#")
          ? fromCode(parseInt(name.slice(1), 10), whole)
          : (ENTITIES[name] ?? whole),
    )
    .replace(/\s+/g, " ")
    .trim();

/** The text Markdown shows (tags gone, white space folded). */
export const markdownShows = (markdown: string) => shownText(parser.render(markdown));

/** Characters Markdown may read as syntax anywhere, and at the start of a line. */
const INLINE_SPECIALS = /[\\`*_[\]~|<>&]/g;
const LINE_START = /^(\s*)([#+=-])/;
const LIST_NUMBER = /^(\s*\d+)([.)])/;

/** Plain text as Markdown that shows it as written: specials backslash-escaped. */
export const escapeText = (text: string) =>
  text.replace(INLINE_SPECIALS, "\\$&").replace(LINE_START, "$1\\$2").replace(LIST_NUMBER, "$1\\$2");

/** Of two Markdown readings of one text, the unescaped one unless it shows other text than the escaped one. */
export const literalOf = (plain: string, escaped: string) =>
  plain === escaped || markdownShows(plain) === markdownShows(escaped) ? plain : escaped;
