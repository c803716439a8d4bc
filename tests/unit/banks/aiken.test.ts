import { readFileSync } from "node:fs";
import path from "node:path";
import type { ParseIssue } from "../../../src/modules/banks/model";
import { parseAiken } from "../../../src/modules/banks/formats/aiken";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/aiken", name), "utf8");
const options = { file: "bank.txt", slug: "ak", title: "Aiken fixture", defaultTopic: "web/http" };

function errorsOf(text: string): ParseIssue[] {
  const result = parseAiken(text, options);
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
}

const at = (line: number, column: number, message: string) =>
  expect.objectContaining({ file: "bank.txt", line, column, message: expect.stringContaining(message) });

describe("parseAiken: the good fixture", () => {
  const result = parseAiken(fixture("good.txt"), options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { bank, warnings } = result;

  it("puts every question in the default topic, with derived ids", () => {
    expect(warnings).toEqual([]);
    expect(bank.topics).toEqual([{ path: "web/http", title: "Http" }]);
    expect(bank.questions).toHaveLength(4);
    for (const question of bank.questions) expect(question.externalId).toMatch(/^ak-[0-9a-f]{12}$/);
    expect(new Set(bank.questions.map((question) => question.externalId)).size).toBe(4);
  });

  it("reads options written with ) and the answer letter", () => {
    expect(bank.questions[0]).toEqual({
      type: "single",
      options: [
        { text: "401 Unauthorized", correct: true },
        { text: "403 Forbidden", correct: false },
        { text: "407 Proxy Authentication Required", correct: false },
        { text: "511 Network Authentication Required", correct: false },
      ],
      externalId: bank.questions[0]?.externalId,
      topic: "web/http",
      stem: "Which HTTP status code tells a client that it must authenticate?",
      explanation: "",
      difficulty: 2,
      tags: [],
      references: [],
      position: { file: "bank.txt", line: 1, column: 1 },
    });
  });

  it("reads options written with a dot", () => {
    expect(bank.questions[1]).toMatchObject({
      stem: "Which Git command records staged changes in the repository?",
      options: [
        { text: "git add", correct: false },
        { text: "git commit", correct: true },
        { text: "git push", correct: false },
      ],
      position: { line: 8, column: 1 },
    });
  });

  it("keeps HTML-looking text as text, and indented questions", () => {
    expect(bank.questions[2]).toMatchObject({
      stem: "What does the HTML fragment <b>&amp;</b> contain once the browser renders it?",
      options: [
        { text: "<b>&</b>", correct: false },
        { text: "A bold ampersand: &", correct: true },
      ],
      position: { line: 14, column: 3 },
    });
  });

  it("lets the question run over several lines before the first option", () => {
    expect(bank.questions[3]).toMatchObject({
      stem: "What does the WHERE clause of this query do?\n    SELECT * FROM orders WHERE total > 100;",
      options: [
        { text: "It filters rows before any grouping", correct: true },
        { text: "It sorts the rows by total", correct: false },
      ],
      position: { line: 19, column: 1 },
    });
  });

  it("derives the same id from the same topic and stem, whatever the white space", () => {
    const idOf = (text: string, topic = "web/http") => {
      const parsed = parseAiken(text, { ...options, defaultTopic: topic });
      return parsed.ok ? parsed.bank.questions[0]?.externalId : undefined;
    };
    const original = bank.questions[0]?.externalId;
    const rewrapped = "Which HTTP status code tells   a client\nthat it must authenticate?\nA) x\nB) y\nANSWER: B";
    expect(idOf(rewrapped)).toBe(original);
    expect(idOf(rewrapped, "web/auth")).not.toBe(original);
    expect(idOf("Which HTTP status code tells a proxy that it must authenticate?\nA) x\nB) y\nANSWER: B")).not.toBe(
      original,
    );
  });
});

describe("parseAiken: bad input", () => {
  const question = "Which port does HTTPS use by default?";
  it.each([
    ["fewer than two options", `${question}\nA) 443\nANSWER: A`, 1, 1, "has only one option; write at least two"],
    ["option before any question", "A) 443\nB) 80\nANSWER: A", 1, 1, 'option "A)" on line 1 comes before any question'],
    ["ANSWER without options", `${question}\nANSWER: A`, 2, 9, '"ANSWER:" on line 2 comes before any option'],
    ["ANSWER without a question", "ANSWER: A", 1, 9, '"ANSWER:" on line 1 has no question before it'],
    [
      "unfinished at the end of the file",
      `${question}\nA) 443\nB) 80`,
      1,
      1,
      'is never finished: the file ends before its "ANSWER:" line',
    ],
    [
      "unfinished before a blank line",
      `${question}\nA) 443\nB) 80\n\nNext?\nA) x\nB) y\nANSWER: A`,
      1,
      1,
      "is never finished: the blank line 4 comes",
    ],
    [
      "A)text without the space",
      `${question}\nA)443\nB) 80\nANSWER: A`,
      2,
      3,
      'option "A)" on line 2 needs a space after ")"',
    ],
    [
      "B.text without the space",
      `${question}\nA. 443\nB.80\nANSWER: A`,
      3,
      3,
      'option "B." on line 3 needs a space after "."',
    ],
    ["an option without text", `${question}\nA) 443\nB)\nANSWER: A`, 3, 1, 'option "B)" on line 3 has no text'],
    [
      "answer letter naming no option",
      `${question}\nA) 443\nB) 80\nANSWER: C`,
      4,
      9,
      '"ANSWER: C" on line 4 names no option; this question has options A to B',
    ],
    ["answer with two letters", `${question}\nA) 443\nB) 80\nANSWER: A, B`, 4, 9, "must name one option letter"],
    ["empty answer", `${question}\nA) 443\nB) 80\nANSWER:`, 4, 8, '"ANSWER:" on line 4 names no letter'],
    [
      "duplicate letters",
      `${question}\nA) 443\nA) 80\nANSWER: A`,
      3,
      1,
      'option letter "A" on line 3 is already used on line 2',
    ],
    [
      "letters out of order",
      `${question}\nA) 443\nC) 80\nANSWER: A`,
      3,
      1,
      'option "C)" on line 3 comes where "B)" is expected',
    ],
    [
      "stray line among options",
      `${question}\nA) 443\nB) 80\nport 443\nANSWER: A`,
      4,
      1,
      "line 4 is neither an option",
    ],
    [
      "Windows line ends",
      `${question}\r\nA) 443\r\nB) 80\r\nANSWER: Q\r\n`,
      4,
      9,
      '"ANSWER: Q" on line 4 names no option',
    ],
  ])("%s", (_name, text, line, column, message) => {
    expect(errorsOf(text)).toContainEqual(at(line, column, message));
  });

  it("reports every error of a file, not just the first", () => {
    expect(errorsOf(fixture("bad-several.txt"))).toEqual([
      at(1, 1, 'option "A)" on line 1 comes before any question'),
      at(7, 3, 'option "B)" on line 7 needs a space after ")"'),
      at(10, 1, "the question on line 10 has only one option"),
      at(17, 9, '"ANSWER: D" on line 17 names no option'),
      at(19, 1, 'the question on line 19 is never finished: the file ends before its "ANSWER:" line'),
    ]);
  });

  it("never throws, whatever the input", () => {
    for (const text of [
      "",
      "\n\n",
      "ANSWER:",
      "A)",
      "A) x",
      "Q\nA)",
      "Q\nA) x\nB) y\nANSWER: \u0000",
      "\uFEFFQ\nA) x\nB) y\nANSWER: B",
    ]) {
      expect(() => parseAiken(text, options)).not.toThrow();
    }
  });
});
