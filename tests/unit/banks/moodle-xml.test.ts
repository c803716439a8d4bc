import { readFileSync } from "node:fs";
import path from "node:path";
import type { ParseIssue } from "../../../src/modules/banks/model";
import { htmlToMarkdown, parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/xml", name), "utf8");
const options = { file: "quiz.xml", slug: "mx", title: "Moodle fixture", defaultTopic: "general" };

function errorsOf(text: string): ParseIssue[] {
  const result = parseMoodleXml(text, options);
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
}

const at = (line: number, column: number, message: string) =>
  expect.objectContaining({ file: "quiz.xml", line, column, message: expect.stringContaining(message) });

const quiz = (...questions: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${questions.join("\n")}\n</quiz>\n`;
const choice = (
  extra = "",
  answers = '<answer fraction="100"><text>443</text></answer><answer fraction="0"><text>80</text></answer>',
) =>
  `<question type="multichoice"><questiontext format="plain_text"><text>Which port does HTTPS use?</text></questiontext>${extra}${answers}</question>`;

describe("parseMoodleXml: the good fixture", () => {
  const result = parseMoodleXml(fixture("good.xml"), options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { bank, warnings } = result;
  const byId = (id: string) => bank.questions.find((question) => question.externalId === id);

  it("maps category questions to topics", () => {
    expect(bank.topics).toEqual([
      { path: "databases/sql", title: "SQL" },
      { path: "http", title: "HTTP" },
    ]);
    expect(bank.questions.map((question) => [question.type, question.topic])).toEqual([
      ["single", "databases/sql"],
      ["multiple", "databases/sql"],
      ["truefalse", "http"],
      ["short", "http"],
      ["short", "http"],
      ["numeric", "http"],
      ["numeric", "http"],
    ]);
  });

  it("turns HTML into Markdown, keeping <pre> as a fenced block and <code> as inline code", () => {
    expect(byId("sql-left-join")).toEqual({
      type: "single",
      options: [
        { text: "`LEFT JOIN`", correct: true, feedback: "Right." },
        { text: "INNER JOIN", correct: false, feedback: "An INNER JOIN drops orders without a customer." },
        { text: "CROSS JOIN", correct: false },
      ],
      externalId: "sql-left-join",
      title: "Join that keeps unmatched rows",
      topic: "databases/sql",
      stem: [
        "Which join keeps the rows of **orders** that have no customer?",
        "",
        "```sql",
        "SELECT o.id, c.name",
        "FROM orders o",
        "LEFT JOIN customers c ON c.id = o.customer_id;",
        "```",
      ].join("\n"),
      explanation: "A `LEFT JOIN` keeps every row of the left table & fills the rest with `NULL`.",
      difficulty: 2,
      tags: [],
      references: [],
      position: { file: "quiz.xml", line: 8, column: 3 },
    });
  });

  it("reads multiple response with fractions as weights, and derives a missing id", () => {
    expect(bank.questions[1]).toMatchObject({
      type: "multiple",
      externalId: expect.stringMatching(/^mx-[0-9a-f]{12}$/),
      stem: "Which of these are **ACID** properties? Select all that apply.",
      options: [
        { text: "Atomicity", correct: true, weight: 50 },
        { text: "Isolation", correct: true, weight: 50 },
        { text: "Availability", correct: false, weight: -100, feedback: "That is the A of CAP." },
      ],
      explanation: "",
      position: { line: 36, column: 3 },
    });
  });

  it("reads true/false, short answers with usecase, and numerical answers with tolerance and unit", () => {
    expect(byId("http-get-safe")).toMatchObject({
      type: "truefalse",
      answer: true,
      stem: "GET is a safe method.",
      explanation: "Safe methods are read-only by definition.",
    });
    expect(byId("http-cache-control")).toMatchObject({
      type: "short",
      accept: ["Cache-Control", "Cache-Control:"],
      // fraction="50": half the mark, as Moodle gives it.
      weighted: [
        { text: "Cache-Control", weight: 100 },
        { text: "Cache-Control:", weight: 100 },
        { text: "Expires", weight: 50 },
      ],
      caseSensitive: false,
      stem: "Which response header carries caching directives such as `max-age`?",
    });
    expect(bank.questions[4]).toMatchObject({
      type: "short",
      accept: ["HEAD"],
      caseSensitive: true,
      title: "Method name",
    });
    expect(byId("http-https-port")).toMatchObject({ type: "numeric", answers: [{ value: 443, tolerance: 0 }] });
    expect(bank.questions[6]).toMatchObject({
      type: "numeric",
      answers: [{ value: 30000, tolerance: 500 }],
      unit: "ms",
    });
  });

  it("warns about what it drops; a description is no question (nothing follows this one)", () => {
    expect(warnings).toEqual([at(51, 3, "true/false answer feedback is dropped")]);
    expect(bank.questions.some((q) => q.stem.includes("The next questions are about Git"))).toBe(false);
  });

  it("keeps a description as the intro of the questions after it, up to the next category", () => {
    const xml = `<quiz>
  <question type="description"><questiontext format="html"><text>&lt;p&gt;Use this table: &lt;code&gt;users(id, email)&lt;/code&gt;&lt;/p&gt;</text></questiontext></question>
  <question type="truefalse"><questiontext><text>Is id a key?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
  <question type="truefalse"><questiontext><text>Is email a key?</text></questiontext><answer fraction="100"><text>false</text></answer><answer fraction="0"><text>true</text></answer></question>
  <question type="category"><category><text>$course$/other</text></category></question>
  <question type="truefalse"><questiontext><text>Is this other?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
</quiz>`;
    const result = parseMoodleXml(xml, options);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.bank.questions.map((q) => q.intro)).toEqual([
      "Use this table: `users(id, email)`",
      "Use this table: `users(id, email)`",
      undefined,
    ]);
  });
});

describe("htmlToMarkdown", () => {
  it("removes tags, decodes entities and keeps code", () => {
    expect(
      htmlToMarkdown(
        "<p>Use <b>GROUP&nbsp;BY</b> &amp; <code>HAVING count(*) &gt; 1</code></p><p>Then:</p><pre>if (a &lt; b) {\n  return;\n}</pre>",
      ),
    ).toBe("Use **GROUP BY** & `HAVING count(*) > 1`\n\nThen:\n\n```\nif (a < b) {\n  return;\n}\n```");
    expect(htmlToMarkdown("<ul><li>one</li><li>two</li></ul>x<br/>y")).toBe("- one\n- two\n\nx\\\ny");
    expect(htmlToMarkdown("<code>a`b</code>")).toBe("``a`b``");
  });
});

describe("parseMoodleXml: bad input", () => {
  it.each([
    [
      "a DOCTYPE, refused before parsing",
      '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x "boom">]>\n<quiz>&x;</quiz>',
      2,
      1,
      "DOCTYPE declarations are refused",
    ],
    [
      "malformed XML",
      '<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n<name><text>x</name>\n</question>\n</quiz>',
      4,
      14,
      "malformed XML: Expected closing tag 'text'",
    ],
    [
      "a root other than <quiz>",
      '<?xml version="1.0"?>\n<questions></questions>',
      1,
      1,
      "the root element must be <quiz>",
    ],
    [
      "matching without subquestions",
      quiz('<question type="matching"><questiontext><text>Match</text></questiontext></question>'),
      3,
      1,
      "the matching question on line 3: it has 0 subquestions with text; a matching question needs at least two",
    ],
    [
      "calculated",
      quiz(choice(), '  <question type="calculated"><questiontext><text>Explain</text></questiontext></question>'),
      4,
      3,
      "calculated questions are not supported by Stackprep",
    ],
    [
      "cloze with a numerical blank",
      quiz('<question type="cloze"><questiontext><text>Port {1:NUMERICAL:=80}</text></questiontext></question>'),
      3,
      1,
      "its blank of type NUMERICAL is not supported; Stackprep reads MULTICHOICE and SHORTANSWER blanks",
    ],
    [
      "multianswer",
      quiz('<question type="multianswer"><questiontext><text>{1:SHORTANSWER:=TCP}</text></questiontext></question>'),
      3,
      1,
      "multianswer questions are not supported",
    ],
    [
      "ddwtos without a blank",
      quiz('<question type="ddwtos"><questiontext><text>x</text></questiontext></question>'),
      3,
      1,
      "the ddwtos question on line 3: its text has no blank [[1]]",
    ],
    [
      "a question without a type",
      quiz("<question><questiontext><text>x</text></questiontext></question>"),
      3,
      1,
      "untyped questions are not supported",
    ],
    [
      "a @@PLUGINFILE@@ link to an image it does not carry",
      quiz(choice('<generalfeedback><text><![CDATA[See <img src="@@PLUGINFILE@@/er.png">]]></text></generalfeedback>')),
      3,
      1,
      'refers to the file "er.png" (@@PLUGINFILE@@), which it does not carry as a PNG, JPEG, GIF or WebP image',
    ],
    [
      "a @@PLUGINFILE@@ link",
      quiz(
        choice(
          '<generalfeedback format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/diagram.svg">]]></text></generalfeedback>',
        ),
      ),
      3,
      1,
      'refers to the file "diagram.svg"',
    ],
    [
      "single choice without a 100% answer",
      quiz(
        choice(
          "<single>true</single>",
          '<answer fraction="50"><text>443</text></answer><answer fraction="0"><text>80</text></answer>',
        ),
      ),
      3,
      1,
      'needs exactly one answer with fraction="100", not 0',
    ],
    [
      "single choice with two 100% answers",
      quiz(
        choice("", '<answer fraction="100"><text>443</text></answer><answer fraction="100"><text>80</text></answer>'),
      ),
      3,
      1,
      'needs exactly one answer with fraction="100", not 2',
    ],
    [
      "one answer only",
      quiz(choice("", '<answer fraction="100"><text>443</text></answer>')),
      3,
      1,
      "it has only 1 answer; a multiple choice question needs at least two",
    ],
    [
      "multiple response without a positive fraction",
      quiz(
        choice(
          "<single>false</single>",
          '<answer fraction="0"><text>443</text></answer><answer fraction="-100"><text>80</text></answer>',
        ),
      ),
      3,
      1,
      "no answer has a positive fraction",
    ],
    [
      "a fraction over 100",
      quiz(choice("", '<answer fraction="150"><text>443</text></answer><answer fraction="0"><text>80</text></answer>')),
      3,
      1,
      'the fraction="150" of an answer is not a percentage',
    ],
    [
      "a fraction that is not a number",
      quiz(
        choice("", '<answer fraction="full"><text>443</text></answer><answer fraction="0"><text>80</text></answer>'),
      ),
      3,
      1,
      'the fraction="full" of an answer is not a percentage between -100 and 100',
    ],
    [
      "a numerical answer that is not a number",
      quiz(
        '<question type="numerical"><questiontext><text>Port?</text></questiontext><answer fraction="100"><text>eighty</text><tolerance>0</tolerance></answer></question>',
      ),
      3,
      1,
      'the answer "eighty" with tolerance "0" is not a number',
    ],
    [
      "a negative tolerance",
      quiz(
        '<question type="numerical"><questiontext><text>Port?</text></questiontext><answer fraction="100"><text>80</text><tolerance>-1</tolerance></answer></question>',
      ),
      3,
      1,
      'tolerance "-1"',
    ],
    [
      "a short answer without full credit",
      quiz(
        '<question type="shortanswer"><questiontext><text>Header?</text></questiontext><answer fraction="50"><text>ETag</text></answer></question>',
      ),
      3,
      1,
      'it has no answer with fraction="100"',
    ],
    [
      "true/false without a right answer",
      quiz(
        '<question type="truefalse"><questiontext><text>GET is safe.</text></questiontext><answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>',
      ),
      3,
      1,
      'it needs an answer "true" or "false" with fraction="100"',
    ],
    [
      "an empty question text",
      quiz(choice().replace("Which port does HTTPS use?", "")),
      3,
      1,
      "its <questiontext> is empty",
    ],
    [
      "duplicate idnumbers",
      quiz(choice("<idnumber>http-1</idnumber>"), choice("<idnumber>http-1</idnumber>").replace("HTTPS", "HTTP")),
      4,
      1,
      'duplicate question id "http-1": the question on line 3 already uses it',
    ],
  ])("%s", (_name, text, line, column, message) => {
    expect(errorsOf(text)).toContainEqual(at(line, column, message));
  });

  it("refuses a DOCTYPE with entity definitions before parsing anything", () => {
    expect(errorsOf(fixture("bad-doctype.xml"))).toEqual([at(3, 1, "DOCTYPE declarations are refused")]);
  });

  it("reports malformed XML at the line the parser gives", () => {
    expect(errorsOf(fixture("bad-malformed.xml"))).toEqual([at(4, 75, "malformed XML: Expected closing tag 'text'")]);
  });

  it("reports every unsupported question of a file with its line", () => {
    // The matching (line 3) and essay (line 9) questions are imported since those types are
    // supported, and so is the one on line 13, whose image the file carries.
    expect(errorsOf(fixture("bad-unsupported.xml"))).toEqual([
      at(23, 3, "the cloze question on line 23: its blank of type NUMERICAL is not supported"),
    ]);
  });

  it("never expands entities other than the five predefined ones and character references", () => {
    const result = parseMoodleXml(
      quiz(choice().replace("Which port does HTTPS use?", "A &amp; B &lt;T&gt; &foo; &#65;&#x42;")),
      options,
    );
    expect(result.ok && result.bank.questions[0]?.stem).toBe("A & B <T> &foo; AB");
  });

  it("finds question lines by their own start, not by text that looks like a question", () => {
    const text = quiz(
      "<!-- <question type='x'> -->",
      choice(),
      '<question type="calculated"><questiontext><text><![CDATA[<question>]]></text></questiontext></question>',
    );
    expect(errorsOf(text)).toEqual([at(5, 1, "the calculated question on line 5")]);
  });

  it("never throws, whatever the input", () => {
    for (const text of [
      "",
      "<",
      "<quiz>",
      "<quiz></quiz>",
      "<quiz><question/></quiz>",
      "<quiz><question type='multichoice'><answer/></question></quiz>",
      "\u0000",
    ]) {
      expect(() => parseMoodleXml(text, options)).not.toThrow();
    }
  });
});

describe("parseMoodleXml: typed answers in HTML are compared as written", () => {
  const question = (type: string, answers: string) =>
    `<question type="${type}"><name><text>q-${type}</text></name><questiontext format="html"><text>What?</text></questiontext>${answers}</question>`;
  it("keeps a negative number, a star and underscores in HTML answers unescaped", () => {
    const result = parseMoodleXml(
      quiz(
        question(
          "numerical",
          '<answer fraction="100" format="html"><text>-5</text><tolerance>0</tolerance></answer><answer fraction="0" format="html"><text>*</text><feedback format="html"><text>Below zero.</text></feedback></answer>',
        ),
        question(
          "shortanswer",
          '<answer fraction="100" format="html"><text>__init__</text></answer><answer fraction="50" format="html"><text>init</text></answer>',
        ),
      ),
      options,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [numeric, short] = result.bank.questions;
    expect(numeric).toMatchObject({ type: "numeric", answers: [{ value: -5 }], otherFeedback: "Below zero." });
    expect(short).toMatchObject({ type: "short", accept: ["__init__"] });
  });
});
