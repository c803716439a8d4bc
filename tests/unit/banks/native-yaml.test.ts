import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { miniBank } from "../../support/banks";

const good = miniBank(
  "demo",
  [
    { id: "demo-1", stem: "First?" },
    { id: "demo-2", stem: "Second?" },
  ],
  [{ id: "demo-c1", front: "Front" }],
);
const errorsOf = (text: string) => {
  const result = parseNativeYaml(text, { file: "demo.yaml" });
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
};

describe("native YAML bank format", () => {
  it("parses a good bank into the model", () => {
    const result = parseNativeYaml(good, { file: "demo.yaml" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.bank.slug).toBe("demo");
    expect(result.bank.topics).toEqual([
      { path: "demo", title: "Bank demo" },
      { path: "demo/basics", title: "Basics" },
      { path: "demo/more", title: "More" },
    ]);
    expect(result.bank.questions[0]).toMatchObject({
      externalId: "demo-1",
      type: "single",
      topic: "demo/basics",
      difficulty: 2,
      options: [
        { text: "Right answer for demo-1", correct: true },
        { text: "Wrong answer for demo-1", correct: false },
      ],
      position: { file: "demo.yaml", line: 10, column: 5 },
    });
    expect(result.bank.cards).toHaveLength(1);
  });

  it.each([
    ["a YAML syntax error", good.replace("  title: Bank demo", "  title: [Bank demo"), /^\d+:\d+: YAML: /],
    [
      "a wrong format tag",
      good.replace("stackprep-bank/1", "other/1"),
      /^1:9: format: format must be "stackprep-bank\/1"$/,
    ],
    [
      "a bad difficulty",
      good.replace("difficulty: 2", "difficulty: 4"),
      /^13:17: questions\.0\.difficulty: difficulty must be 1, 2 or 3$/,
    ],
    [
      "an unknown type",
      good.replace("type: single", "type: cloze"),
      /^12:11: questions\.0\.type: type must be one of single, multiple/,
    ],
    [
      "an undeclared topic",
      good.replace("topic: demo/basics", "topic: demo/nowhere"),
      /^11:12: topic "demo\/nowhere" is not declared under topics$/,
    ],
    [
      "two keys in single choice",
      good.replace(
        '      - text: "Wrong answer for demo-1"',
        '      - text: "Wrong answer for demo-1"\n        correct: true',
      ),
      /^17:7: a single-choice question needs exactly one option with "correct: true" \(found 2\)$/,
    ],
    [
      "no key in single choice",
      good.replace(
        '        correct: true\n      - text: "Wrong answer for demo-1"',
        '      - text: "Wrong answer for demo-1"',
      ),
      /^17:7: a single-choice question needs exactly one option/,
    ],
    [
      "a repeated id",
      good.replace("id: demo-2", "id: demo-1"),
      /^\d+:\d+: id "demo-1" is used twice in this file \(first at line 10\)$/,
    ],
    ["an empty stem", good.replace("      First?", "      "), /^14:11: questions\.0\.stem: stem must not be empty$/],
    [
      "an unknown field",
      good.replace("    difficulty: 2\n", "    difficulty: 2\n    hint: nope\n"),
      /^\d+:\d+: questions\.0: Unrecognized key: "hint"$/,
    ],
    [
      "all of the above",
      good.replace("Wrong answer for demo-1", "All of the above"),
      /^\d+:\d+: "All of the above" depends on option order/,
    ],
    [
      "a repeated option",
      good.replace("Wrong answer for demo-1", "Right answer for demo-1"),
      /^\d+:\d+: option 2 repeats option 1$/,
    ],
    [
      "a topic outside the root",
      good.replace("  demo/more: More", "  other/more: More"),
      /^8:15: topic "other\/more" must sit under the bank's root topic "demo\/"$/,
    ],
    [
      "a duplicated key",
      good.replace("  title: Bank demo\n", "  title: Bank demo\n  title: Again\n"),
      /^\d+:\d+: YAML: Map keys must be unique/,
    ],
  ])("reports %s with its line", (_name, text, expected) => {
    const errors = errorsOf(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(expected);
  });

  it("reports every error at once, not only the first", () => {
    const text = good
      .replace("difficulty: 2", "difficulty: 9")
      .replace("type: single", "type: essay")
      .replace("id: demo-2", "id: Demo 2");
    expect(errorsOf(text).length).toBeGreaterThanOrEqual(2);
  });
});
