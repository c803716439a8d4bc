// Gap (missing-word) questions: GIFT's text after the answer block, Moodle XML's gapselect and
// ddwtos, native gaps with [[n]] in the stem; errors at their file:line:column; the stored stem
// shows a blank where each gap goes; the native and GIFT exports read back the same.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import type { ParseResult } from "../../../src/modules/banks/model";
import { versionContent } from "../../../src/modules/banks/normalise";
import { choiceCount } from "../../../src/modules/banks/choice-ids";

const options = (file: string) => ({ file, slug: "gp", title: "Gaps", defaultTopic: "general" });
const ok = (result: ParseResult) => {
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result.bank;
};
const errors = (result: ParseResult) => {
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
};
const at = (file: string, line: number, column: number, message: string) =>
  expect.objectContaining({ file, line, column, message: expect.stringContaining(message) });
const strip = (bank: { questions: { position: unknown }[] }) => bank.questions.map(({ position: _p, ...q }) => q);

describe("GIFT missing word", () => {
  it("reads a choice blank where the block stands", () => {
    const [q] = ok(
      parseGift("::gp-1::The {=DELETE ~DROP ~TRUNCATE} statement removes chosen rows.", options("g.gift")),
    ).questions;
    expect(q).toMatchObject({
      type: "gap",
      stem: "The [[1]] statement removes chosen rows.",
      gaps: [
        {
          kind: "choice",
          options: [
            { text: "DELETE", correct: true },
            { text: "DROP", correct: false },
            { text: "TRUNCATE", correct: false },
          ],
        },
      ],
    });
    expect(choiceCount(q!)).toBe(3);
    const content = versionContent(q!, ["aa", "bb", "cc"]);
    expect(content.stemHtml).toBe(
      '<p>The <span class="gap-blank" data-gap="1">(1) ______</span> statement removes chosen rows.</p>',
    );
    expect(content.body).toMatchObject({
      gaps: [{ kind: "choice", options: [{ id: "aa", correct: true }, { id: "bb" }, { id: "cc" }] }],
    });
  });

  it("reads a typed blank, and one inside a word or at the start", () => {
    const bank = ok(
      parseGift(
        "Port {=443 =https} is for TLS.\n\n{=SELECT} reads rows.\n\nMany {=row}s were read.",
        options("g.gift"),
      ),
    );
    expect(bank.questions.map((q) => q.stem)).toEqual([
      "Port [[1]] is for TLS.",
      "[[1]] reads rows.",
      "Many [[1]]s were read.",
    ]);
    expect(bank.questions[0]).toMatchObject({
      gaps: [{ kind: "text", accept: ["443", "https"], caseSensitive: false }],
    });
  });

  it.each([
    [
      "a numeric blank",
      "Port {#443} is for TLS.",
      1,
      6,
      "is filled by one choice {=right ~wrong} or by text {=answer}, not by a numeric block",
    ],
    ["a true/false blank", "It is {T} that it holds.", 1, 7, "not by a truefalse block"],
    ["a weighted blank", "Pick {~%50%a ~%50%b ~%-100%c} now.", 1, 6, "not by a multiple response block"],
    ["a marker in the text", "See [[1]] and {=a ~b} here.", 1, 1, "the stem must hold [[1]] once each"],
  ])("refuses %s at its position", (_name, text, line, column, message) => {
    expect(errors(parseGift(text, options("g.gift")))).toContainEqual(at("g.gift", line, column, message));
  });

  it("exports a blank that reads back the same", () => {
    const text =
      "$CATEGORY: sql\n\n::gp-1::The {=DELETE#right ~DROP#wrong} statement.\n\n::gp-2::Many {=row}s.\n\n::gp-3::{=SELECT =select} reads.";
    const bank = ok(parseGift(text, options("g.gift")));
    const again = ok(parseGift(exportGift(bank), options("again.gift")));
    expect(strip(again)).toEqual(strip(bank));
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="gapselect">
    <name><text>Isolation</text></name>
    <questiontext format="html"><text><![CDATA[<p>[[1]] allows dirty reads; [[2]] allows none of the anomalies.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Each level removes more.</text></generalfeedback>
    <selectoption><text>READ UNCOMMITTED</text><group>1</group></selectoption>
    <selectoption><text>SERIALIZABLE</text><group>1</group></selectoption>
    <selectoption><text>READ COMMITTED</text><group>1</group></selectoption>
  </question>
  <question type="ddwtos">
    <questiontext format="html"><text>The [[1]] and the [[2]].</text></questiontext>
    <dragbox><text>head</text><group>1</group></dragbox>
    <dragbox><text>tail</text><group>2</group></dragbox>
  </question>
</quiz>
`;

describe("Moodle XML select missing words", () => {
  it("reads each blank's right answer and its group's others as choices", () => {
    const result = parseMoodleXml(XML, options("g.xml"));
    expect(errors(result)).toEqual([
      at("g.xml", 11, 3, "the ddwtos question on line 11: blank 1 has only its right answer in its group"),
    ]);
    const q = result.ok ? undefined : result.partial?.bank.questions[0];
    expect(q).toMatchObject({
      type: "gap",
      stem: "[[1]] allows dirty reads; [[2]] allows none of the anomalies.",
      explanation: "Each level removes more.",
      gaps: [
        {
          kind: "choice",
          options: [
            { text: "READ UNCOMMITTED", correct: true },
            { text: "SERIALIZABLE", correct: false },
            { text: "READ COMMITTED", correct: false },
          ],
        },
        {
          kind: "choice",
          options: [
            { text: "READ UNCOMMITTED", correct: false },
            { text: "SERIALIZABLE", correct: true },
            { text: "READ COMMITTED", correct: false },
          ],
        },
      ],
    });
  });
});

const NATIVE = `format: stackprep-bank/1
bank:
  slug: gp
  title: Gaps
topics:
  gp: Gaps
questions:
  - id: gp-1
    topic: gp
    type: gap
    difficulty: 2
    stem: "\`git [[1]]\` records staged changes; \`git [[2]]\` sends them to a remote."
    gaps:
      - options:
          - text: commit
            correct: true
          - text: push
      - accept: [push]
        caseSensitive: true
    explanation: A commit is local; push publishes commits.
`;

/** A cloze question as Moodle writes one: HTML text with embedded answers, as its documentation spells them. */
const CLOZE = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="cloze">
    <name><text>Joins</text></name>
    <questiontext format="html"><text><![CDATA[<p>A {1:MULTICHOICE:=LEFT#Keeps unmatched left rows~%0%INNER#Only matches~CROSS} join; the keyword {1:SHORTANSWER:=DISTINCT~%50%UNIQUE#half} drops duplicates, {1:SAC:=NULL} is the unknown value and {1:SA:=a\\}b} is escaped.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Joins and keywords.</text></generalfeedback>
  </question>
  <question type="cloze">
    <questiontext format="html"><text>Pi is {2:NUMERICAL:=3.14:0.01}.</text></questiontext>
  </question>
  <question type="cloze">
    <questiontext format="html"><text>No blank here.</text></questiontext>
  </question>
</quiz>
`;

describe("Moodle XML cloze (embedded answers)", () => {
  it("reads MULTICHOICE blanks as choices with feedback and SHORTANSWER blanks as text, each where it stands; refuses what it cannot hold", () => {
    const result = parseMoodleXml(CLOZE, options("c.xml"));
    expect(errors(result)).toEqual([
      at("c.xml", 8, 3, "the cloze question on line 8: its blank of type NUMERICAL is not supported"),
      at("c.xml", 11, 3, "the cloze question on line 11: its text has no embedded answer"),
    ]);
    const q = result.ok ? undefined : result.partial?.bank.questions[0];
    expect(q).toMatchObject({
      type: "gap",
      title: "Joins",
      stem: "A [[1]] join; the keyword [[2]] drops duplicates, [[3]] is the unknown value and [[4]] is escaped.",
      explanation: "Joins and keywords.",
      gaps: [
        {
          kind: "choice",
          options: [
            { text: "LEFT", correct: true, feedback: "Keeps unmatched left rows" },
            { text: "INNER", correct: false, feedback: "Only matches" },
            { text: "CROSS", correct: false },
          ],
        },
        // Partial-credit answers are not accepted: Stackprep's blanks are right or wrong.
        { kind: "text", accept: ["DISTINCT"], caseSensitive: false },
        { kind: "text", accept: ["NULL"], caseSensitive: true },
        { kind: "text", accept: ["a}b"], caseSensitive: false },
      ],
    });
  });
});

describe("native gaps", () => {
  it("reads blanks by choice and by text, and exports YAML that imports the same", () => {
    const bank = ok(parseNativeYaml(NATIVE, { file: "g.yaml" }));
    expect(bank.questions[0]).toMatchObject({
      type: "gap",
      gaps: [
        {
          kind: "choice",
          options: [
            { text: "commit", correct: true },
            { text: "push", correct: false },
          ],
        },
        { kind: "text", accept: ["push"], caseSensitive: true },
      ],
    });
    const again = ok(parseNativeYaml(exportNativeYaml(bank), { file: "again.yaml" }));
    expect(strip(again)).toEqual(strip(bank));
    // Two blanks: GIFT cannot hold it, and says so.
    expect(exportGift(bank)).toContain("// gap question gp-1 cannot be expressed in GIFT");
  });

  it.each([
    [
      "a missing marker",
      (t: string) => t.replace("`git [[2]]`", "`git push`"),
      12,
      11,
      "the stem must hold [[1]], [[2]] once each",
    ],
    [
      "two right options",
      (t: string) => t.replace("- text: push\n", "- text: push\n            correct: true\n"),
      15,
      11,
      'gap 1 needs exactly one option with "correct: true" (found 2)',
    ],
    [
      "a gap with neither",
      (t: string) => t.replace("- accept: [push]", "- answer: push"),
      18,
      9,
      "a gap has options (filled by choice) or accept (filled by text)",
    ],
  ])("refuses %s at its position", (_name, edit, line, column, message) => {
    expect(errors(parseNativeYaml(edit(NATIVE), { file: "g.yaml" }))).toContainEqual(
      at("g.yaml", line, column, message),
    );
  });
});
