// The fast path of the native format must give exactly what the exact path gives for every
// file it accepts (positions included), and give up on everything else.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { linePositions, readYamlFast, resolvePlainScalar } from "../../../src/modules/banks/formats/native-yaml.fast";
import { parseExact, parseFast, parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { generateBanks } from "../../../bench/support/generate-bank";
import { miniBank } from "../../support/banks";

const good = miniBank(
  "demo",
  [
    { id: "demo-1", stem: "First?" },
    { id: "demo-2", stem: "Second with `code`?", topic: "demo/more" },
  ],
  [{ id: "demo-c1", front: "Front" }],
);

/** A parse's result, or what it threw (an alias does: parseBankText reports it). */
function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

/** Asserts that the fast path accepts the file and agrees with the exact path. */
function expectSame(text: string, file = "demo.yaml") {
  const fast = parseFast(text, file);
  const exact = parseExact(text, file);
  expect(exact.ok).toBe(true);
  expect(fast).toEqual(exact);
  return fast!;
}

describe("native YAML fast path", () => {
  it("gives the exact path's bank, positions included, for the shipped banks", () => {
    const dir = path.resolve(__dirname, "../../../question-banks");
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "exams.yaml");
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expectSame(readFileSync(path.join(dir, file), "utf8"), file);
  });

  it("gives the exact path's bank for a generated bank (every question type, code blocks)", () => {
    const { banks } = generateBanks(600);
    for (const bank of banks.slice(0, 3)) {
      const result = expectSame(bank.text, bank.fileName);
      if (!result.ok) throw new Error("expected a bank");
      expect(result.bank.questions.length).toBe(40);
    }
  });

  it.each([
    ["CRLF line ends", good.replace(/\n/g, "\r\n")],
    ["a document start and end", `---\n${good}...\n`],
    ["comments everywhere", good.replace(/\n/g, " # note\n").replace(/\|\s*# note/g, "|")],
    [
      "a flow mapping item",
      good.replace(
        "  - id: demo-c1\n    topic: demo/basics\n    front: Front\n    back: An answer.\n",
        "  - {id: demo-c1, topic: demo/basics, front: Front, back: An answer.}\n",
      ),
    ],
    [
      "a question as a flow mapping",
      good.replace(
        "questions:\n",
        'questions:\n  - {id: demo-9, topic: demo/basics, type: truefalse, difficulty: 1, stem: "S?", explanation: "E.", answer: True}\n',
      ),
    ],
    ["an entry on the line after its dash", good.replace("  - id: demo-2", "  -\n    id: demo-2")],
    [
      "quoted keys and values",
      good.replace("    difficulty: 2\n", '    "difficulty": 2\n').replace("slug: demo", "slug: 'demo'"),
    ],
    [
      "a hexadecimal and a float difficulty",
      good.replace("difficulty: 2", "difficulty: 0x2").replace("difficulty: 2", "difficulty: 3.0"),
    ],
    [
      "folded and chomped block scalars",
      good.replace("stem: |\n      First?", "stem: >-\n      First\n      line?\n\n      Next."),
    ],
    ["a multi-line plain scalar", good.replace("title: Bank demo", "title: Bank\n    demo")],
    [
      "escapes in double quotes",
      good.replace('"Right answer for demo-1"', '"Right \\"answer\\" \\u00e9 \\t for demo-1"'),
    ],
    ["an empty quoted licence", good.replace("  title: Bank demo\n", '  title: Bank demo\n  licence: ""\n')],
  ])("agrees with the exact path on %s", (_name, text) => {
    expectSame(text);
  });

  it.each([
    ["an anchor and an alias", good.replace("  - id: demo-2", "  - &second\n    id: demo-2") + "extra: *second\n"],
    ["an anchor alone", good.replace("    difficulty: 2\n", "    difficulty: &d 2\n")],
    ["a tag", good.replace("slug: demo", "slug: !!str demo")],
    ["a duplicate key", good.replace("  title: Bank demo\n", "  title: Bank demo\n  title: Again\n")],
    ["a duplicate key, once quoted", good.replace("  title: Bank demo\n", '  title: Bank demo\n  "title": Again\n')],
    ["a number as a key", good.replace("  demo/more: More\n", "  demo/more: More\n  2024: Year\n")],
    ["a %YAML directive", `%YAML 1.1\n---\n${good}`],
    ["two documents", `${good}---\n${good}`],
    ["a YAML syntax error", good.replace("  title: Bank demo", "  title: [Bank demo")],
    ["a schema error", good.replace("difficulty: 2", "difficulty: 4")],
    ["a cross-check error", good.replace("id: demo-2", "id: demo-1")],
    ["an empty file", ""],
    ["a __proto__ key", good.replace("  title: Bank demo\n", "  title: Bank demo\n  __proto__: x\n")],
  ])("steps aside for %s, and the errors are the exact path's", (_name, text) => {
    expect(parseFast(text, "demo.yaml")).toBeUndefined();
    expect(outcome(() => parseNativeYaml(text, { file: "demo.yaml" }))).toEqual(
      outcome(() => parseExact(text, "demo.yaml")),
    );
  });

  it("resolves plain scalars as the yaml package's core schema does", () => {
    const samples = [
      "",
      "~",
      "null",
      "Null",
      "NULL",
      "nULL",
      "true",
      "True",
      "TRUE",
      "tRUE",
      "false",
      "False",
      "FALSE",
      "yes",
      "no",
      "on",
      "off",
      "0",
      "-0",
      "+12",
      "012",
      "0o17",
      "0o8",
      "0x1F",
      "0X1F",
      "0xg",
      "1.5",
      "-.5",
      "+.5e3",
      "1e3",
      "1E-3",
      "1.",
      ".",
      ".inf",
      "-.Inf",
      "+.INF",
      ".nan",
      ".NaN",
      "nan",
      "1_000",
      "12abc",
      "demo/basics",
      "+",
      "t",
      "f",
      "n",
    ];
    for (const sample of samples) {
      const expected: unknown = parseDocument(`v: ${sample}\n`).toJS().v;
      expect([sample, resolvePlainScalar(sample)]).toEqual([sample, expected]);
    }
  });

  it("records where each question and card starts, as line and column", () => {
    const text = "questions:\n  - id: a\n  -   id: b\ncards:\n  - {id: c}\n";
    const read = readYamlFast(text)!;
    expect(linePositions(text, read.starts.questions)).toEqual([
      { line: 2, column: 5 },
      { line: 3, column: 7 },
    ]);
    expect(linePositions(text, read.starts.cards)).toEqual([{ line: 5, column: 5 }]);
  });
});
