// Markdown from bank files is rendered, highlighted and sanitised once, at import or edit;
// pages show the stored HTML. Raw HTML in the source is shown as text (html: false).
import hljs from "highlight.js";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

const md = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight(code, lang): string {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    const html = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escape(code);
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
  ],
  allowedAttributes: {
    a: ["href", "title"],
    code: ["class"],
    span: ["class"],
    pre: ["class"],
    td: ["style"],
    th: ["style"],
  },
  allowedClasses: { code: ["hljs", /^language-[a-z0-9-]+$/], span: [/^hljs-[a-z-_]+$/], pre: ["code"] },
  allowedSchemes: ["https", "http", "mailto"],
  allowedStyles: {},
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), allowed).trim();
}

/** For one-line fields (options, ordering items): no wrapping paragraph. */
export function renderInlineMarkdown(source: string): string {
  const html = renderMarkdown(source);
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes("<p>") ? single[1]! : html;
}
