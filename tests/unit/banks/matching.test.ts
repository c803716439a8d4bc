// Matching questions in every format that has them: GIFT's "=prompt -> answer" block, Moodle
// XML's <subquestion>s and the native pairs; errors at their file:line:column; the native and
// GIFT exports read back as the same question.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { matchChoices, type ParseResult } from "../../../src/modules/banks/model";
import { versionContent } from "../../../src/modules/banks/normalise";
import { choiceCount } from "../../../src/modules/banks/choice-ids";

const options = (file: string) => ({ file, slug: "mt", title: "Matching", defaultTopic: "general" });
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

const GIFT = `$CATEGORY: http

::http-methods::Match each HTTP method with what it is.
{
  =GET -> safe and idempotent
  =PUT -> idempotent, not safe
  =POST -> neither safe nor idempotent
  =HEAD -> safe and idempotent
  = -> safe, not idempotent
  ####GET and HEAD only read; PUT replaces, so repeating it changes nothing more; POST creates.
}
`;

describe("GIFT matching", () => {
  it("reads pairs, merges equal answers into one choice, and keeps distractors", () => {
    const [q] = ok(parseGift(GIFT, options("m.gift"))).questions;
    expect(q).toMatchObject({
      type: "matching",
      externalId: "http-methods",
      topic: "http",
      pairs: [
        { prompt: "GET", match: "safe and idempotent" },
        { prompt: "PUT", match: "idempotent, not safe" },
        { prompt: "POST", match: "neither safe nor idempotent" },
        { prompt: "HEAD", match: "safe and idempotent" },
      ],
      distractors: ["safe, not idempotent"],
    });
    expect(q!.explanation).toContain("GET and HEAD only read");
    if (q!.type !== "matching") throw new Error("not matching");
    expect(matchChoices(q!)).toEqual([
      "safe and idempotent",
      "idempotent, not safe",
      "neither safe nor idempotent",
      "safe, not idempotent",
    ]);
    expect(choiceCount(q!)).toBe(8);
  });

  it("stores each prompt with the id of its answer", () => {
    const [q] = ok(parseGift(GIFT, options("m.gift"))).questions;
    const ids = ["pa", "pb", "pc", "pd", "ma", "mb", "mc", "md"];
    const { body } = versionContent(q!, ids);
    expect(body).toMatchObject({
      prompts: [
        { id: "pa", md: "GET", match: "ma" },
        { id: "pb", md: "PUT", match: "mb" },
        { id: "pc", md: "POST", match: "mc" },
        { id: "pd", md: "HEAD", match: "ma" },
      ],
      matches: [{ id: "ma" }, { id: "mb" }, { id: "mc" }, { id: "md", md: "safe, not idempotent" }],
    });
  });

  it.each([
    ["a pair without ->", "Match. {=GET -> safe =POST}", 1, 22, 'pair "=POST" on line 1 has no "->"'],
    ["one pair", "Match. {=GET -> safe = -> unsafe}", 1, 9, "matching block on line 1 has 1 pair"],
    ["an empty answer", "Match. {=GET -> =POST -> unsafe}", 1, 14, 'has no answer after "->"'],
    ["a prompt twice", "Match. {=GET -> safe =GET -> unsafe}", 1, 22, 'prompt "GET" is given twice'],
    ["feedback on a pair", "Match. {=GET -> safe#yes =POST -> unsafe}", 1, 21, 'take no feedback ("#")'],
    ["the same answer everywhere", "Match. {=GET -> safe =HEAD -> safe}", 1, 9, "has the same answer"],
    [
      "a distractor that is an answer",
      "Match. {=GET -> safe =POST -> unsafe = -> safe}",
      1,
      9,
      'distractor "safe" is also the answer of a pair',
    ],
    ["text before the first pair", "Match. {GET =GET -> safe =POST -> unsafe}", 1, 9, "stands before the first pair"],
  ])("refuses %s at its position", (_name, text, line, column, message) => {
    expect(errors(parseGift(text, options("m.gift")))).toContainEqual(at("m.gift", line, column, message));
  });

  it("exports pairs and distractors that read back the same", () => {
    const bank = ok(parseGift(GIFT, options("m.gift")));
    const text = exportGift(bank);
    expect(text).toContain("=GET -> safe and idempotent");
    expect(text).toContain("= -> safe, not idempotent");
    const again = ok(parseGift(text, options("again.gift")));
    const strip = (b: typeof bank) => b.questions.map(({ position: _p, ...q }) => q);
    expect(strip(again)).toEqual(strip(bank));
  });

  it("escapes GIFT specials in pairs", () => {
    const bank = ok(parseGift("Match. {=a\\=b -> x\\{y =c -> d\\:e}", options("m.gift")));
    expect(bank.questions[0]).toMatchObject({
      pairs: [
        { prompt: "a=b", match: "x{y" },
        { prompt: "c", match: "d:e" },
      ],
    });
    const again = ok(parseGift(exportGift(bank), options("again.gift")));
    expect(again.questions[0]).toMatchObject({
      pairs: [
        { prompt: "a=b", match: "x{y" },
        { prompt: "c", match: "d:e" },
      ],
    });
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="matching">
    <name><text>Status classes</text></name>
    <questiontext format="html"><text><![CDATA[<p>Match each status code with its class.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>The first digit gives the class.</text></generalfeedback>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text><![CDATA[<p>404</p>]]></text><answer><text>client error</text></answer></subquestion>
    <subquestion format="html"><text>503</text><answer><text>server error</text></answer></subquestion>
    <subquestion format="html"><text>301</text><answer><text>redirection</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>informational</text></answer></subquestion>
  </question>
  <question type="matching">
    <questiontext format="html"><text>Too few.</text></questiontext>
    <subquestion format="html"><text>404</text><answer><text>client error</text></answer></subquestion>
  </question>
</quiz>
`;

describe("Moodle XML matching", () => {
  it("reads subquestions as pairs, an empty one as a distractor", () => {
    const result = parseMoodleXml(XML, options("m.xml"));
    expect(errors(result)).toEqual([
      at("m.xml", 13, 3, "the matching question on line 13: it has 1 subquestion with text"),
    ]);
    const q = result.ok ? undefined : result.partial?.bank.questions[0];
    expect(q).toMatchObject({
      type: "matching",
      stem: "Match each status code with its class.",
      explanation: "The first digit gives the class.",
      pairs: [
        { prompt: "404", match: "client error" },
        { prompt: "503", match: "server error" },
        { prompt: "301", match: "redirection" },
      ],
      distractors: ["informational"],
    });
  });
});

const yaml = (question: string) => `format: stackprep-bank/1
bank:
  slug: mt
  title: Matching
topics:
  mt: Matching
questions:
${question}`;

const NATIVE = yaml(`  - id: mt-1
    topic: mt
    type: matching
    difficulty: 2
    stem: Match each isolation level with an anomaly it still allows.
    pairs:
      - prompt: Read committed
        match: Non-repeatable read
      - prompt: Repeatable read (SQL standard)
        match: Phantom read
      - prompt: "\`READ UNCOMMITTED\`"
        match: Dirty read
    distractors: [Lost commit]
    explanation: Each level removes one more anomaly; serializable allows none of them.
`);

describe("native matching", () => {
  it("reads pairs and distractors", () => {
    const [q] = ok(parseNativeYaml(NATIVE, { file: "m.yaml" })).questions;
    expect(q).toMatchObject({
      type: "matching",
      pairs: [
        { prompt: "Read committed", match: "Non-repeatable read" },
        { prompt: "Repeatable read (SQL standard)", match: "Phantom read" },
        { prompt: "`READ UNCOMMITTED`", match: "Dirty read" },
      ],
      distractors: ["Lost commit"],
    });
  });

  it("exports YAML that imports as the same question", () => {
    const bank = ok(parseNativeYaml(NATIVE, { file: "m.yaml" }));
    const again = ok(parseNativeYaml(exportNativeYaml(bank), { file: "again.yaml" }));
    const strip = (b: typeof bank) => b.questions.map(({ position: _p, ...q }) => q);
    expect(strip(again)).toEqual(strip(bank));
  });

  it.each([
    [
      "one pair",
      (t: string) => t.replace(/ {6}- prompt: Repeatable[\s\S]*?Dirty read\n/, ""),
      14,
      7,
      "give at least 2 pairs",
    ],
    [
      "a pair without its answer",
      (t: string) => t.replace("        match: Phantom read\n", ""),
      16,
      9,
      "match is required",
    ],
    [
      "a prompt twice",
      (t: string) => t.replace("Repeatable read (SQL standard)", "Read committed"),
      16,
      17,
      "prompt 2 repeats prompt 1",
    ],
    [
      "a distractor that is an answer",
      (t: string) => t.replace("[Lost commit]", "[Dirty read]"),
      20,
      19,
      'distractor "Dirty read" is also the answer',
    ],
  ])("refuses %s at its position", (_name, edit, line, column, message) => {
    expect(errors(parseNativeYaml(edit(NATIVE), { file: "m.yaml" }))).toContainEqual(
      at("m.yaml", line, column, message),
    );
  });
});
