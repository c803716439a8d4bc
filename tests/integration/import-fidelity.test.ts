// Import fidelity against Moodle: every file of the corpus tests/fixtures/real-world, imported
// as an upload's preview does, must keep at least 95% of the gradable questions Moodle imports
// from it intact (stem as learners see it, key, weights, feedback, typed answers graded alike),
// refuse the broken ones alone at their line, and refuse unreadable files with a clear message.
import { measureFidelity, readManifest, type Fidelity } from "../../scripts/fidelity/measure";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let fidelity: Fidelity;
beforeAll(async () => {
  t = await createTestApp();
  fidelity = await measureFidelity({ prisma: t.prisma, clock: t.clock });
}, 120_000);
afterAll(() => t.close());

const resultOf = (file: string) => fidelity.files.find((f) => f.file === file)!;

describe("importing real-world bank files", () => {
  it("measures a corpus of 40-odd files and 500+ questions Moodle imports", () => {
    expect(fidelity.files.length).toBe(readManifest().length);
    expect(fidelity.files.length).toBeGreaterThanOrEqual(44);
    expect(fidelity.moodle).toBeGreaterThanOrEqual(500);
  });

  it("imports at least 95% of what Moodle imports, intact", () => {
    expect(fidelity.percent).toBeGreaterThanOrEqual(95);
    expect(fidelity.correct).toBeLessThanOrEqual(fidelity.imported);
  });

  it("imports every question of the Moodle XML exports, GIFT, Aiken and CSV files with plain types intact", () => {
    const plain = fidelity.files.filter((f) => !/hand-written|mixed-escapes|untagged/.test(f.file));
    for (const file of plain)
      expect({ file: file.file, problems: file.problems }).toEqual({ file: file.file, problems: [] });
    for (const file of plain) expect(file.correct).toBe(file.moodle);
  });

  it("keeps escapes, format tags, missing words, images, tables, code and wildcards in the hand-written files", () => {
    const gift = resultOf("gift/mixed-escapes-and-tags.gift");
    const xml = resultOf("xml/hand-written-extras.xml");
    // What stays lost is "All of the above" (refused: it depends on an order that is shuffled).
    // Partial credit on single choice, short and numeric answers and typed answers' feedback
    // are kept (they were lost before the model held them).
    const lost = /All of the above|valid HTTP status classes/;
    for (const problem of [...gift.problems, ...xml.problems]) expect(problem).toMatch(lost);
    expect(gift.correct).toBeGreaterThanOrEqual(20);
    expect(xml.correct).toBeGreaterThanOrEqual(18);
    // Untagged GIFT is Markdown to Stackprep (pasted code), Moodle's auto-format to Moodle.
    expect(resultOf("gift/untagged-moodle-text.gift").correct).toBeGreaterThanOrEqual(1);
  });

  it("refuses broken questions alone, at their line, and unreadable files with what they are", () => {
    expect(resultOf("aiken/messy.txt")).toMatchObject({ moodle: 3, imported: 3, correct: 3, problems: [] });
    for (const file of ["encodings/repaso-cp1252.gift", "encodings/aiken-latin1.txt", "encodings/quiz-export.xml.gz"])
      expect(resultOf(file)).toMatchObject({ imported: 0, problems: [] });
  });
});
