// Essays: GIFT's empty block (its general feedback is the model answer), Moodle XML's essay
// (its <graderinfo>), the native modelAnswer; stored with the model answer; the exports read
// back the same.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import type { ParseResult } from "../../../src/modules/banks/model";
import { versionContent } from "../../../src/modules/banks/normalise";
import { keyHtml } from "../../../src/modules/banks/present";

const options = (file: string) => ({ file, slug: "es", title: "Essays", defaultTopic: "general" });
const ok = (result: ParseResult) => {
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result;
};
const strip = (bank: { questions: { position: unknown }[] }) => bank.questions.map(({ position: _p, ...q }) => q);

describe("essays", () => {
  it("read GIFT's {####model answer} and warn when there is none", () => {
    const { bank, warnings } = ok(
      parseGift(
        "::es-1::Explain what makes PUT idempotent.{####Repeating it leaves the same state.}\n\n::es-2::Explain REST.{}",
        options("e.gift"),
      ),
    );
    expect(bank.questions).toMatchObject([
      { type: "essay", modelAnswer: "Repeating it leaves the same state.", explanation: "" },
      { type: "essay", modelAnswer: "", explanation: "" },
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 3,
        column: 22,
        message: expect.stringContaining("essay on line 3 has no model answer"),
      }),
    ]);
    const content = versionContent(bank.questions[0]!, []);
    expect(content.body).toEqual({
      modelAnswer: { md: "Repeating it leaves the same state.", html: "<p>Repeating it leaves the same state.</p>" },
    });
    expect(keyHtml(content.body)).toBe("<p>Repeating it leaves the same state.</p>");
    expect(strip(ok(parseGift(exportGift(bank), options("again.gift"))).bank)).toEqual(strip(bank));
  });

  it("read Moodle XML's graderinfo as the model answer", () => {
    const xml = `<quiz><question type="essay"><questiontext format="html"><text>Explain TCP's handshake.</text></questiontext>
<generalfeedback format="html"><text>SYN, SYN-ACK, ACK.</text></generalfeedback>
<graderinfo format="html"><text><![CDATA[<p>Client sends <code>SYN</code>; server answers SYN-ACK; client ACKs.</p>]]></text></graderinfo></question></quiz>`;
    const { bank } = ok(parseMoodleXml(xml, options("e.xml")));
    expect(bank.questions[0]).toMatchObject({
      type: "essay",
      modelAnswer: "Client sends `SYN`; server answers SYN-ACK; client ACKs.",
      explanation: "SYN, SYN-ACK, ACK.",
    });
  });

  it("read and export the native modelAnswer", () => {
    const yaml = `format: stackprep-bank/1
bank:
  slug: es
  title: Essays
topics:
  es: Essays
questions:
  - id: es-1
    topic: es
    type: essay
    difficulty: 2
    stem: Explain why an index speeds up lookups.
    modelAnswer: A B-tree finds a key in a logarithmic number of steps instead of a scan.
    explanation: Compare a scan with a tree search.
`;
    const { bank } = ok(parseNativeYaml(yaml, { file: "e.yaml" }));
    expect(bank.questions[0]).toMatchObject({ type: "essay", modelAnswer: expect.stringContaining("B-tree") });
    expect(strip(ok(parseNativeYaml(exportNativeYaml(bank), { file: "again.yaml" })).bank)).toEqual(strip(bank));
    const missing = parseNativeYaml(yaml.replace(/ {4}modelAnswer:.*\n/, ""), { file: "e.yaml" });
    expect(missing.ok ? [] : missing.errors).toEqual([
      expect.objectContaining({ line: 8, column: 5, message: "questions.0.modelAnswer: modelAnswer is required" }),
    ]);
  });
});
