// Checks that batch rendering (renderMarkdownMany, used by the importer) gives, item by item,
// exactly what renderMarkdown / renderInlineMarkdown give one by one, over the shipped banks,
// a generated bank and Markdown chosen to hit every path of the sanitizer; and times both.
//
//   npx tsx bench/check-render.ts [--questions 5000]
import { readFileSync } from "node:fs";
import path from "node:path";
import { listBankFiles } from "../src/modules/banks";
import { parseBankText } from "../src/modules/banks/formats";
import {
  renderInlineMarkdown,
  renderMarkdown,
  renderMarkdownMany,
  type MarkdownSource,
} from "../src/modules/banks/markdown";
import type { ParsedBank } from "../src/modules/banks/model";
import { generateBanks } from "./support/generate-bank";

const TORTURE = [
  "# h1\n## h2\n### h3\n#### h4\n##### h5\n###### h6",
  "| a | b |\n|:--|--:|\n| `x` | **y** |\n| <b>1</b> | &amp; |",
  '[http](https://example.com "t") [js](javascript:alert(1)) [rel](/a/b) [mail](mailto:a@b.c) [ftp](ftp://x)',
  '![img](https://example.com/a.png "title") and <https://example.com> and www.example.com',
  "<script>alert(1)</script> <b onclick=x>bold</b> <!-- comment --> <stackprep-md-fragment>x</stackprep-md-fragment>",
  "</stackprep-md-fragment><p>not a paragraph</p>",
  "&copy; &amp; &#39; &quot; &lt; &gt; &nbsp; &unknown; &#x27; & < > \" '",
  "line one  \nline two\\\nline three\n\n---\n\n***",
  "1. one\n2. two\n   - nested *em*\n   - nested __strong__\n\n3) three",
  "3. starts at three\n4. four",
  "> quote with `code`\n>\n> ```sql\n> SELECT 1;\n> ```",
  "~~struck~~ and ~single~ and a\\*literal\\*",
  "```\nno language <b>&amp;</b>\n```",
  "```C++\nint main() { return 0; }\n```",
  '```sql"><script>x</script>\nSELECT 1;\n```',
  "```nosuchlang\nplain & <text>\n```",
  "```js\nconst a = \"x\" + 'y'; // <tag> & done\nclass A extends B { #p = 1; }\n```",
  "```python\ndef f(x: int) -> str:\n    return f'{x!r}'  # comment\n```",
  "```sh\nfor f in *.txt; do echo \"$f\" | grep -c 'x' > /dev/null; done\n```",
  "```http\nGET / HTTP/1.1\nHost: example.com\n```",
  "unclosed ```fence\n```js\nlet x = 1;",
  "`<code>` & `\"q\"` and `'s'`",
  "tab\there and NUL\u0000here and CRLF\r\nline",
  "unicode: naïve café — “quotes” 😀 \u2028 sep",
  "    indented code block <x>\n    second line",
  "<div>\n*markdown in html*\n</div>",
  "Setext heading\n===\n\nAnother\n---",
  "- [ ] task\n- [x] done",
  "footnote[^1]\n\n[^1]: note",
  "*a **b** c* _d_ __e__ ***f***",
  "auto-escaped 1 < 2 && 3 > 2",
  "  leading and trailing spaces  ",
  "x",
  "Plain words only",
  "Plain words with trailing spaces and a newline   \n",
  "Plain words\r\n",
  "Plain words \u00a0",
  "Plain words\u2028",
  "Plain (with) 'quotes', a = b + c - d / e; 50% off? yes: no.",
  'Plain with "double quotes"',
  "Two plain\nlines",
  "1. Looks like a list",
  "a. not a list",
  "Setext\n===",
  "Ends with a backslash\\",
  "Word_with_underscores and snake_case",
  // The sanitizer's fast path (markdown.ts cleanFast) and where it must give up.
  "```ts\nclass A<T> extends B { f(x: T): string { return `${x}` + \"'\" + '\"'; } }\nfunction g() {}\n```",
  "```java\npublic final class X { private final Map<String, Integer> m = new HashMap<>(); }\n```",
  "```yaml\nkey: \"v & w\" # c\nlist: [a, 'b']\n```",
  '```json\n{ "a": "&amp; <x>", "b": [1, 2] }\n```',
  "a `&amp;` b `&lt;x&gt;` c &amp;amp; d &amp;lt; e \" f ' g",
  "hard  \nbreak and\\\nagain",
  "- a\n  - b\n    1. c\n\n- d\n\n  para",
  "5. starts at five",
  "> quote\n> > nested",
  'text <span class="hljs-keyword">x</span> & more',
  "| x |\n|---|\n| y |",
  "[[1]] blank and [[2]]",
  "Line &copy; &#169; &#xA9; &nbsp;x",
  // The simple-line path (markdown.ts SIMPLE) and its neighbours.
  "a `x` b **c** d *e*. f `g`? h",
  "`x` first, **b** then *c*",
  "*a* b",
  "**a** b",
  "a **b**c and *d*e",
  "a ** b ** c * d *",
  "a `` x `` b",
  "a ``x`` b",
  "a ***b*** c",
  "a *b **c** d* e",
  "a `x`y `z`",
  "a `x  y` b",
  "a  `x` b",
  "* a list",
  "- `x` item",
  "1. `x`",
  "a `x`.",
  "a *b*: c",
  "a *1* b",
  "a*b*c",
];

function sourcesOf(bank: ParsedBank): MarkdownSource[] {
  const out: MarkdownSource[] = [];
  for (const q of bank.questions) {
    out.push({ md: q.stem });
    if (q.explanation) out.push({ md: q.explanation });
    if (q.type === "single" || q.type === "multiple") for (const o of q.options) out.push({ md: o.text, inline: true });
    if (q.type === "ordering") for (const i of q.items) out.push({ md: i, inline: true });
    if (q.type === "matching")
      for (const p of q.pairs) out.push({ md: p.prompt, inline: true }, { md: p.match, inline: true });
    if (q.type === "gap")
      for (const g of q.gaps)
        if (g.kind === "choice") for (const o of g.options) out.push({ md: o.text, inline: true });
    if (q.type === "essay") out.push({ md: q.modelAnswer });
    if (q.intro) out.push({ md: q.intro });
  }
  for (const c of bank.cards) out.push({ md: c.front }, { md: c.back });
  return out;
}

function parse(name: string, text: string): ParsedBank {
  const slug = path.basename(name).replace(/\.ya?ml$/, "");
  const result = parseBankText(text, "yaml", { file: name, slug, title: slug, defaultTopic: slug });
  if (!result.ok) throw new Error(`${name}: ${result.errors[0]?.message}`);
  return result.bank;
}

async function main(): Promise<number> {
  const i = process.argv.indexOf("--questions");
  const questions = i > 0 ? Number(process.argv[i + 1]) : 5_000;
  const sources: MarkdownSource[] = [];
  for (const t of TORTURE) sources.push({ md: t }, { md: t, inline: true });
  for (const file of await listBankFiles([path.resolve(__dirname, "../question-banks")]))
    sources.push(...sourcesOf(parse(file, readFileSync(file, "utf8"))));
  for (const b of generateBanks(questions).banks) sources.push(...sourcesOf(parse(b.fileName, b.text)));

  let t = performance.now();
  const one = sources.map((s) => (s.inline ? renderInlineMarkdown(s.md) : renderMarkdown(s.md)));
  const oneSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const many: string[] = [];
  for (let at = 0; at < sources.length; at += 3_000) many.push(...renderMarkdownMany(sources.slice(at, at + 3_000)));
  const manySeconds = (performance.now() - t) / 1000;
  // Each torture item alone too (a batch of one), and all of them in one batch.
  const alone = TORTURE.map((md) => renderMarkdownMany([{ md }])[0]);
  const torture = renderMarkdownMany(TORTURE.map((md) => ({ md })));

  let differences = 0;
  sources.forEach((s, k) => {
    if (one[k] === many[k]) return;
    differences += 1;
    if (differences <= 5) console.error(`difference for ${JSON.stringify(s)}:\n  one:  ${one[k]}\n  many: ${many[k]}`);
  });
  TORTURE.forEach((md, k) => {
    const expected = renderMarkdown(md);
    if (alone[k] !== expected || torture[k] !== expected) {
      differences += 1;
      console.error(`difference for ${JSON.stringify(md)}: ${alone[k]} / ${torture[k]} / ${expected}`);
    }
  });
  console.log(
    `${sources.length} Markdown sources: one by one ${oneSeconds.toFixed(2)} s, in batches of 3,000 ` +
      `${manySeconds.toFixed(2)} s (${(oneSeconds / manySeconds).toFixed(1)}x); ${differences} difference(s)`,
  );
  return differences === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
