// Markdown from bank files is rendered, highlighted and sanitised once, at import or edit;
// pages show the stored HTML. Raw HTML in the source is shown as text (html: false).
import hljs from "highlight.js";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./present";

const md = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight(code, lang): string {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    const html = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
    return `<pre class="code"><code class="hljs${language ? ` language-${language}` : ""}">${html}</code></pre>`;
  },
});

const allowed: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "hr",
    "del",
    "sup",
    "sub",
    "img",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    code: ["class"],
    span: ["class"],
    pre: ["class"],
    td: ["style"],
    th: ["style"],
    img: ["src", "alt", "title"],
  },
  allowedClasses: { code: ["hljs", /^language-[a-z0-9-]+$/], span: [/^hljs-[a-z-_]+$/], pre: ["code"] },
  allowedSchemes: ["https", "http", "mailto"],
  // Images only as data: URLs (markdown-it admits PNG, JPEG, GIF and WebP ones): a bank's images
  // travel inside it (Moodle XML's embedded files), and the page's policy loads none from elsewhere.
  allowedSchemesByTag: { img: ["data"] },
  allowedStyles: {},
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), allowed).trim();
}

const unwrapParagraph = (html: string) => {
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes("<p>") ? single[1]! : html;
};

/** For one-line fields (options, ordering items): no wrapping paragraph. */
export function renderInlineMarkdown(source: string): string {
  return unwrapParagraph(renderMarkdown(source));
}

// sanitize-html costs about 30 µs a call whatever the size of its input (it rebuilds its
// option tables and a parser each time), which is most of the rendering time of a question
// with short options. A batch is rendered fragment by fragment and sanitised in one call,
// each fragment wrapped in an element that only this code writes: markdown-it escapes any
// "<" of the source (html: false), so no fragment can open or close a wrapper itself, and
// markdown-it's output is balanced, so each wrapper holds exactly its own fragment.
const FRAGMENT = "stackprep-md-fragment";
const batchAllowed: sanitizeHtml.IOptions = {
  ...allowed,
  allowedTags: [...(allowed.allowedTags as string[]), FRAGMENT],
};
const OPEN = `<${FRAGMENT}>`;
const CLOSE = `</${FRAGMENT}>`;

export type MarkdownSource = { md: string; inline?: boolean };

/**
 * One line that Markdown and HTML both leave as it is: ASCII letters, digits, spaces and
 * punctuation that means nothing to either, starting with a letter (so no list, heading or
 * indented code). markdown-it would render it as <p>text</p> and sanitize-html keep that.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9 ,.;:'()?/%=+-]*$/;

// One line of such words and, between them, `code` (of the same characters, no space),
// **strong** or *emphasis* (letters and digits), each alone between single spaces, after
// which only . , ; : or ? may follow: the phrasing most options and explanations use. What
// markdown-it makes of it is plain to see (no delimiter run can pair with another, none can
// start a block), and sanitize-html keeps it. Anything else goes the full way.
const WORD = "[A-Za-z0-9,.;:'()?/%=+-]+";
const MARKED = "(?:`[A-Za-z0-9_.,:;()/%=+-]+`|\\*\\*[A-Za-z0-9]+\\*\\*|\\*[A-Za-z0-9]+\\*)[.,;:?]?";
const SIMPLE = new RegExp(`^(?:[A-Za-z]${WORD.slice(0, -1)}*|${MARKED})(?: (?:${WORD}|${MARKED}))*$`);
const MARKUP = /`([^`]+)`|\*\*([A-Za-z0-9]+)\*\*|\*([A-Za-z0-9]+)\*/g;

/** The HTML of a SIMPLE line (no paragraph). */
const simpleHtml = (text: string) =>
  text.replace(MARKUP, (_, code?: string, strong?: string, em?: string) =>
    code !== undefined
      ? `<code>${code}</code>`
      : strong !== undefined
        ? `<strong>${strong}</strong>`
        : `<em>${em}</em>`,
  );

// What sanitize-html makes of markdown-it's output in the shapes nearly every question has,
// without it: its parse and write were a quarter of an import's rendering time. For HTML made
// only of the tags below, with no attribute but the classes the highlighter writes (on code,
// pre, span), sanitize-html changes nothing but two things: it decodes the text's entities
// and writes them back escaping only & < > (so &quot; and &#x27; become " and '), and it keeps
// only the allowed classes (the attribute goes when none is left); br and hr are written
// self-closing. That is what cleanFast does; on anything else (another tag or attribute, an
// entity it does not know, a stray "<" or ">") it gives up and sanitize-html does the work.
// bench/check-render.ts compares both over every source it knows.
const FAST_TAGS = new Set([
  "p",
  "strong",
  "em",
  "code",
  "pre",
  "span",
  "ul",
  "ol",
  "li",
  "blockquote",
  "h3",
  "h4",
  "del",
  "sup",
  "sub",
  "br",
  "hr",
]);
const SELF_CLOSING = new Set(["br", "hr"]);
const CLASS_RULES: Record<string, (name: string) => boolean> = {
  code: (c) => c === "hljs" || /^language-[a-z0-9-]+$/.test(c),
  span: (c) => /^hljs-[a-z-_]+$/.test(c),
  pre: (c) => c === "code",
};
const HTML_TOKEN = /<(\/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"<>&]*")*)>|[^<>]+/gy;
const ATTRIBUTE = / ([a-z-]+)="([^"]*)"/g;
const ENTITY = /&(?:(amp|lt|gt|quot|#x27|#39);|)/g;
const DECODED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };
const REESCAPED: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': '"', "'": "'" };

function cleanText(text: string): string | undefined {
  if (!text.includes("&")) return text;
  let unknown = false;
  const out = text.replace(ENTITY, (whole, name: string | undefined) => {
    if (name === undefined) {
      unknown = true;
      return whole;
    }
    return REESCAPED[DECODED[name]!]!;
  });
  return unknown ? undefined : out;
}

/** sanitize-html's output for `html` (see above), or undefined when it is not of that shape. */
function cleanFast(html: string): string | undefined {
  let out = "";
  HTML_TOKEN.lastIndex = 0;
  while (HTML_TOKEN.lastIndex < html.length) {
    const m = HTML_TOKEN.exec(html);
    if (!m) return undefined;
    const name = m[2];
    if (name === undefined) {
      const text = cleanText(m[0]);
      if (text === undefined) return undefined;
      out += text;
      continue;
    }
    if (!FAST_TAGS.has(name)) return undefined;
    if (m[1]) {
      if (SELF_CLOSING.has(name) || m[3]) return undefined;
      out += `</${name}>`;
      continue;
    }
    let attributes = "";
    if (m[3]) {
      const rule = CLASS_RULES[name];
      if (!rule) return undefined;
      ATTRIBUTE.lastIndex = 0;
      let seenClass = false;
      for (let a = ATTRIBUTE.exec(m[3]); a; a = ATTRIBUTE.exec(m[3])) {
        if (a[1] !== "class" || seenClass) return undefined;
        seenClass = true;
        const kept = a[2]!.split(/\s+/).filter(rule).join(" ");
        if (kept) attributes = ` class="${kept}"`;
      }
    }
    out += SELF_CLOSING.has(name) ? `<${name}${attributes} />` : `<${name}${attributes}>`;
  }
  return out;
}

/**
 * Renders many Markdown sources with one sanitizer pass; the result is, item by item,
 * what renderMarkdown (or renderInlineMarkdown when `inline`) returns.
 */
export function renderMarkdownMany(sources: readonly MarkdownSource[]): string[] {
  const out: string[] = new Array<string>(sources.length);
  const rich: number[] = [];
  const rendered: string[] = [];
  sources.forEach((s, i) => {
    let end = s.md.length; // trailing spaces and newlines, which markdown-it drops from a paragraph
    while (end > 0 && (s.md.charCodeAt(end - 1) === 32 || s.md.charCodeAt(end - 1) === 10)) end -= 1;
    const text = s.md.slice(0, end);
    if (PLAIN.test(text)) {
      out[i] = s.inline ? text : `<p>${text}</p>`;
      return;
    }
    if (SIMPLE.test(text)) {
      const html = simpleHtml(text);
      out[i] = s.inline ? html : `<p>${html}</p>`;
      return;
    }
    const html = md.render(s.md);
    const clean = cleanFast(html)?.trim();
    if (clean === undefined) {
      rich.push(i);
      rendered.push(html);
    } else out[i] = s.inline ? unwrapParagraph(clean) : clean;
  });
  if (rich.length === 0) return out;
  const html = sanitizeHtml(rendered.map((h) => `${OPEN}${h}${CLOSE}`).join(""), batchAllowed);
  let at = 0;
  let done = 0;
  while (done < rich.length && html.startsWith(OPEN, at)) {
    const end = html.indexOf(CLOSE, at + OPEN.length);
    if (end < 0) break;
    const item = html.slice(at + OPEN.length, end).trim();
    const i = rich[done]!;
    out[i] = sources[i]!.inline ? unwrapParagraph(item) : item;
    at = end + CLOSE.length;
    done += 1;
  }
  // Defensive: anything but one wrapper per source, end to end, renders one by one.
  if (done !== rich.length || at !== html.length)
    return sources.map((s) => (s.inline ? renderInlineMarkdown(s.md) : renderMarkdown(s.md)));
  return out;
}
