// Import fidelity against Moodle: every file of the corpus tests/fixtures/real-world, imported
// as an upload's preview does, must keep at least 95% of the gradable questions Moodle imports
// from it intact (stem as learners see it, key, weights, feedback, typed answers graded alike),
// refuse the broken ones alone at their line, and refuse unreadable files with a clear message.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { measureFidelity, readManifest, visible, type Fidelity } from "../../scripts/fidelity/measure";
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
    // Untagged GIFT is Moodle's auto-format to both: __init__ and 2*3*4 show as typed.
    expect(resultOf("gift/untagged-moodle-text.gift")).toMatchObject({ moodle: 4, correct: 4, problems: [] });
  });

  it("refuses broken questions alone, at their line, and unreadable files with what they are", () => {
    expect(resultOf("aiken/messy.txt")).toMatchObject({ moodle: 3, imported: 3, correct: 3, problems: [] });
    for (const file of ["encodings/repaso-cp1252.gift", "encodings/aiken-latin1.txt", "encodings/quiz-export.xml.gz"])
      expect(resultOf(file)).toMatchObject({ imported: 0, problems: [] });
  });
});

describe("the checker compares what a learner sees", () => {
  // A corpus of one file: Markdown that renders as Moodle shows the text counts as intact, Markdown
  // that renders otherwise (emphasis eating "__" or "*") counts as changed.
  const gift = [
    "::q1::[markdown]In Python, what is \\_\\_init\\_\\_ for?{=Initialising a new object ~Deleting an object}",
    "::q2::[markdown]In Python, what is __del__ for?{=Finalising an object ~Creating an object}",
    "::q3::[markdown]What is 2\\*3\\*4?{#24}",
    "::q4::[markdown]What is 3*4*5?{#60}",
  ].join("\n\n");
  const single = (stem: string, right: string, wrong: string) => ({
    type: "single",
    stem,
    options: [
      { text: right, correct: true },
      { text: wrong, correct: false },
    ],
  });
  const numeric = (stem: string, value: number) => ({
    type: "numeric",
    stem,
    answers: [{ value, tolerance: 0, weight: 100 }],
    accept: [value],
    reject: [value + 1],
  });
  const manifest = [
    {
      file: "dunder.gift",
      format: "gift",
      note: "Markdown that keeps and Markdown that loses what Moodle shows",
      moodle: 4,
      questions: [
        single("In Python, what is __init__ for?", "Initialising a new object", "Deleting an object"),
        single("In Python, what is __del__ for?", "Finalising an object", "Creating an object"),
        numeric("What is 2*3*4?", 24),
        numeric("What is 3*4*5?", 60),
      ],
      refused: [],
    },
  ];

  it("counts a stem whose rendered text is Moodle's as intact and one turned into bold or italics as changed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fidelity-"));
    try {
      writeFileSync(path.join(dir, "dunder.gift"), gift);
      writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
      const measured = await measureFidelity({ prisma: t.prisma, clock: t.clock, dir });
      expect(measured.files[0]).toMatchObject({ moodle: 4, imported: 4, correct: 2 });
      expect(measured.files[0]!.problems).toEqual([
        '"In Python, what is __del__ for?": not imported, or its text changed',
        '"What is 3*4*5?": not imported, or its text changed',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads rendered HTML as text: tags gone, entities and character references decoded, white space folded", () => {
    expect(visible("<p>It&#8217;s <strong>idempotent</strong> &amp;\n safe&#x2014;&nbsp;&lt;GET&gt;</p>")).toBe(
      "It\u2019s idempotent & safe\u2014 <GET>",
    );
  });
});
