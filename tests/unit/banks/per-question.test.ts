// One bad question never blocks the rest: every reader reports errors per question, and
// keeps the questions that are fine as a partial bank.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseBankText, type Format } from "../../../src/modules/banks/formats";
import type { PartialBank } from "../../../src/modules/banks/model";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/mixed", name), "utf8");

function partialOf(name: string, format: Format): PartialBank {
  const result = parseBankText(fixture(name), format, { file: name, slug: "mx", title: "Mixed", defaultTopic: "mx" });
  if (result.ok) throw new Error("expected errors");
  if (!result.partial) throw new Error(`expected a partial bank, got ${JSON.stringify(result.errors)}`);
  return result.partial;
}

describe("per-question errors", () => {
  it("GIFT: keeps the good questions and lists each bad one with its position and reasons", () => {
    const { bank, rejected } = partialOf("mixed.gift", "gift");
    expect(bank.questions.map((q) => q.stem)).toEqual([
      "Which port does HTTPS use by default?",
      "DNS maps names to addresses.",
    ]);
    expect(rejected.map((r) => [r.position.line, r.label, r.externalId])).toEqual([
      [6, "broken-weight", "broken-weight"],
      [8, "Which header sets a cookie? {=Set-Cookie ~Cookie", undefined],
      [12, "Which methods are safe? {~GET ~HEAD ~POST}", undefined],
    ]);
    expect(rejected[0]!.errors[0]).toMatchObject({
      file: "mixed.gift",
      line: 6,
      message: expect.stringContaining('weight "%abc%"'),
    });
    expect(rejected[2]!.errors[0]!.message).toContain("has no correct answer");
  });

  it("Aiken: an answer naming no option refuses that question only", () => {
    const { bank, rejected } = partialOf("mixed.txt", "aiken");
    expect(bank.questions.map((q) => q.stem)).toEqual([
      "Which port does SSH use?",
      "Which Git command records changes?",
    ]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ position: { line: 6, column: 1 }, label: "Which SQL clause filters groups?" });
    expect(rejected[0]!.errors[0]!.message).toContain('"ANSWER: D" on line 9 names no option');
  });

  it("CSV: a bad row is refused, the other rows import", () => {
    const { bank, rejected } = partialOf("mixed.csv", "csv");
    expect(bank.questions.map((q) => q.externalId)).toEqual(["net-1", "net-3"]);
    expect(rejected).toEqual([
      expect.objectContaining({
        position: { file: "mixed.csv", line: 3, column: 1 },
        externalId: "net-2",
        label: "Which port does Telnet use?",
      }),
    ]);
  });

  it("Moodle XML: an unsupported question is refused, the others import", () => {
    const { bank, rejected } = partialOf("mixed.xml", "xml");
    expect(bank.questions.map((q) => q.type)).toEqual(["truefalse", "single"]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ position: { line: 10 }, label: "Explain TCP" });
    expect(rejected[0]!.errors[0]!.message).toContain("calculated questions are not supported");
  });

  it("an error that is not a question's (malformed XML) leaves no partial bank", () => {
    const result = parseBankText("<quiz><question></quiz>", "xml", {
      file: "x.xml",
      slug: "x",
      title: "X",
      defaultTopic: "x",
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.partial).toBeUndefined();
  });
});

describe("choice rules shared with the native format", () => {
  const parse = (text: string, format: Format) =>
    parseBankText(text, format, { file: "f", slug: "s", title: "S", defaultTopic: "s" });
  const messages = (text: string, format: Format) => {
    const result = parse(text, format);
    return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
  };

  it("GIFT: refuses repeated options and 'none of the above', per question", () => {
    expect(messages("Which? {=GET ~get ~POST}\n\nWhich? {=A ~B ~None of the above}\n\nFine? {T}", "gift")).toEqual([
      "1:14: option 2 repeats option 1; make each option distinct",
      '3:15: "None of the above" depends on option order, which is shuffled: write a real option',
    ]);
    const result = parse("Which? {=GET ~get ~POST}\n\nFine? {T}", "gift");
    expect(result.ok ? undefined : result.partial?.bank.questions.map((q) => q.stem)).toEqual(["Fine?"]);
  });

  it("Aiken: the same rules", () => {
    const text = "Which?\nA) GET\nB) All of the above\nANSWER: A\n\nWhich two?\nA) x\nB) X\nANSWER: A\n";
    expect(messages(text, "aiken")).toEqual([
      '3:1: "All of the above" depends on option order, which is shuffled: write a real option (line 3)',
      "8:1: option 2 repeats option 1; make each option distinct (line 8)",
    ]);
  });

  it("Moodle XML: warns when the weights of a multiple-response question do not add up to 100%", () => {
    const xml = `<quiz><question type="multichoice"><questiontext format="html"><text>Which are safe?</text></questiontext>
      <single>false</single><answer fraction="50"><text>GET</text></answer><answer fraction="30"><text>HEAD</text></answer>
      <answer fraction="-100"><text>POST</text></answer></question></quiz>`;
    const result = parse(xml, "xml");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => w.message)).toEqual([
      "the multichoice question on line 1: the positive fractions of its answers add up to 80%, not 100%",
    ]);
  });
});
