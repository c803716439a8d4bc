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
    expect(rejected[0]!.errors[0]!.message).toContain("essay questions are not supported");
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
