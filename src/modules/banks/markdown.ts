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

/**
 * Renders many Markdown sources with one sanitizer pass; the result is, item by item,
 * what renderMarkdown (or renderInlineMarkdown when `inline`) returns.
 */
export function renderMarkdownMany(sources: readonly MarkdownSource[]): string[] {
  const out: string[] = new Array<string>(sources.length);
  const rich: number[] = [];
  sources.forEach((s, i) => {
    let end = s.md.length; // trailing spaces and newlines, which markdown-it drops from a paragraph
    while (end > 0 && (s.md.charCodeAt(end - 1) === 32 || s.md.charCodeAt(end - 1) === 10)) end -= 1;
    const text = s.md.slice(0, end);
    if (PLAIN.test(text)) out[i] = s.inline ? text : `<p>${text}</p>`;
    else rich.push(i);
  });
  if (rich.length === 0) return out;
  const html = sanitizeHtml(rich.map((i) => `${OPEN}${md.render(sources[i]!.md)}${CLOSE}`).join(""), batchAllowed);
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
