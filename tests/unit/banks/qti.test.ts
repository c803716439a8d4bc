import { readFileSync } from "node:fs";
import path from "node:path";
import { detectFormat } from "../../../src/modules/banks/formats";
import { parseQti } from "../../../src/modules/banks/formats/qti";
import type { ParseIssue, ParsedBank } from "../../../src/modules/banks/model";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/qti", name), "utf8");
const options = { file: "items.xml", slug: "qt", title: "QTI fixture", defaultTopic: "general" };

function bankOf(text: string): ParsedBank & { warnings: ParseIssue[] } {
  const result = parseQti(text, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.bank, warnings: result.warnings };
}

function errorsOf(text: string): ParseIssue[] {
  const result = parseQti(text, options);
  if (result.ok) throw new Error("expected errors, got a bank");
  return result.errors;
}

const at = (line: number, column: number, message: string) =>
  expect.objectContaining({ file: "items.xml", line, column, message: expect.stringContaining(message) });

const NS = 'xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"';
/** A QTI 3.0 item with one response declaration and the given body. */
const item3 = (id: string, declaration: string, body: string, processing = "") =>
  `<qti-assessment-item ${NS} identifier="${id}" title="${id}" adaptive="false" time-dependent="false">
  ${declaration}
  <qti-item-body>${body}</qti-item-body>
  ${processing}
</qti-assessment-item>`;
const wrap = (...items: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<items>\n${items.join("\n")}\n</items>\n`;

describe("QTI 3.0 items", () => {
  it("reads a choice item: stem with its prompt, key, per-choice feedback (inline and modal) and the explanation", () => {
    const bank = bankOf(fixture("v3-single.xml"));
    expect(bank.questions).toHaveLength(1);
    const [question] = bank.questions;
    expect(question).toMatchObject({
      externalId: "qt-tcp-handshake-first",
      title: "TCP opening",
      type: "single",
      topic: "general",
      stem: "Which segment does a client send *first* to open a TCP connection?\n\nChoose one flag.",
      explanation: "The handshake is SYN, then SYN-ACK, then `ACK`.",
      position: { file: "items.xml", line: 2, column: 1 },
      options: [
        { text: "SYN", correct: true, feedback: "It asks the server to synchronise sequence numbers." },
        { text: "ACK", correct: false, feedback: "ACK only confirms data already received." },
        { text: "FIN", correct: false, feedback: "FIN closes a connection." },
      ],
    });
  });

  it("reads text entry as short answer (a mapping's case rule) and as numeric (float, with qti-equal tolerances)", () => {
    const short = item3(
      "port-cmd",
      `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
         <qti-correct-response><qti-value>netstat</qti-value></qti-correct-response>
         <qti-mapping default-value="0"><qti-map-entry map-key="ss" mapped-value="1" case-sensitive="false"/><qti-map-entry map-key="netstat" mapped-value="1" case-sensitive="false"/></qti-mapping>
       </qti-response-declaration>`,
      `<p>Which command lists listening sockets? <qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
      `<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"/>`,
    );
    const exact = item3(
      "mtu",
      `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response><qti-value>1500</qti-value></qti-correct-response></qti-response-declaration>`,
      `<p>What is Ethernet's usual MTU in bytes?</p><qti-text-entry-interaction response-identifier="RESPONSE"/>`,
      `<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>`,
    );
    const tolerant = item3(
      "rtt",
      `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response><qti-value>0.5</qti-value></qti-correct-response></qti-response-declaration>`,
      `<p>Half of 1?</p><qti-text-entry-interaction response-identifier="RESPONSE"/>`,
      `<qti-response-processing><qti-response-condition><qti-response-if><qti-or>
         <qti-equal tolerance-mode="absolute" tolerance="0.01 0.01"><qti-variable identifier="RESPONSE"/><qti-base-value base-type="float">0.5</qti-base-value></qti-equal>
         <qti-equal tolerance-mode="relative" tolerance="10"><qti-variable identifier="RESPONSE"/><qti-base-value base-type="float">50</qti-base-value></qti-equal>
       </qti-or><qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">1</qti-base-value></qti-set-outcome-value></qti-response-if></qti-response-condition></qti-response-processing>`,
    );
    const bank = bankOf(wrap(short, exact, tolerant));
    expect(bank.questions.map((q) => [q.externalId, q.type])).toEqual([
      ["qt-port-cmd", "short"],
      ["qt-mtu", "numeric"],
      ["qt-rtt", "numeric"],
    ]);
    expect(bank.questions[0]).toMatchObject({
      stem: "Which command lists listening sockets?",
      accept: ["netstat", "ss"],
      caseSensitive: false,
    });
    expect(bank.questions[1]).toMatchObject({ answers: [{ value: 1500, tolerance: 0 }] });
    expect(bank.questions[2]).toMatchObject({
      answers: [
        { value: 0.5, tolerance: 0.01 },
        { value: 50, tolerance: 5 },
      ],
    });
  });

  it("reads an order interaction as an ordering question in the key's order", () => {
    const order = item3(
      "layers",
      `<qti-response-declaration identifier="RESPONSE" cardinality="ordered" base-type="identifier"><qti-correct-response><qti-value>L2</qti-value><qti-value>L3</qti-value><qti-value>L4</qti-value></qti-correct-response></qti-response-declaration>`,
      `<p>Order from lowest layer.</p><qti-order-interaction response-identifier="RESPONSE"><qti-simple-choice identifier="L4">Transport</qti-simple-choice><qti-simple-choice identifier="L2">Link</qti-simple-choice><qti-simple-choice identifier="L3">Network</qti-simple-choice></qti-order-interaction>`,
    );
    expect(bankOf(wrap(order)).questions[0]).toMatchObject({
      type: "ordering",
      items: ["Link", "Network", "Transport"],
    });
  });

  it("reads a match interaction as matching (an answer no pair takes is a distractor) and inline blanks as a gap question", () => {
    const match = item3(
      "methods",
      `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair">
         <qti-correct-response><qti-value>get safe</qti-value><qti-value>put idem</qti-value></qti-correct-response>
         <qti-mapping default-value="0"><qti-map-entry map-key="get safe" mapped-value="1"/><qti-map-entry map-key="put idem" mapped-value="1"/></qti-mapping>
       </qti-response-declaration>`,
      `<qti-match-interaction response-identifier="RESPONSE" max-associations="2">
         <qti-prompt>Match each method.</qti-prompt>
         <qti-simple-match-set><qti-simple-associable-choice identifier="get" match-max="1">GET</qti-simple-associable-choice><qti-simple-associable-choice identifier="put" match-max="1">PUT</qti-simple-associable-choice></qti-simple-match-set>
         <qti-simple-match-set><qti-simple-associable-choice identifier="safe" match-max="2">safe</qti-simple-associable-choice><qti-simple-associable-choice identifier="idem" match-max="2">idempotent only</qti-simple-associable-choice><qti-simple-associable-choice identifier="none" match-max="2">neither</qti-simple-associable-choice></qti-simple-match-set>
       </qti-match-interaction>`,
    );
    const gap = item3(
      "join",
      `<qti-response-declaration identifier="R1" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>L</qti-value></qti-correct-response></qti-response-declaration>
       <qti-response-declaration identifier="R2" cardinality="single" base-type="string"><qti-correct-response><qti-value>null</qti-value></qti-correct-response><qti-mapping default-value="0"><qti-map-entry map-key="null" mapped-value="1" case-sensitive="false"/></qti-mapping></qti-response-declaration>`,
      `<p>A <qti-inline-choice-interaction response-identifier="R1"><qti-inline-choice identifier="L">LEFT</qti-inline-choice><qti-inline-choice identifier="I">INNER</qti-inline-choice></qti-inline-choice-interaction> join pads with <qti-text-entry-interaction response-identifier="R2"/> values.</p>`,
      `<qti-modal-feedback outcome-identifier="FEEDBACK" identifier="I" show-hide="show">INNER drops them.</qti-modal-feedback>`,
    );
    const bank = bankOf(wrap(match, gap));
    expect(bank.questions.map(({ position: _p, ...q }) => q)).toEqual([
      expect.objectContaining({
        type: "matching",
        stem: "Match each method.",
        pairs: [
          { prompt: "GET", match: "safe" },
          { prompt: "PUT", match: "idempotent only" },
        ],
        distractors: ["neither"],
      }),
      expect.objectContaining({
        type: "gap",
        stem: "A [[1]] join pads with [[2]] values.",
        explanation: "",
        gaps: [
          {
            kind: "choice",
            options: [
              { text: "LEFT", correct: true },
              { text: "INNER", correct: false, feedback: "INNER drops them." },
            ],
          },
          { kind: "text", accept: ["null"], caseSensitive: false },
        ],
      }),
    ]);
  });

  it("refuses, per item and with its line, what Stackprep cannot import; the other items still import", () => {
    const good = item3(
      "good",
      `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>`,
      `<p>Good?</p><qti-choice-interaction response-identifier="RESPONSE" max-choices="1"><qti-simple-choice identifier="A">Yes</qti-simple-choice><qti-simple-choice identifier="B">No</qti-simple-choice></qti-choice-interaction>`,
    );
    const hotspot = item3(
      "map",
      `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"/>`,
      `<p>Click it.</p><qti-hotspot-interaction response-identifier="RESPONSE"/>`,
    );
    const wrongKey = good.replace(/"good"/g, '"wrong-key"').replace("<qti-value>A</", "<qti-value>Z</");
    const result = parseQti(wrap(good, hotspot, wrongKey), options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      at(8, 1, 'the QTI item "map" on line 8: <qti-hotspot-interaction> items are not supported'),
      at(13, 1, 'its correct response "Z" names no choice'),
    ]);
    expect(result.partial?.bank.questions.map((q) => q.externalId)).toEqual(["qt-good"]);
    expect(result.partial?.rejected.map((r) => [r.externalId, r.label])).toEqual([
      ["qt-map", "map"],
      ["qt-wrong-key", "wrong-key"],
    ]);
  });

  it("names the line and column of malformed XML, refuses a DOCTYPE and a file with no QTI item", () => {
    expect(
      errorsOf(`<?xml version="1.0"?>\n<qti-assessment-item ${NS}>\n  <qti-item-body>\n</qti-assessment-item>\n`),
    ).toEqual([at(4, 1, "malformed XML: Expected closing tag 'qti-item-body' (opened in line 3, col 3)")]);
    expect(errorsOf(`<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<qti-assessment-item/>`)).toEqual([
      at(2, 1, "DOCTYPE declarations are refused"),
    ]);
    expect(errorsOf(`<?xml version="1.0"?>\n<html><p>hello</p></html>`)).toEqual([at(1, 1, "no QTI item found")]);
  });
});

describe("QTI 2.1 items", () => {
  it("reads camelCase elements like QTI 3.0's, with mapping weights and inline feedback", () => {
    const bank = bankOf(fixture("v21-multiple.xml"));
    expect(bank.questions[0]).toMatchObject({
      externalId: "qt-cache-headers",
      type: "multiple",
      stem: "Which response headers let a shared cache store a response?",
      explanation: "public and s-maxage allow shared caches; private forbids them.",
      options: [
        { text: "`Cache-Control: public`", correct: true, weight: 50 },
        {
          text: "`Cache-Control: private`",
          correct: false,
          weight: -100,
          feedback: "private is for the browser's cache alone.",
        },
        { text: "`Cache-Control: s-maxage=60`", correct: true, weight: 50 },
      ],
    });
  });
});

describe("Canvas QTI 1.2", () => {
  const result = parseQti(fixture("canvas-quiz.xml"), options);
  const bank = result.ok ? result.bank : result.partial!.bank;
  const byId = (id: string) => bank.questions.find((q) => q.externalId === `qt-${id}`);

  it("reads the five gradable question types by their question_type", () => {
    expect(bank.questions.map((q) => q.type)).toEqual(["single", "multiple", "truefalse", "short", "numeric"]);
  });

  it("keeps the key from resprocessing, answer feedback and general feedback", () => {
    expect(byId("i5f1c0a")).toMatchObject({
      title: "DNS port",
      stem: "Which port does DNS use by default?",
      explanation: "DNS listens on port 53 over UDP and TCP.",
      options: [
        { text: "53", correct: true },
        { text: "25", correct: false, feedback: "25 is SMTP." },
        { text: "110", correct: false },
      ],
    });
    expect(byId("i5f1c0a")).toHaveProperty("options.0", { text: "53", correct: true });
    expect(byId("i5f1c0b")).toMatchObject({
      options: [
        { text: "QUIC", correct: true },
        { text: "SSH", correct: false },
        { text: "DHCP", correct: true },
      ],
    });
    expect(byId("i5f1c0b")).not.toHaveProperty("title");
    expect(byId("i5f1c0c")).toMatchObject({ answer: false });
    expect(byId("i5f1c0d")).toMatchObject({ accept: ["traceroute", "tracert"], caseSensitive: false });
    expect(byId("i5f1c0e")).toMatchObject({
      answers: [
        { value: 2, tolerance: 0.5 },
        { value: 2.1, tolerance: 0.2 },
      ],
    });
  });

  it("refuses an essay with its line, skips a text-only item with a warning", () => {
    const result = parseQti(fixture("canvas-quiz.xml"), options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([at(131, 7, "essay_question items are not supported")]);
    expect(result.partial?.warnings).toEqual([at(138, 7, "text-only items are not questions; skipped")]);
  });
});

describe("detecting QTI by content", () => {
  it("tells QTI from Moodle XML in .xml files, and reads .qti files as QTI", () => {
    expect(detectFormat("quiz.xml", fixture("canvas-quiz.xml"))).toBe("qti");
    expect(detectFormat("item.xml", fixture("v3-single.xml"))).toBe("qti");
    expect(detectFormat("item.xml", fixture("v21-multiple.xml"))).toBe("qti");
    expect(detectFormat("export", fixture("v3-single.xml"))).toBe("qti");
    expect(detectFormat("bank.qti", "<items/>")).toBe("qti");
    expect(detectFormat("quiz.xml", `<?xml version="1.0"?>\n<quiz><question type="truefalse"/></quiz>`)).toBe("xml");
  });
});
