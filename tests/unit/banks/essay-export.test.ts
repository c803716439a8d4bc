// Essays leave every export that can hold them and come back as essays: Moodle XML (the model
// answer as the information for graders), QTI 3.0 (an extended text with the model answer in a
// scorers' rubric), CSV (the model answer in "answer") and GIFT (the model answer as the general
// feedback; an explanation beside it is named as left out).
import { exportBankAs, leftOutReport } from "../../../src/modules/banks/exporters";
import { parseCsv } from "../../../src/modules/banks/formats/csv";
import { exportCsv } from "../../../src/modules/banks/formats/csv-export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { exportMoodleXml } from "../../../src/modules/banks/formats/moodle-xml-export";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { parseQti } from "../../../src/modules/banks/formats/qti";
import { exportQti } from "../../../src/modules/banks/formats/qti-export";
import type { ParseResult, ParsedBank } from "../../../src/modules/banks/model";

const SLUG = "ess";
const options = (file: string) => ({ file, slug: SLUG, title: "Essays out", defaultTopic: SLUG });

const SOURCE = `format: stackprep-bank/1
bank:
  slug: ${SLUG}
  title: Essays out
topics:
  ${SLUG}: Essays out
  ${SLUG}/queues: Queues
questions:
  - id: ${SLUG}-backpressure
    topic: ${SLUG}/queues
    type: essay
    difficulty: 3
    stem: |
      A consumer reads from a queue **slower** than producers write to it.
      Describe two ways to keep the queue from growing without bound.
    modelAnswer: |
      Bound the queue and make producers wait (or fail fast) when it is full, so the
      slowdown travels back to them.

      Or add consumers, or shed load: drop or sample messages that can be lost, e.g.
      \`metrics.sample(0.1)\`.
    explanation: Backpressure pushes the cost to whoever creates the work.
  - id: ${SLUG}-at-least-once
    topic: ${SLUG}/queues
    type: essay
    difficulty: 2
    stem: Why must a handler for an at-least-once queue be idempotent?
    modelAnswer: A message can arrive twice (a lost acknowledgement makes the broker send it again), so handling it twice must leave the same state.
    explanation: Brokers redeliver what was not acknowledged.
cards: []
`;

function bankOf(result: ParseResult): ParsedBank {
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 1));
  return result.bank;
}
const parsed = bankOf(parseNativeYaml(SOURCE, options("source.yaml")));
// The second essay without an explanation, as an essay imported from GIFT is.
const source = { ...parsed, questions: parsed.questions.map((q, k) => (k === 1 ? { ...q, explanation: "" } : q)) };
/** What an essay must keep through a round trip. */
const essay = (bank: ParsedBank) =>
  bank.questions.map((q) => ({
    id: q.externalId,
    topic: q.topic,
    type: q.type,
    stem: q.stem,
    modelAnswer: q.type === "essay" ? q.modelAnswer : undefined,
    explanation: q.explanation,
  }));

describe("essays leave the exports and come back", () => {
  it("the source holds two essays, one with an explanation", () => {
    expect(essay(source).map((q) => [q.type, q.explanation !== ""])).toEqual([
      ["essay", true],
      ["essay", false],
    ]);
  });

  it("Moodle XML: type essay, the model answer in graderinfo, the explanation as general feedback, Moodle's response defaults", () => {
    const text = exportMoodleXml(source);
    expect(text).toContain(`<question type="essay">`);
    expect(text).toContain(
      `<graderinfo format="markdown"><text><![CDATA[A message can arrive twice (a lost acknowledgement makes the broker send it again), so handling it twice must leave the same state.]]></text></graderinfo>`,
    );
    expect(text).toContain(
      `<generalfeedback format="markdown"><text><![CDATA[Backpressure pushes the cost to whoever creates the work.]]></text></generalfeedback>`,
    );
    for (const setting of [
      "<responseformat>editor</responseformat>",
      "<responserequired>1</responserequired>",
      "<responsefieldlines>15</responsefieldlines>",
      "<attachments>0</attachments>",
    ])
      expect(text).toContain(setting);
    expect(text).not.toContain("cannot be expressed");
    const back = parseMoodleXml(text, options("back.xml"));
    expect(essay(bankOf(back))).toEqual(essay(source));
    expect(back.ok && back.warnings).toEqual([]);
  });

  it("QTI 3.0: an extended text with no scoring, the model answer in a scorers' rubric that stays out of the stem", () => {
    const text = exportQti(source);
    expect(text).toContain(`<qti-extended-text-interaction response-identifier="RESPONSE" expected-lines="15"/>`);
    expect(text).toContain(`<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>`);
    expect(text).toContain(`<qti-rubric-block use="scoring" view="scorer"><qti-content-body><p>A message can arrive`);
    // Nobody scores an essay automatically: no key, no scoring rule.
    expect(text).not.toContain("qti-correct-response");
    expect(text).not.toContain(`identifier="SCORE">`);
    expect(text).not.toContain("cannot be expressed");
    const back = bankOf(parseQti(text, options("back.xml")));
    // As for every type in QTI, a line break inside a paragraph comes back as a space.
    const fold = (text?: string) => text?.replace(/(?<!\n)\n(?!\n)/g, " ");
    expect(essay(back)).toEqual(
      essay(source).map((q) => ({ ...q, stem: fold(q.stem), modelAnswer: fold(q.modelAnswer) })),
    );
  });

  it("QTI: an extended text from another tool without a rubric is an essay without a model answer, with a warning; a scorers' rubric never joins the stem", () => {
    const item = (
      rubric: string,
    ) => `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="cap" title="CAP" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>
  <qti-item-body>
    <p>What does the CAP theorem say a partitioned system must give up?</p>
    ${rubric}
    <qti-extended-text-interaction response-identifier="RESPONSE"/>
  </qti-item-body>
</qti-assessment-item>`;
    const bare = parseQti(item(""), options("cap.xml"));
    expect(bankOf(bare).questions[0]).toMatchObject({
      type: "essay",
      stem: "What does the CAP theorem say a partitioned system must give up?",
      modelAnswer: "",
    });
    expect(bare.ok && bare.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('has no <qti-rubric-block view="scorer">'),
    ]);
    const rubric = `<qti-rubric-block use="scoring" view="scorer tutor"><p>Consistency or availability, <em>one</em> of the two.</p></qti-rubric-block><qti-rubric-block use="instructions" view="candidate"><p>Answer in two sentences.</p></qti-rubric-block>`;
    const read = bankOf(parseQti(item(rubric), options("cap.xml"))).questions[0];
    expect(read).toMatchObject({
      type: "essay",
      stem: "What does the CAP theorem say a partitioned system must give up?\n\nAnswer in two sentences.",
      modelAnswer: "Consistency or availability, *one* of the two.",
    });
  });

  it("CSV: type essay with the model answer in the answer column, read back; one without a model answer is left out", () => {
    const empty = {
      ...source.questions[1]!,
      externalId: `${SLUG}-empty`,
      modelAnswer: "",
    } as ParsedBank["questions"][number];
    const leftOut: string[] = [];
    const text = exportCsv({ ...source, questions: [...source.questions, empty] }, (q) => leftOut.push(q.externalId));
    expect(text).toContain(`${SLUG}-at-least-once,${SLUG}/queues,essay,,`);
    expect(leftOut).toEqual([`${SLUG}-empty`]);
    expect(essay(bankOf(parseCsv(text, options("back.csv"))))).toEqual(essay(source));
  });

  it("CSV: an essay row needs a model answer and takes no options", () => {
    const csv = `id,type,stem,A,B,answer\n${SLUG}-a,essay,Explain a dead-letter queue.,,,\n${SLUG}-b,essay,Explain retries.,once,twice,Retry with backoff.\n${SLUG}-c,essay,Explain a poison message.,,,"One that fails every time it is handled, so it must be set aside."\n`;
    const result = parseCsv(csv, options("rows.csv"));
    if (result.ok || !result.partial) throw new Error("expected the good row, with the others refused");
    expect(result.partial.bank.questions.map((q) => q.externalId)).toEqual([`${SLUG}-c`]);
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [2, expect.stringContaining(`the "answer" of an essay is empty; write its model answer there`)],
      [3, expect.stringContaining("an essay takes no options")],
    ]);
  });

  it("GIFT: the model answer is the general feedback; an explanation beside it is named as left out in the file", () => {
    const text = exportGift(source);
    expect(text).toContain(
      `// essay question ${SLUG}-backpressure: its explanation is left out (GIFT's general feedback holds the model answer)`,
    );
    expect(text).not.toContain(`// essay question ${SLUG}-at-least-once`);
    const back = bankOf(parseGift(text, options("back.gift")));
    expect(essay(back)).toEqual(essay(source).map((q) => ({ ...q, explanation: "" })));
  });

  it("no export but Aiken counts essays as left out any more", () => {
    for (const format of ["yaml", "gift", "xml", "qti", "csv"] as const)
      expect({ format, leftOut: exportBankAs(source, format).leftOut }).toEqual({ format, leftOut: [] });
    expect(leftOutReport("aiken", exportBankAs(source, "aiken").leftOut)).toBe(
      `2 questions left out of the aiken export, which cannot express them (essay): ${SLUG}-backpressure, ${SLUG}-at-least-once`,
    );
  });
});
