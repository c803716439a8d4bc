// Rules found by measuring the import against what Moodle imports (tests/fixtures/real-world,
// scripts/import-fidelity.ts): each was a question lost or changed.
import { parseCsv } from "../../../src/modules/banks/formats/csv";
import { parseGift } from "../../../src/modules/banks/formats/gift";
import { htmlToMarkdown, parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { shortAnswerKey } from "../../../src/modules/banks/formats/wildcards";
import { renderMarkdown } from "../../../src/modules/banks/markdown";
import type { ParseResult } from "../../../src/modules/banks/model";
import { linearPatternMatcher } from "../../../src/modules/banks/patterns";

const options = (file: string) => ({ file, slug: "f", title: "F", defaultTopic: "general" });
const questionsOf = (result: ParseResult) => {
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result.bank.questions;
};
const quiz = (...questions: string[]) => `<?xml version="1.0"?>\n<quiz>\n${questions.join("\n")}\n</quiz>\n`;
const shortAnswer = (...answers: string[]) =>
  `<question type="shortanswer"><name><text>s</text></name><questiontext format="html"><text>What does HTML stand for?</text></questiontext>${answers
    .map((a) => `<answer fraction="100"><text>${a}</text></answer>`)
    .join("")}</question>`;
const match = linearPatternMatcher();

describe("GIFT true/false feedback", () => {
  it("is read in the question's format: [html] feedback becomes text, not literal tags", () => {
    const [question] = questionsOf(
      parseGift("[html]<p>Is JSON allowed comments?</p>{F#<p>JSON has <b>no</b> comments.</p>}", options("q.gift")),
    );
    expect(question).toMatchObject({ type: "truefalse", answer: false, explanation: "JSON has **no** comments." });
  });
});

describe("short answers with Moodle's wildcard *", () => {
  it("turn into a pattern matching any run of characters; answers without a star stay texts", () => {
    const key = shortAnswerKey(["Hyper*Text Markup Language", "HTML", "a\\*b"]);
    expect(key).toEqual({ accept: ["HTML", "a*b"], pattern: "Hyper.*Text Markup Language" });
  });

  it("escape what regular expressions would read as syntax", () => {
    const key = shortAnswerKey(["f(x) = *", "c++*"]);
    if ("problem" in key) throw new Error(key.problem);
    expect(match(key.pattern!, "f(x) = 2 * y", false)).toBe(true);
    expect(match(key.pattern!, "c++ 20", false)).toBe(true);
    expect(match(key.pattern!, "fx = 2", false)).toBe(false);
  });

  it("are read from Moodle XML, case-insensitively unless usecase is 1", () => {
    const [question] = questionsOf(parseMoodleXml(quiz(shortAnswer("Hyper*Text Markup Language")), options("q.xml")));
    expect(question).toMatchObject({
      type: "short",
      accept: [],
      pattern: "Hyper.*Text Markup Language",
      caseSensitive: false,
    });
    if (question?.type !== "short") throw new Error("short expected");
    expect(match(question.pattern!, "hyper text markup language", false)).toBe(true);
    expect(match(question.pattern!, "markup language", false)).toBe(false);
  });

  it("are read from GIFT short-answer blocks", () => {
    const [question] = questionsOf(
      parseGift("Name a free SQL database.{=PostgreSQL =Maria* =Postgres*}", options("q.gift")),
    );
    expect(question).toMatchObject({ type: "short", accept: ["PostgreSQL"], pattern: "Maria.*|Postgres.*" });
  });

  it("refuse the question alone, with its line, when the pattern would be too long", () => {
    const long = `${"x".repeat(120)}*`;
    const result = parseMoodleXml(quiz(shortAnswer(long, `${long}y`)), options("q.xml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining("wildcard *") });
  });
});

describe("Moodle XML's <single>", () => {
  const choice = (single: string) =>
    `<question type="multichoice"><name><text>m</text></name><questiontext><text>Which are idempotent?</text></questiontext>${single}<answer fraction="50"><text>GET</text></answer><answer fraction="50"><text>PUT</text></answer><answer fraction="0"><text>POST</text></answer></question>`;

  it("reads 0, false and nothing in it as multiple response, as Moodle does; no <single> is single", () => {
    for (const single of ["<single>0</single>", "<single>false</single>", "<single/>"])
      expect(questionsOf(parseMoodleXml(quiz(choice(single)), options("q.xml")))[0]).toMatchObject({
        type: "multiple",
        options: [{ weight: 50 }, { weight: 50 }, { weight: 0 }],
      });
    for (const single of ["<single>1</single>", ""]) {
      const result = parseMoodleXml(quiz(choice(single)), options("q.xml"));
      expect(!result.ok && result.errors[0]?.message).toContain("a single-answer question needs exactly one answer");
    }
  });
});

describe("Moodle's CSV format with two right letters", () => {
  it("gives each right option 50%, as Moodle does, and the others nothing", () => {
    const csv =
      "questionname,questiontext,A,B,C,D,Answer 1,Answer 2\nq,Which are aggregates?,COUNT,LIKE,SUM,WHERE,A,C\n";
    const [question] = questionsOf(parseCsv(csv, options("m.csv")));
    expect(question).toMatchObject({
      type: "multiple",
      options: [
        { text: "COUNT", correct: true, weight: 50 },
        { text: "LIKE", correct: false },
        { text: "SUM", correct: true, weight: 50 },
        { text: "WHERE", correct: false },
      ],
    });
  });
});

describe("HTML from Moodle", () => {
  it("keeps a table as a Markdown table, its cells apart", () => {
    const md = htmlToMarkdown(
      "<p>Rows:</p><table><tr><th>id</th><th>name</th></tr><tr><td>1</td><td>Ann | <code>x</code></td></tr></table>",
    );
    expect(md).toBe("Rows:\n\n| id | name |\n| --- | --- |\n| 1 | Ann \\| `x` |");
    expect(renderMarkdown(md)).toContain("<td>Ann | <code>x</code></td>");
  });

  it("keeps data: images as images and links other images", () => {
    expect(htmlToMarkdown('<p>See <img src="data:image/png;base64,iVBORw0KGgo=" alt="ER [1]"></p>')).toBe(
      "See ![ER \\[1\\]](data:image/png;base64,iVBORw0KGgo=)",
    );
    expect(htmlToMarkdown('<img src="https://example.org/a b.png">')).toBe("[image](https://example.org/a%20b.png)");
  });
});

describe("line breaks", () => {
  it("of HTML (<br>) and of [moodle] GIFT text stay line breaks learners see", () => {
    expect(htmlToMarkdown("<p>GET /a HTTP/1.1<br>Host: x<br></p><p>Next</p>")).toBe(
      "GET /a HTTP/1.1\\\nHost: x\n\nNext",
    );
    const [question] = questionsOf(
      parseGift("[moodle]Request line:\nGET /users/42 HTTP/1.1\nWhich method?{=GET ~POST}", options("q.gift")),
    );
    expect(renderMarkdown(question!.stem)).toBe(
      "<p>Request line:<br />\nGET /users/42 HTTP/1.1<br />\nWhich method?</p>",
    );
  });
});

describe("images a Moodle XML question carries", () => {
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";
  const withImage = (name: string, carried: string) =>
    `<question type="truefalse"><name><text>t</text></name><questiontext format="html"><text><![CDATA[<p>Is this 3NF? <img src="@@PLUGINFILE@@/${encodeURIComponent(name)}" alt="schema"></p>]]></text>${carried}</questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>`;

  it("are shown: each @@PLUGINFILE@@ link becomes the image as a data: URL", () => {
    const file = `<file name="my schema.png" path="/" encoding="base64">${png}</file>`;
    const [question] = questionsOf(parseMoodleXml(quiz(withImage("my schema.png", file)), options("q.xml")));
    expect(question?.stem).toBe(`Is this 3NF? ![schema](data:image/png;base64,${png})`);
    expect(renderMarkdown(question!.stem)).toContain(`<img src="data:image/png;base64,${png}" alt="schema" />`);
  });

  it("refuse the question, alone, when the file is not there or not an image", () => {
    const svg = `<file name="s.svg" path="/" encoding="base64">PHN2Zz48L3N2Zz4=</file>`;
    for (const text of [withImage("s.png", ""), withImage("s.svg", svg)]) {
      const result = parseMoodleXml(quiz(text), options("q.xml"));
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.errors[0]?.message).toContain("which it does not carry as a PNG, JPEG, GIF or WebP image");
    }
  });
});

describe("rendering images", () => {
  it("admits data: images only; other sources lose their src", () => {
    expect(renderMarkdown("![a](https://example.org/x.png)")).not.toContain("src=");
    expect(renderMarkdown("![a](javascript:alert(1))")).not.toContain("<img");
    expect(renderMarkdown("![a](data:text/html;base64,PHNjcmlwdD4=)")).not.toContain("<img");
  });
});

describe("text that is not Markdown (HTML, Moodle's auto-format) keeps what Moodle shows", () => {
  const shows = (markdown: string) => renderMarkdown(markdown).replace(/<[^>]*>/g, "");

  it("escapes __init__ and 2*3*4 in untagged GIFT, which Markdown would show as a bold init and an italic 3", () => {
    const [dunder, product] = questionsOf(
      parseGift(
        "::u2::In Python, what is __init__ for?{=Initialising ~Deleting}\n\n::u3::What is 2*3*4?{#24}",
        options("u.gift"),
      ),
    );
    expect(dunder!.stem).toBe("In Python, what is \\_\\_init\\_\\_ for?");
    expect(shows(dunder!.stem)).toBe("In Python, what is __init__ for?");
    expect(shows(product!.stem)).toBe("What is 2*3*4?");
  });

  it("escapes Moodle XML HTML only where Markdown would show other text, so plain text stays as written", () => {
    expect(htmlToMarkdown("<p>What is <b>2*3*4</b>?</p>")).toBe("What is **2\\*3\\*4**?");
    expect(htmlToMarkdown("<p>Name columns in snake_case, as in <code>user_id</code> &amp; <i>order_id</i>.</p>")).toBe(
      "Name columns in snake_case, as in `user_id` & *order_id*.",
    );
    expect(shows(htmlToMarkdown("<p>1. is not a list item, and &lt;b&gt; is not a tag</p>"))).toBe(
      "1. is not a list item, and &lt;b&gt; is not a tag",
    );
  });

  it("leaves a cloze's embedded answers to the cloze reader while its text around them is escaped", () => {
    const [cloze] = questionsOf(
      parseMoodleXml(
        quiz(
          `<question type="cloze"><name><text>c</text></name><questiontext format="html"><text><![CDATA[<p>__init__ runs {1:MULTICHOICE:=after~%0%before#No, __new__ does~%0%instead of} __new__.</p>]]></text></questiontext></question>`,
        ),
        options("c.xml"),
      ),
    );
    expect(cloze).toMatchObject({
      type: "gap",
      stem: "\\_\\_init\\_\\_ runs [[1]] \\_\\_new\\_\\_.",
      gaps: [
        {
          kind: "choice",
          options: [
            { text: "after", correct: true },
            { text: "before", correct: false, feedback: "No, __new__ does" },
            { text: "instead of", correct: false },
          ],
        },
      ],
    });
  });
});
