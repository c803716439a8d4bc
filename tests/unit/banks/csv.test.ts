import { readFileSync } from "node:fs";
import path from "node:path";
import type { ParseIssue } from "../../../src/modules/banks/model";
import { parseCsv } from "../../../src/modules/banks/formats/csv";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/csv", name), "utf8");
const options = { file: "bank.csv", slug: "cs", title: "CSV fixture", defaultTopic: "general" };

function parsed(text: string) {
  const result = parseCsv(text, options);
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(text: string): ParseIssue[] {
  const result = parseCsv(text, options);
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
}

const at = (line: number, column: number, message: string) =>
  expect.objectContaining({ file: "bank.csv", line, column, message: expect.stringContaining(message) });

describe("parseCsv: the good fixture", () => {
  const { bank, warnings } = parsed(fixture("good.csv"));
  const byId = (id: string) => bank.questions.find((question) => question.externalId === id);

  it("reads every row, skipping comments and blank lines, at the line where each record starts", () => {
    expect(warnings).toEqual([]);
    expect(bank.questions.map((question) => [question.type, question.position.line])).toEqual([
      ["single", 4],
      ["multiple", 5],
      ["multiple", 6],
      ["truefalse", 8],
      ["short", 9],
      ["numeric", 11],
      ["numeric", 12],
      ["ordering", 13],
      ["single", 14],
    ]);
    expect(bank.topics).toEqual([
      { path: "http/methods", title: "Methods" },
      { path: "databases/sql", title: "SQL" },
      { path: "git", title: "Git" },
      { path: "http", title: "HTTP" },
    ]);
  });

  it("reads a single choice row with every optional column", () => {
    expect(byId("http-idempotent")).toEqual({
      type: "single",
      options: [
        { text: "GET", correct: false },
        { text: "PUT", correct: true },
        { text: "POST", correct: false },
        { text: "PATCH", correct: false },
      ],
      externalId: "http-idempotent",
      topic: "http/methods",
      stem: "Which method is idempotent but not safe?",
      explanation: "PUT replaces the target state, so repeating it changes nothing more.",
      difficulty: 1,
      tags: ["methods", "idempotency"],
      references: ["RFC 9110, section 9.2.2"],
      position: { file: "bank.csv", line: 4, column: 1 },
    });
  });

  it("reads multiple response from letters, with weights, and from option columns A..H", () => {
    expect(bank.questions[1]).toMatchObject({
      type: "multiple",
      externalId: expect.stringMatching(/^cs-[0-9a-f]{12}$/),
      options: [
        { text: "GET", correct: true },
        { text: "HEAD", correct: true },
        { text: "DELETE", correct: false },
      ],
      difficulty: 2,
      tags: ["methods"],
    });
    expect(byId("sql-weighted")).toMatchObject({
      type: "multiple",
      difficulty: 3,
      options: [
        { text: "WHERE", correct: true, weight: 50 },
        { text: "HAVING", correct: true, weight: 50 },
        { text: "ORDER BY", correct: false, weight: -100 },
      ],
    });
  });

  it("reads true/false, short, numeric and ordering rows", () => {
    expect(byId("sql-null")).toMatchObject({ type: "truefalse", answer: false, topic: "databases/sql" });
    expect(byId("git-head")).toMatchObject({ type: "short", accept: ["HEAD", "@"], caseSensitive: false });
    expect(byId("http-port")).toMatchObject({
      type: "numeric",
      answers: [{ value: 80, tolerance: 0 }],
      tags: ["ports"],
    });
    expect(byId("csv-http-timeout")).toMatchObject({ type: "numeric", answers: [{ value: 1500, tolerance: 50 }] });
    expect(byId("git-steps")).toMatchObject({ type: "ordering", items: ["git add", "git commit", "git push"] });
  });

  it("keeps quoted newlines, separators and doubled quotes", () => {
    expect(byId("sql-multiline")).toMatchObject({
      stem: "What does this query return?\n\n```sql\nSELECT COUNT(*) FROM users WHERE deleted_at IS NULL;\n```",
      options: [
        { text: "The number of users that are not deleted", correct: true },
        { text: "An error: COUNT needs a column", correct: false },
        { text: '"NULL"', correct: false },
      ],
      explanation: "COUNT(*) counts rows, whatever their values.",
    });
  });

  it("takes the separator from #separator: and option columns named A, B, C", () => {
    const semicolon = parsed(fixture("good-semicolon.csv"));
    expect(semicolon.bank.questions).toEqual([
      expect.objectContaining({
        externalId: "cache-no-store",
        topic: "general",
        stem: "What does Cache-Control: no-store forbid?",
        options: [
          { text: "Storing the response in any cache", correct: true },
          { text: "Revalidating a stored response", correct: false },
          { text: "Compressing the body", correct: false },
        ],
        position: { file: "bank.csv", line: 4, column: 1 },
      }),
    ]);
  });

  it("guesses a tab separator from the header line and warns about unknown columns", () => {
    const result = parsed("stem\toptions\tanswer\tcolour\nWhich method is safe?\tGET|POST\tA\tred\n");
    expect(result.bank.questions[0]).toMatchObject({
      stem: "Which method is safe?",
      options: [
        { text: "GET", correct: true },
        { text: "POST", correct: false },
      ],
    });
    expect(result.warnings).toEqual([at(1, 21, 'unknown column "colour" is ignored')]);
  });
});

describe("parseCsv: bad input", () => {
  const header = "id,topic,type,stem,options,answer,explanation,tags,difficulty,references\n";
  it.each([
    ["no stem column", "id,question_text,answer\nq1,Which?,A\n", 1, 1, 'the header row has no "stem" column'],
    ["no header row", "# only a comment\n", 1, 1, "the file has no header row"],
    [
      "a repeated column",
      "stem,stem,options,answer\nWhich?,x,a|b,A\n",
      1,
      6,
      'the column "stem" appears twice in the header',
    ],
    [
      "an unknown separator",
      "#separator:Colon\nstem,options,answer\nWhich?,a|b,A\n",
      1,
      1,
      'unknown separator "Colon"',
    ],
    ["an unknown type", `${header}q1,http,hotspot,Explain REST.,,,,,,\n`, 2, 9, 'unknown type "hotspot"'],
    [
      "an answer letter naming no option",
      `${header}q1,http,single,Which port?,80|443,C,,,,\n`,
      2,
      35,
      'answer "C" names no option C; the options are A, B',
    ],
    [
      "a bad difficulty",
      `${header}q1,http,single,Which port?,80|443,A,,,5,\n`,
      2,
      39,
      'difficulty "5" must be 1, 2 or 3',
    ],
    [
      "too few fields",
      `${header}q1,http,single,Which port?,80|443,A,,,2\n`,
      2,
      1,
      "the row on line 2 has 9 fields but the header has 10",
    ],
    [
      "an unquoted separator",
      `${header}q1,http,single,Which port, really?,80|443,A,,,2,\n`,
      2,
      1,
      'has 11 fields but the header has 10; quote fields that contain ","',
    ],
    [
      "an unterminated quote",
      `${header}q1,http,single,Which port?,80|443,A,,,2,\nq2,http,single,"Which method,GET|POST,A,,,2,\n`,
      3,
      16,
      "quoted field opened on line 3 is never closed",
    ],
    ["an empty stem", `${header}q1,http,single,,80|443,A,,,,\n`, 2, 16, "the stem is empty"],
    [
      "fewer than two options",
      `${header}q1,http,single,Which port?,80,A,,,,\n`,
      2,
      28,
      "a single question needs at least two options",
    ],
    ["no options at all", "stem,answer\nWhich port?,A\n", 2, 1, "a single question needs at least two options"],
    [
      "two letters for single choice",
      `${header}q1,http,single,Which port?,80|443,A;B,,,,\n`,
      2,
      35,
      "must name exactly one option letter",
    ],
    [
      "a true/false answer that is neither",
      `${header}q1,sql,truefalse,NULL = NULL is true.,,maybe,,,,\n`,
      2,
      40,
      'answer "maybe" must be true or false',
    ],
    [
      "a numeric answer that is no number",
      `${header}q1,http,numeric,Port?,,eighty,,,,\n`,
      2,
      24,
      'answer "eighty" is not a number',
    ],
    ["an empty short answer", `${header}q1,git,short,Ref?,,,,,,\n`, 2, 20, 'the "answer" of a short question is empty'],
    [
      "an ordering row with an answer",
      `${header}q1,git,ordering,Order?,add|commit|push,A,,,,\n`,
      2,
      40,
      'leave "answer" empty for ordering questions',
    ],
    [
      "an id that is not a Stackprep id",
      `${header}Q 1,http,single,Which port?,80|443,A,,,,\n`,
      2,
      1,
      'id "Q 1" is not a Stackprep id',
    ],
    [
      "a duplicate id",
      `${header}q1,http,single,Which port?,80|443,A,,,,\nq1,http,single,Which method?,GET|POST,A,,,,\n`,
      3,
      1,
      'duplicate question id "q1": the question on line 2 already uses it',
    ],
    ["an answer letter twice", `${header}q1,http,multiple,Which?,80|443|8080,A;A,,,,\n`, 2, 37, "names option A twice"],
    ["a bad weight", `${header}q1,http,multiple,Which?,80|443|8080,A:abc;B,,,,\n`, 2, 37, 'has the weight "abc"'],
    ["an empty option", `${header}q1,http,single,Which?,80||443,A,,,,\n`, 2, 23, '"options" has an empty item'],
    [
      "an error in a multi-line row",
      `${header}q1,http,single,"Line one\nline two",80|443,Z,,,,\n`,
      3,
      18,
      'answer "Z" names no option Z; the options are A, B (row on line 2)',
    ],
  ])("%s", (_name, text, line, column, message) => {
    expect(errorsOf(text)).toContainEqual(at(line, column, message));
  });

  it("reports every error of a file, not just the first", () => {
    expect(errorsOf(fixture("bad-several.csv"))).toEqual([
      at(2, 54, 'answer "C" names no option C'),
      at(3, 13, 'unknown type "hotspot"'),
      at(4, 55, 'difficulty "7" must be 1, 2 or 3'),
      at(5, 1, "the row on line 5 has 12 fields but the header has 10"),
      at(6, 43, 'answer "maybe" must be true or false'),
    ]);
  });

  it("reports an unterminated quote where it opens, after checking the rows before it", () => {
    expect(errorsOf(fixture("bad-quote.csv"))).toEqual([
      at(3, 7, 'quoted field opened on line 3 is never closed; add the closing "'),
    ]);
    const withEarlierError = fixture("bad-quote.csv").replace("git commit|git add,A", "git commit|git add,Q");
    expect(errorsOf(withEarlierError)).toEqual([
      at(2, 64, 'answer "Q" names no option Q'),
      at(3, 7, "is never closed"),
    ]);
  });

  it("never throws, whatever the input", () => {
    for (const text of [
      "",
      "\n",
      '"',
      "stem",
      'stem\n"',
      "#separator:Tab",
      "stem,answer\n,\n",
      "a,b\n1",
      "\u0000,\u0001",
    ]) {
      expect(() => parseCsv(text, options)).not.toThrow();
    }
  });
});

describe("parseCsv: Moodle's CSV question format", () => {
  const text = readFileSync(path.join(__dirname, "../../fixtures/banks/csv/moodle-layout.csv"), "utf8");
  const result = parseCsv(text, { file: "m.csv", slug: "m", title: "M", defaultTopic: "m" });
  if (result.ok || !result.partial) throw new Error("expected a partial bank");
  const { bank, rejected, warnings } = result.partial;

  it("reads questionname, questiontext, A-D and Answer 1/Answer 2 (two letters: multiple response, 50% each as in Moodle)", () => {
    expect(bank.questions).toEqual([
      expect.objectContaining({
        type: "single",
        title: "Primary key",
        stem: "Which constraint makes a column identify each row?",
        options: [
          { text: "UNIQUE", correct: false },
          { text: "PRIMARY KEY", correct: true },
          { text: "CHECK", correct: false },
          { text: "DEFAULT", correct: false },
        ],
      }),
      expect.objectContaining({
        type: "multiple",
        title: "Aggregates",
        options: [
          { text: "COUNT", correct: true, weight: 50 },
          { text: "LIKE", correct: false },
          { text: "SUM", correct: true, weight: 50 },
          { text: "WHERE", correct: false },
        ],
      }),
    ]);
    expect(warnings).toEqual([]);
  });

  it("refuses a row whose answer names no option, alone", () => {
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      position: { line: 4 },
      label: "Which join keeps every row of the left table?",
    });
    expect(rejected[0]!.errors[0]!.message).toContain('answer "E" names no option E; the options are A, B, C');
  });
});
