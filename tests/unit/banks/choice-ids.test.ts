// Option and item ids: distinct, six letters, from the injected source (a CSPRNG by default).
import { choiceCount, newChoiceIds } from "../../../src/modules/banks/choice-ids";
import type { ParsedQuestion } from "../../../src/modules/banks/model";

describe("newChoiceIds", () => {
  it("gives the asked number of distinct six-letter ids", () => {
    const ids = newChoiceIds(8);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    for (const id of ids) expect(id).toMatch(/^[a-z]{6}$/);
    expect(newChoiceIds(0)).toEqual([]);
  });

  it("redraws an id the question already has, and refuses a source that only repeats", () => {
    const draws = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    let at = 0;
    expect(newChoiceIds(2, () => draws[at++]!)).toEqual(["aaaaaa", "bbbbbb"]);
    expect(() => newChoiceIds(2, () => 0)).toThrow(/repeats itself/);
  });

  it("counts one id per option or item, none for other types", () => {
    const base = { externalId: "q", topic: "t", stem: "s", explanation: "", difficulty: 2, tags: [], references: [] };
    const at = { position: { file: "f", line: 1, column: 1 } };
    const options = [
      { text: "x", correct: true },
      { text: "y", correct: false },
      { text: "z", correct: false },
    ];
    expect(choiceCount({ ...base, ...at, type: "single", options } as ParsedQuestion)).toBe(3);
    expect(choiceCount({ ...base, ...at, type: "ordering", items: ["a", "b"] } as ParsedQuestion)).toBe(2);
    expect(choiceCount({ ...base, ...at, type: "truefalse", answer: true } as ParsedQuestion)).toBe(0);
  });
});
