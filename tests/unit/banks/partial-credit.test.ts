// Partial credit and per-answer feedback: single-choice options worth part of the mark, short
// and numeric answers with their own weight and feedback, and the feedback for any other
// answer. Every format that reads them keeps them, every export that can writes them back.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { parseCsv } from "../../../src/modules/banks/formats/csv";
import { exportCsv } from "../../../src/modules/banks/formats/csv-export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { exportMoodleXml } from "../../../src/modules/banks/formats/moodle-xml-export";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { parseQti } from "../../../src/modules/banks/formats/qti";
import { exportQti } from "../../../src/modules/banks/formats/qti-export";
import type { ParseResult, ParsedBank, ParsedQuestion } from "../../../src/modules/banks/model";
import { questionContentHash, versionContent } from "../../../src/modules/banks/normalise";
import { previewQuestions } from "../../../src/modules/banks/preview";

const options = (file: string) => ({ file, slug: "pc", title: "Partial credit", defaultTopic: "pc" });
const bankOf = (result: ParseResult): ParsedBank => {
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join("\n"));
  return result.bank;
};
const byId = (bank: ParsedBank, id: string) => bank.questions.find((q) => q.externalId === id);

const GIFT = `$CATEGORY: pc

::pc-tls::Which port does TLS-wrapped SMTP listen on?{
=465
~%25%587#587 is submission with STARTTLS, not implicit TLS.
~25
}

::pc-verb::Which HTTP verb replaces a resource as a whole?{
=PUT
=%40%PATCH#PATCH changes part of it.
=%0%POST#POST creates, it does not replace.
=%0%*#Think of the verb that stores what you send under that URI.
}

::pc-mtu::What is the usual Ethernet MTU in bytes?{#
=1500:0#Right: 1500 bytes of payload.
=%50%1518:0#That is the whole frame, header and checksum included.
~9000#That is a jumbo frame.
~#Look at a standard Ethernet frame's payload.
}
`;

describe("GIFT: partial credit and feedback per answer", () => {
  const bank = bankOf(parseGift(GIFT, options("pc.gift")));

  it("reads a single choice's ~%n% option as a share of the mark", () => {
    expect(byId(bank, "pc-tls")).toMatchObject({
      type: "single",
      options: [
        { text: "465", correct: true, weight: 100 },
        { text: "587", correct: false, weight: 25, feedback: "587 is submission with STARTTLS, not implicit TLS." },
        { text: "25", correct: false, weight: 0 },
      ],
    });
  });

  it("reads short answers with their weights and feedback, and =%0%* as the feedback for anything else", () => {
    expect(byId(bank, "pc-verb")).toMatchObject({
      type: "short",
      accept: ["PUT"],
      weighted: [
        { text: "PUT", weight: 100 },
        { text: "PATCH", weight: 40, feedback: "PATCH changes part of it." },
        { text: "POST", weight: 0, feedback: "POST creates, it does not replace." },
      ],
      otherFeedback: "Think of the verb that stores what you send under that URI.",
    });
  });

  it("reads numeric answers with weights and feedback, ~value as a wrong answer and ~# as other feedback", () => {
    expect(byId(bank, "pc-mtu")).toMatchObject({
      type: "numeric",
      answers: [
        { value: 1500, tolerance: 0, feedback: "Right: 1500 bytes of payload." },
        { value: 1518, tolerance: 0, weight: 50, feedback: "That is the whole frame, header and checksum included." },
        { value: 9000, tolerance: 0, weight: 0, feedback: "That is a jumbo frame." },
      ],
      otherFeedback: "Look at a standard Ethernet frame's payload.",
    });
    const mtu = byId(bank, "pc-mtu");
    expect(mtu?.type === "numeric" ? mtu.answers[0] : undefined).not.toHaveProperty("weight");
  });

  it("refuses a negative weight on a typed answer and a block without full credit, with the line", () => {
    const negative = parseGift("Which?{=a =%-50%b}", options("bad.gift"));
    expect(negative.ok).toBe(false);
    if (!negative.ok)
      expect(negative.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining("between 0% and 100%") });
    const none = parseGift("Which?{#\n=%50%3\n}", options("bad.gift"));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors[0]?.message).toContain("has no full-credit answer");
  });

  it("refuses a second full-mark option in a single choice block", () => {
    const result = parseGift("Which?{\n=a\n~%100%b\n~c\n}", options("bad.gift"));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        line: 3,
        message: expect.stringContaining("~%100% gives a second option full marks"),
      });
  });

  it("warns that a missing word drops partial credit", () => {
    const result = parseGift("Port {=443 =%50%8443} is for TLS.", options("gap.gift"));
    if (!result.ok) throw new Error("refused");
    expect(result.warnings[0]?.message).toContain("partial credit and typed answers' feedback are dropped");
    expect(result.bank.questions[0]).toMatchObject({ type: "gap", gaps: [{ kind: "text", accept: ["443"] }] });
  });

  it("exports them as Moodle writes them and reads the export back the same", () => {
    const text = exportGift(bank);
    expect(text).toContain("~%25%587");
    expect(text).toContain("=%40%PATCH");
    expect(text).toContain("=%50%1518:0");
    expect(text).toContain("~#Look at a standard Ethernet frame's payload.");
    expect(same(bankOf(parseGift(text, options("again.gift"))), bank)).toBe(true);
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Idempotent</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which method is idempotent and safe?</p>]]></text></questiontext>
    <idnumber>xml-safe</idnumber>
    <single>true</single>
    <answer fraction="100"><text>GET</text></answer>
    <answer fraction="33.33333"><text>PUT</text><feedback format="html"><text><![CDATA[<p>Idempotent, but not safe.</p>]]></text></feedback></answer>
    <answer fraction="-25"><text>POST</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Header</text></name>
    <questiontext format="html"><text>Which header names the media type of a request body?</text></questiontext>
    <idnumber>xml-header</idnumber>
    <usecase>0</usecase>
    <answer fraction="100"><text>Content-Type</text></answer>
    <answer fraction="50"><text>Accept</text><feedback format="html"><text>Accept asks for a type of the response.</text></feedback></answer>
    <answer fraction="0"><text>*</text><feedback format="html"><text>It starts with Content-.</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Bits</text></name>
    <questiontext format="html"><text>How many bits are in a kibibyte?</text></questiontext>
    <idnumber>xml-bits</idnumber>
    <answer fraction="100"><text>8192</text><tolerance>0</tolerance><feedback format="html"><text>1024 bytes of 8 bits.</text></feedback></answer>
    <answer fraction="50"><text>8000</text><tolerance>0</tolerance><feedback format="html"><text>That is a kilobyte.</text></feedback></answer>
    <answer fraction="0"><text>1024</text><tolerance>0</tolerance><feedback format="html"><text>Those are bytes.</text></feedback></answer>
    <answer fraction="0"><text>*</text><feedback format="html"><text>Multiply bytes by eight.</text></feedback></answer>
  </question>
</quiz>
`;

describe("Moodle XML: fractions and answer feedback", () => {
  const bank = bankOf(parseMoodleXml(XML, options("pc.xml")));

  it("keeps a single choice's fractions, negative ones included", () => {
    expect(byId(bank, "xml-safe")).toMatchObject({
      type: "single",
      options: [
        { text: "GET", correct: true, weight: 100 },
        { text: "PUT", correct: false, weight: 33.33333, feedback: "Idempotent, but not safe." },
        { text: "POST", correct: false, weight: -25 },
      ],
    });
  });

  it("keeps shortanswer fractions and feedback; * is the feedback for any other answer", () => {
    expect(byId(bank, "xml-header")).toMatchObject({
      type: "short",
      accept: ["Content-Type"],
      weighted: [
        { text: "Content-Type", weight: 100 },
        { text: "Accept", weight: 50, feedback: "Accept asks for a type of the response." },
      ],
      otherFeedback: "It starts with Content-.",
    });
  });

  it("keeps numerical fractions, wrong answers' feedback and the feedback for any other number", () => {
    expect(byId(bank, "xml-bits")).toMatchObject({
      type: "numeric",
      answers: [
        { value: 8192, tolerance: 0, feedback: "1024 bytes of 8 bits." },
        { value: 8000, tolerance: 0, weight: 50, feedback: "That is a kilobyte." },
        { value: 1024, tolerance: 0, weight: 0, feedback: "Those are bytes." },
      ],
      otherFeedback: "Multiply bytes by eight.",
    });
  });

  it("refuses a numerical question with no answer at 100%, at its line", () => {
    const result = parseMoodleXml(
      `<quiz><question type="numerical"><questiontext><text>How many?</text></questiontext><answer fraction="50"><text>3</text></answer></question></quiz>`,
      options("bad.xml"),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('fraction="100"') });
  });

  it("exports fractions and feedback, and reads the export back the same", () => {
    const text = exportMoodleXml(bank);
    expect(text).toContain('<answer fraction="33.33333" format="markdown"><text><![CDATA[PUT]]>');
    expect(text).toContain('<answer fraction="0" format="markdown"><text><![CDATA[*]]></text>');
    expect(same(bankOf(parseMoodleXml(text, options("again.xml"))), bank)).toBe(true);
  });
});

const yaml = (questions: string) => `format: stackprep-bank/1
bank:
  slug: pc
  title: Partial credit
topics:
  pc: Partial credit
questions:
${questions}`;

const YAML = yaml(`  - id: pc-y-single
    topic: pc
    type: single
    difficulty: 2
    stem: Which isolation level prevents non-repeatable reads at the least cost?
    options:
      - { text: REPEATABLE READ, correct: true }
      - { text: SERIALIZABLE, weight: 50, feedback: "It prevents them, at a higher cost." }
      - { text: READ COMMITTED }
    explanation: REPEATABLE READ is the weakest level that keeps a row's value stable.
  - id: pc-y-short
    topic: pc
    type: short
    difficulty: 2
    stem: Which SQL clause filters groups?
    answers:
      - { text: HAVING, feedback: Right. }
      - { text: WHERE, weight: 20, feedback: WHERE filters rows before grouping. }
    otherFeedback: It comes after GROUP BY.
    explanation: HAVING filters after aggregation.
  - id: pc-y-numeric
    topic: pc
    type: numeric
    difficulty: 1
    stem: Which TCP port does PostgreSQL use by default?
    answers:
      - { value: 5432 }
      - { value: 3306, weight: 0, feedback: That is MySQL. }
    otherFeedback: Look at postgresql.conf.
    explanation: The default port is 5432.
`);

describe("native YAML: weights, answers and feedback", () => {
  const bank = bankOf(parseNativeYaml(YAML, { file: "pc.yaml" }));

  it("reads single-choice weights, typed answers with weights and feedback, and otherFeedback", () => {
    expect(byId(bank, "pc-y-single")).toMatchObject({
      options: [
        { text: "REPEATABLE READ", correct: true },
        { text: "SERIALIZABLE", correct: false, weight: 50, feedback: "It prevents them, at a higher cost." },
        { text: "READ COMMITTED", correct: false },
      ],
    });
    expect(byId(bank, "pc-y-short")).toMatchObject({
      accept: ["HAVING"],
      weighted: [
        { text: "HAVING", weight: 100, feedback: "Right." },
        { text: "WHERE", weight: 20, feedback: "WHERE filters rows before grouping." },
      ],
      otherFeedback: "It comes after GROUP BY.",
    });
    expect(byId(bank, "pc-y-numeric")).toMatchObject({
      answers: [
        { value: 5432, tolerance: 0 },
        { value: 3306, tolerance: 0, weight: 0, feedback: "That is MySQL." },
      ],
      otherFeedback: "Look at postgresql.conf.",
    });
  });

  const errorsOf = (questions: string) => {
    const result = parseNativeYaml(yaml(questions), { file: "bad.yaml" });
    return result.ok ? [] : result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);
  };
  const head = (type: string) => `  - id: pc-bad
    topic: pc
    type: ${type}
    difficulty: 1
    stem: Which one?
    explanation: Because.
`;

  it("refuses weights out of range at their line", () => {
    expect(
      errorsOf(`${head("numeric")}    answers:\n      - { value: 1 }\n      - { value: 2, weight: 150 }\n`),
    ).toEqual([expect.stringMatching(/^bad\.yaml:16:\d+: .*weight must be between 0 and 100/)]);
    expect(errorsOf(`${head("short")}    answers:\n      - { text: a, weight: -10 }\n`)[0]).toMatch(
      /^bad\.yaml:15:\d+: .*weight must be between 0 and 100/,
    );
  });

  it("asks for an answer at 100%", () => {
    expect(errorsOf(`${head("short")}    answers:\n      - { text: a, weight: 50 }\n`)).toEqual([
      expect.stringMatching(/^bad\.yaml:15:\d+: at least one answer must earn the whole mark/),
    ]);
    expect(errorsOf(`${head("numeric")}    answer: { value: 3, weight: 60 }\n`)).toEqual([
      expect.stringMatching(/^bad\.yaml:14:\d+: at least one answer must earn the whole mark/),
    ]);
  });

  it("refuses a correct option that does not earn all, a wrong one that does, and an answer given twice", () => {
    const options = `    options:\n      - { text: a, correct: true, weight: 80 }\n      - { text: b, weight: 100 }\n`;
    expect(errorsOf(`${head("single")}${options}`)).toEqual([
      expect.stringMatching(/^bad\.yaml:15:\d+: the correct option earns the whole mark/),
      expect.stringMatching(/^bad\.yaml:16:\d+: a wrong option cannot earn 100%/),
    ]);
    expect(
      errorsOf(`${head("short")}    accept: [Index]\n    answers:\n      - { text: index, weight: 50 }\n`),
    ).toEqual([expect.stringMatching(/^bad\.yaml:16:\d+: the answer "index" is given twice/)]);
  });

  it("exports everything and reads it back the same", () => {
    const text = exportNativeYaml(bank);
    expect(text).toContain("otherFeedback: Look at postgresql.conf.");
    expect(same(bankOf(parseNativeYaml(text, { file: "again.yaml" })), bank)).toBe(true);
  });
});

describe("QTI 3.0: what a mapping can carry", () => {
  const bank = bankOf(parseNativeYaml(YAML, { file: "pc.yaml" }));
  const text = exportQti(bank);
  const again = bankOf(parseQti(text, options("pc.qti.xml")));

  it("writes a single choice's and a short answer's partial credit as mapping values, which read back", () => {
    expect(text).toContain('mapped-value="0.5"');
    expect(text).toContain('<qti-map-entry map-key="WHERE" mapped-value="0.2" case-sensitive="false"/>');
    const single = again.questions.find((q) => q.type === "single");
    expect(single).toMatchObject({
      options: [
        { text: "REPEATABLE READ", correct: true, weight: 100 },
        { text: "SERIALIZABLE", weight: 50 },
        { text: "READ COMMITTED", weight: 0 },
      ],
    });
    expect(again.questions.find((q) => q.type === "short")).toMatchObject({
      accept: ["HAVING"],
      weighted: [
        { text: "HAVING", weight: 100 },
        { text: "WHERE", weight: 20 },
      ],
    });
  });

  it("scores a numeric item's part marks in branches of its response processing, which read back", () => {
    const gift = bankOf(parseGift(GIFT, options("pc.gift")));
    const qti = exportQti(gift);
    expect(qti).toContain(
      '<qti-response-else-if><qti-equal tolerance-mode="exact"><qti-variable identifier="RESPONSE"/><qti-base-value base-type="float">1518</qti-base-value></qti-equal><qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0.5</qti-base-value></qti-set-outcome-value></qti-response-else-if>',
    );
    const mtu = bankOf(parseQti(qti, options("pc.qti.xml"))).questions.find((q) => q.type === "numeric");
    // A 0% answer scores nothing either way: only its feedback would tell it apart.
    expect(mtu).toMatchObject({
      answers: [
        { value: 1500, tolerance: 0 },
        { value: 1518, tolerance: 0, weight: 50 },
      ],
    });
  });

  it("names what it leaves out: the feedback of typed answers", () => {
    expect(text).toContain("its per-answer feedback is left out");
    expect(again.questions.find((q) => q.type === "numeric")).toMatchObject({ answers: [{ value: 5432 }] });
  });
});

describe("stored content and the instructor's preview", () => {
  const bank = bankOf(parseNativeYaml(YAML, { file: "pc.yaml" }));

  it("stores weights and feedback in the version body", () => {
    const short = versionContent(byId(bank, "pc-y-short")!, []);
    expect(short.body).toMatchObject({
      accept: ["HAVING"],
      weighted: [
        { text: "HAVING", weight: 100 },
        { text: "WHERE", weight: 20 },
      ],
      otherFeedback: "It comes after GROUP BY.",
    });
    const numeric = versionContent(byId(bank, "pc-y-numeric")!, []);
    expect(numeric.body).toMatchObject({ otherFeedback: "Look at postgresql.conf." });
  });

  it("keeps the content hash of a question without weights or feedback", () => {
    const plain: ParsedQuestion = {
      ...(byId(bank, "pc-y-numeric") as ParsedQuestion & { type: "numeric" }),
      answers: [{ value: 5432, tolerance: 0 }],
      otherFeedback: undefined,
    };
    const { otherFeedback: _, ...withoutKey } = plain;
    expect(questionContentHash(plain)).toBe(questionContentHash(withoutKey as ParsedQuestion));
    expect(questionContentHash(byId(bank, "pc-y-numeric")!)).not.toBe(questionContentHash(plain));
  });

  it("shows every typed answer with its weight and feedback, and partial options' weights", () => {
    const [single, short, numeric] = previewQuestions(bank.questions);
    expect(single?.choices.map((c) => c.weight)).toEqual([undefined, 50, undefined]);
    expect(short?.answers).toEqual([
      { text: "HAVING", weight: 100, feedback: "Right." },
      { text: "WHERE", weight: 20, feedback: "WHERE filters rows before grouping." },
      { text: "(any other answer)", weight: null, feedback: "It comes after GROUP BY." },
    ]);
    expect(numeric?.accepted).toEqual(["5432"]);
    expect(numeric?.answers[1]).toEqual({ text: "3306", weight: 0, feedback: "That is MySQL." });
  });
});

/** Two banks hold the same questions: everything but where each was read. */
function same(a: ParsedBank, b: ParsedBank): boolean {
  const strip = (bank: ParsedBank) =>
    bank.questions.map(({ position: _p, title: _t, ...q }) => JSON.parse(JSON.stringify(q)) as unknown);
  const [x, y] = [strip(a), strip(b)];
  if (JSON.stringify(x) !== JSON.stringify(y)) {
    expect(x).toEqual(y); // shows the difference
    return false;
  }
  return true;
}

describe("CSV", () => {
  it("carries a single choice's partial credit in its answer column, both ways", () => {
    const gift = bankOf(parseGift(GIFT, options("pc.gift")));
    const text = exportCsv(gift);
    const row = text.split("\n").find((line) => line.includes("TLS-wrapped SMTP"));
    expect(row).toContain(",A;B:25,");
    const again = bankOf(parseCsv(text, options("pc.csv")));
    expect(again.questions.find((q) => q.type === "single")).toMatchObject({
      options: [
        { text: "465", correct: true, weight: 100 },
        { text: "587", correct: false, weight: 25 },
        { text: "25", correct: false, weight: 0 },
      ],
    });
  });

  it("refuses a single question with two letters at full marks, at its line", () => {
    const csv = "type,question,A,B,C,answer\nsingle,Which?,x,y,z,A;B\n";
    const result = parseCsv(csv, options("bad.csv"));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        line: 2,
        message: expect.stringContaining("exactly one option letter at full marks"),
      });
  });

  it("writes numeric answers at full marks only, so a part mark never reads back as right", () => {
    const bank = bankOf(parseNativeYaml(YAML, { file: "pc.yaml" }));
    const text = exportCsv(bank);
    const row = text.split("\n").find((line) => line.includes("Which TCP port does PostgreSQL use"));
    expect(row).toContain("5432:0");
    expect(row).not.toContain("3306");
  });
});
