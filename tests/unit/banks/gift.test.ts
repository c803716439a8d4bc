import { readFileSync } from "node:fs";
import path from "node:path";
import type { ParsedBank, ParsedQuestion, ParseIssue } from "../../../src/modules/banks/model";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/gift", name), "utf8");
const options = { file: "bank.gift", slug: "gf", title: "GIFT fixture", defaultTopic: "general" };

function parsed(text: string) {
  const result = parseGift(text, options);
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(text: string): ParseIssue[] {
  const result = parseGift(text, options);
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
}

const at = (line: number, column: number, message: string) =>
  expect.objectContaining({ file: "bank.gift", line, column, message: expect.stringContaining(message) });

describe("parseGift: the good fixture", () => {
  const { bank, warnings } = parsed(fixture("good.gift"));
  const byId = (id: string) => bank.questions.find((question) => question.externalId === id);

  it("maps categories to topics and keeps every question", () => {
    expect(bank).toMatchObject({ slug: "gf", title: "GIFT fixture", description: "", licence: "", cards: [] });
    expect(bank.topics).toEqual([
      { path: "http/status-codes", title: "Status Codes" },
      { path: "databases/sql", title: "SQL" },
      { path: "git", title: "Git" },
    ]);
    expect(bank.questions).toHaveLength(14);
    expect(bank.questions.map((question) => question.type)).toEqual([
      "single",
      "multiple",
      "truefalse",
      "truefalse",
      "single",
      "short",
      "numeric",
      "numeric",
      "numeric",
      "numeric",
      "single",
      "truefalse",
      "truefalse",
      "numeric",
    ]);
  });

  it("reads single choice with per-answer feedback and general feedback", () => {
    expect(byId("http-404")).toEqual({
      type: "single",
      options: [
        {
          text: "`404 Not Found`",
          correct: true,
          feedback: "Right: the origin server found no current representation.",
        },
        { text: "`410 Gone`", correct: false, feedback: "Close, but 410 says the resource is gone for good." },
        { text: "`400 Bad Request`", correct: false },
      ],
      externalId: "http-404",
      topic: "http/status-codes",
      stem: "Which status code means the target resource was **not found**?",
      explanation: "RFC 9110, section 15.5.5, defines 404.",
      difficulty: 2,
      tags: [],
      references: [],
      position: { file: "bank.gift", line: 6, column: 1 },
    });
  });

  it("reads weighted multiple response, keeping a non-id title and deriving the id", () => {
    const question = bank.questions[1] as ParsedQuestion;
    expect(question).toMatchObject({
      type: "multiple",
      title: "Safe methods",
      externalId: "gf-c28143c1cc7d",
      options: [
        { text: "GET", correct: true, weight: 50 },
        { text: "HEAD", correct: true, weight: 50 },
        { text: "POST", correct: false, weight: -100, feedback: "POST is neither safe nor idempotent." },
      ],
    });
    expect(question.externalId).toMatch(/^gf-[0-9a-f]{12}$/);
  });

  it("reads true/false in all spellings, keeping general feedback as the explanation", () => {
    expect(byId("http-put-idempotent")).toMatchObject({
      type: "truefalse",
      answer: true,
      explanation: "Idempotent: the intended effect of several identical requests equals that of one.",
    });
    expect(bank.questions[3]).toMatchObject({ type: "truefalse", answer: true, explanation: "" });
    expect(byId("git-rebase-shared")).toMatchObject({
      type: "truefalse",
      answer: false,
      topic: "git",
      explanation: "Rebasing rewrites those commits, so everyone else's history diverges.",
    });
    expect(byId("git-unknown-escape")).toMatchObject({
      type: "truefalse",
      answer: false,
      stem: "Is \\q kept as written?",
    });
  });

  it("keeps fenced and inline code intact, braces and GIFT specials included", () => {
    expect(byId("sql-json-literal")).toMatchObject({
      type: "single",
      topic: "databases/sql",
      stem: [
        "What does this query return?",
        "```sql",
        `SELECT '{"a": 1}'::jsonb ->> 'a' AS value; -- braces, ~, =, # and : need no escaping here`,
        "",
        "-- a blank line above stays inside the code block",
        "```",
      ].join("\n"),
      options: [
        { text: "The text `1`", correct: true },
        { text: "An error: `{` must be escaped", correct: false },
      ],
      explanation: "`->>` extracts a field as text; `->` would keep it as `jsonb`.",
      position: { file: "bank.gift", line: 27, column: 1 },
    });
  });

  it("reads short answers and every numeric form", () => {
    const [short, zero, port, pi, year] = bank.questions.slice(5, 10);
    expect(short).toMatchObject({ type: "short", accept: ["DISTINCT", "SELECT DISTINCT"], caseSensitive: false });
    expect(zero).toMatchObject({ type: "numeric", answers: [{ value: 0, tolerance: 0 }] });
    expect(port).toMatchObject({ type: "numeric", answers: [{ value: 5432, tolerance: 0 }] });
    expect(port?.stem).toBe("Which port does PostgreSQL listen on by default?");
    expect(pi).toMatchObject({ type: "numeric", answers: [{ value: 3.1415, tolerance: 0.0005 }] });
    // A %50% answer earns half the mark (Moodle's partial credit).
    expect(year).toMatchObject({
      type: "numeric",
      answers: [
        { value: 1986, tolerance: 0 },
        { value: 1987, tolerance: 1, weight: 50 },
      ],
    });
    expect(byId("http-timeout")).toMatchObject({ type: "numeric", answers: [{ value: 1500, tolerance: 50 }] });
  });

  it("decodes escapes and \\n", () => {
    expect(byId("git-escapes")).toMatchObject({
      topic: "git",
      // Untagged text is read in Moodle's auto-format: a line break is kept (a Markdown hard break).
      stem: "Which command shows the commit {abc}: an escaped ~ = # \\ line?\\\nSecond line of the stem.",
      options: [
        { text: "git show abc", correct: true },
        { text: "git log =abc", correct: false },
      ],
    });
  });

  it("keeps a description as the intro of the questions after it, not as a question", () => {
    expect(byId("git-unknown-escape")?.intro).toBe("Git stores snapshots, not differences.");
    expect(bank.questions.some((q) => q.stem.includes("Git stores snapshots"))).toBe(false);
  });

  it("warns about what it drops or cannot take literally", () => {
    expect(warnings).toEqual([
      at(21, 44, "true/false feedback is dropped"),
      at(63, 26, 'unknown escape "\\q" is kept as written'),
      at(65, 92, "true/false feedback is dropped"),
    ]);
  });
});

describe("parseGift: bad input", () => {
  it.each([
    [
      "unclosed block",
      "Which port does HTTPS use? {=443 ~80\n\nNext? {T}",
      1,
      28,
      'answer block opened with "{" on line 1 is never closed; add "}"',
    ],
    ["block closed after another {", "Which? {=a {b} ~c}", 1, 8, 'is not closed before the "{" on line 1'],
    ["stray }", "Which port } does HTTP use? {=80 ~443}", 1, 12, 'stray "}" with no "{" before it'],
    ["matching without a second pair", "Match.{=GET -> safe =POST}", 1, 21, 'pair "=POST" on line 1 has no "->"'],
    [
      "a missing word filled by a number",
      "The {#4} methods are safe.",
      1,
      5,
      "is filled by one choice {=right ~wrong} or by text {=answer}, not by a numeric block",
    ],
    ["no correct answer", "Which port? {~80 ~443}", 1, 14, "has no correct answer"],
    ["fewer than two options", "Which port? {~80}", 1, 14, "has only one option"],
    ["two options marked =", "Which? {=a =b ~c}", 1, 12, 'marks 2 options with "="'],
    ["bad weight", "Which are safe? {~%abc%GET ~%50%HEAD}", 1, 19, 'weight "%abc%" is not a percentage'],
    [
      "weight over 100",
      "Which are safe? {~%150%GET ~%50%HEAD}",
      1,
      19,
      'weight "%150%" is not a percentage between -100 and 100',
    ],
    ["bad number", "Port? {#eighty}", 1, 8, 'numeric answer "eighty" is not a number'],
    ["range backwards", "Port? {#443..80}", 1, 8, "has its larger end first"],
    ["negative tolerance", "Port? {#80:-1}", 1, 8, "has a negative tolerance"],
    ["bad alternative", "Year? {# =1986:0 =soon}", 1, 18, 'numeric answer "soon" is not a number'],
    ["only partial numeric", "Year? {# =%50%1986:0}", 1, 9, "has no full-credit answer"],
    [
      "unclosed title",
      "::http-1 Which port? {=443 ~80}",
      1,
      1,
      'title opened with "::" on line 1 is never closed; add "::"',
    ],
    ["no stem", "{=a ~b}", 1, 1, "has no text before its answer block"],
    ["short answer without =", "Capital? {Paris}", 1, 11, "write {=Paris} for a short answer"],
    ["answer without text", "Which? {= ~b}", 1, 9, 'answer "=" on line 1 has no text'],
    ["text before the first answer", "Which? {hello =a ~b}", 1, 9, '"hello" stands before the first answer'],
    ["true/false with three feedbacks", "True? {T#a#b#c}", 1, 13, "has more than two feedbacks"],
    [
      "only partial short answers",
      "Capital? {=%50%Paris}",
      1,
      11,
      "short answer block on line 1 has no full-credit answer",
    ],
    [
      "unclosed code fence",
      "::q::[markdown]Code?\n```js\nconst a = {};\n{=a ~b}",
      2,
      1,
      "code fence ``` opened on line 2 is never closed",
    ],
    ["empty $CATEGORY", "$CATEGORY:\n\nQ? {T}", 1, 1, "$CATEGORY: needs a category path"],
    [
      "duplicate ids",
      "::a-1::Q one? {T}\n\n::a-1::Q two? {F}",
      3,
      1,
      'duplicate question id "a-1": the question on line 1 already uses it',
    ],
  ])("%s", (_name, text, line, column, message) => {
    expect(errorsOf(text)).toContainEqual(at(line, column, message));
  });

  it("reports every error of a file, not just the first", () => {
    expect(errorsOf(fixture("bad-several.gift"))).toEqual([
      at(4, 40, 'numeric answer "four-four-three" is not a number'),
      at(6, 26, "multiple choice block on line 6 has no correct answer"),
      at(8, 46, 'answer block opened with "{" on line 8 is never closed'),
      at(12, 41, 'weight "%abc%" is not a percentage'),
    ]);
  });

  it("imports matching, essay and missing-word questions it once refused", () => {
    // Matching (line 2), the essay (line 8) and the missing word (line 10) are imported since
    // those types are supported; the essay without a model answer is warned about.
    const result = parseGift(fixture("bad-unsupported.gift"), options);
    expect(result.ok && result.bank.questions.map((q) => q.type)).toEqual(["matching", "essay", "gap"]);
    expect(result.ok && result.warnings).toEqual([at(8, 55, "essay on line 8 has no model answer")]);
  });

  it("refuses more than 20,000 questions in one file, at the first one too many", () => {
    const text = Array.from({ length: 20_001 }, (_, k) => `Is ${k} a number? {T}`).join("\n\n");
    expect(errorsOf(text)).toEqual([
      at(40_001, 1, "the file holds 20,001 questions, more than the 20,000 one file may hold"),
    ]);
  });

  it("never throws, whatever the input", () => {
    for (const text of ["", "{", "}", "::", "\\", "{#}", "{=}", "```", "::a::[html]", "{~%", "\u0000{T}", "x{#1..}"]) {
      expect(() => parseGift(text, options)).not.toThrow();
    }
  });
});

describe("exportGift", () => {
  const position = { file: "bank.yaml", line: 1, column: 1 };
  const common = { difficulty: 2 as const, tags: [], references: [], position, explanation: "" };
  const questions: ParsedQuestion[] = [
    {
      ...common,
      type: "single",
      externalId: "js-object-literal",
      topic: "languages/javascript",
      stem: [
        "What does this log?",
        "",
        "```js",
        "const config = { retries: 3, mode: 'a:b' }; // {braces} = ~ # :",
        "",
        "// a comment line inside the code",
        'console.log(config.mode === "a:b" ? "\\n" : `#${config.retries}`);',
        "```",
        "",
        "// not a GIFT comment, it is text",
        "Pick one.",
      ].join("\n"),
      options: [
        { text: "`\\n` (a newline escape)", correct: true, feedback: "Right: `===` compares `'a:b'` with `\"a:b\"`." },
        { text: "`#3`", correct: false },
        { text: "```\n{ }\n```", correct: false, feedback: "No: it is not the object {~=#}." },
      ],
      explanation: 'The ternary picks the string `"\\n"`; `{}` and `~` are plain characters in code.',
    },
    {
      ...common,
      type: "multiple",
      externalId: "http-safe-methods",
      topic: "http",
      stem: "Which methods are safe? Use `curl -X GET` = `curl` by default.",
      options: [
        { text: "GET", correct: true, weight: 50 },
        { text: "HEAD", correct: true, weight: 50 },
        { text: "POST", correct: false, weight: -100, feedback: "POST changes state: ~not~ safe." },
      ],
    },
    {
      ...common,
      type: "single",
      externalId: "sql-two-blocks",
      topic: "databases/sql",
      stem: [
        "Compare:",
        "",
        "```sql",
        "SELECT '{}'::jsonb;",
        "```",
        "",
        "```sql",
        "SELECT '#=~';",
        "```",
        "",
        "$CATEGORY: not a category, and ::not a title::",
        "```a fence that never closes is text",
      ].join("\n"),
      options: [
        { text: "The same", correct: false },
        { text: "Different\n\n    indented = code", correct: true },
      ],
    },
    {
      ...common,
      type: "truefalse",
      externalId: "http-put",
      topic: "http",
      stem: "PUT is idempotent.",
      answer: true,
      explanation: "Repeating it changes nothing more.",
    },
    {
      ...common,
      type: "short",
      externalId: "git-head",
      topic: "git",
      stem: "Which ref names the current commit?",
      accept: ["HEAD", "@"],
      caseSensitive: false,
    },
    {
      ...common,
      type: "numeric",
      externalId: "http-port",
      topic: "http",
      stem: "HTTPS port?",
      answers: [{ value: 443, tolerance: 0 }],
    },
    {
      ...common,
      type: "numeric",
      externalId: "sql-pi",
      topic: "databases/sql",
      stem: "Pi to 3 places?",
      answers: [
        { value: 3.142, tolerance: 0.0005 },
        { value: -1.5e-7, tolerance: 1 },
      ],
    },
  ];
  const bank: ParsedBank = {
    slug: "rt",
    title: "Round trip",
    description: "",
    licence: "",
    topics: [],
    questions,
    cards: [],
  };
  const withoutPosition = (list: ParsedQuestion[]) => list.map(({ position: _position, ...rest }) => rest);

  it("round-trips code with braces, =, #, ~ and : in fences and inline code, and every exportable type", () => {
    const result = parseGift(exportGift(bank), { ...options, slug: "rt" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toEqual([]);
    expect(withoutPosition(result.bank.questions)).toEqual(withoutPosition(questions));
  });

  it("escapes specials everywhere, inside code too", () => {
    const text = exportGift(bank);
    expect(text).toContain("const config \\= \\{ retries\\: 3, mode\\: 'a\\:b' \\}; // \\{braces\\} \\= \\~ \\# \\:");
    expect(text).toContain(
      "::http-safe-methods::[markdown]Which methods are safe? Use `curl -X GET` \\= `curl` by default.",
    );
    expect(text).toContain("~%50%GET\n~%50%HEAD\n~%-100%POST\n#POST changes state\\: \\~not\\~ safe.");
    expect(text).toContain("$CATEGORY: languages/javascript");
    expect(text).toContain(
      "::http-put::[markdown]PUT is idempotent.\n{\nTRUE\n####Repeating it changes nothing more.\n}",
    );
    expect(text).toContain("{\n#\n=3.142:0.0005\n=-1.5e-7:1\n}");
  });

  it("writes a comment line for an ordering question, which GIFT cannot express", () => {
    const ordering: ParsedQuestion = {
      ...common,
      type: "ordering",
      externalId: "git-steps",
      topic: "git",
      stem: "Order?",
      items: ["add", "commit", "push"],
    };
    const text = exportGift({ ...bank, questions: [ordering] });
    expect(text).toContain("// ordering question git-steps cannot be expressed in GIFT");
    const result = parsed(text);
    expect(result.bank.questions).toEqual([]);
  });

  it("gives multiple response equal weights that sum to 100, and -100 to wrong options", () => {
    const three: ParsedQuestion = {
      ...common,
      type: "multiple",
      externalId: "sql-three",
      topic: "databases/sql",
      stem: "Which are aggregate functions?",
      options: [
        { text: "COUNT", correct: true },
        { text: "SUM", correct: true },
        { text: "AVG", correct: true },
        { text: "LIKE", correct: false },
      ],
    };
    expect(exportGift({ ...bank, questions: [three] })).toContain(
      "~%33.33333%COUNT\n~%33.33333%SUM\n~%33.33333%AVG\n~%-100%LIKE",
    );
  });
});

describe("parseGift: Moodle's rules", () => {
  const result = parseGift(fixture("moodle-rules.gift"), options);
  if (result.ok || !result.partial) throw new Error("expected a partial bank");
  const { bank, rejected, warnings } = result.partial;
  const byId = (id: string) => bank.questions.find((question) => question.externalId === id);

  it("reads [plain] text as text, stripping the tag from answers too", () => {
    expect(byId("dunder")).toMatchObject({
      stem: "What does \\_\\_init\\_\\_ do in a class?",
      options: [
        { text: "It initialises a new instance", correct: true },
        { text: "It deletes \\*all\\* objects", correct: false },
      ],
    });
  });

  it("converts [html] stems, answers and feedback to Markdown, as Moodle XML's HTML", () => {
    expect(byId("html-q")).toMatchObject({
      stem: "Which tag makes **bold** text?",
      options: [
        { text: "`<strong>`", correct: true, feedback: "Right." },
        { text: "`<em>`", correct: false },
      ],
    });
  });

  it("keeps short answers as typed, without their format tag", () => {
    expect(byId("colour")).toMatchObject({ type: "short", accept: ["blue", "light blue"] });
  });

  it("decodes every escape, \\n as a line break", () => {
    // Untagged text is not Markdown: the backslash Moodle shows is escaped (with the other
    // specials), so a learner sees "\." as Moodle shows it.
    expect(byId("escapes")?.stem).toBe(
      "Which characters does GIFT escape? Write : # = \\~ { } and \\\\.\\\nThe second line.",
    );
  });

  it("reads several numeric answers with their weights, feedback and the feedback for any other answer", () => {
    expect(byId("year")).toMatchObject({
      type: "numeric",
      answers: [
        { value: 2008, tolerance: 0, feedback: "Right." },
        { value: 2008, tolerance: 1, weight: 50, feedback: "Close." },
      ],
      otherFeedback: "Look it up.",
    });
    expect(warnings.filter((w) => w.line === 17)).toEqual([]);
  });

  it("refuses a question that refers to an embedded file, with a clear message", () => {
    expect(rejected).toEqual([
      expect.objectContaining({
        externalId: "picture",
        errors: [at(20, 1, 'it refers to the file "diagram.png" (@@PLUGINFILE@@), which a GIFT file cannot carry')],
      }),
    ]);
  });

  it("imports two questions with the same text, with a warning", () => {
    const twice = parseGift("Is 1 odd? {T}\n\nIs 1 odd? {T}", options);
    if (!twice.ok) throw new Error(JSON.stringify(twice.errors));
    const [first, second] = twice.bank.questions;
    expect(second?.externalId).not.toBe(first?.externalId);
    expect(twice.warnings).toEqual([
      at(3, 1, "this question has the same text as the one on line 1; both are imported"),
    ]);
  });
});
