// Export then re-import gives the same questions: stems, keys, weights, feedback and
// explanations, for every format that exports and every type it can express.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { parseAiken } from "../../../src/modules/banks/formats/aiken";
import { exportAiken } from "../../../src/modules/banks/formats/aiken-export";
import { parseCsv } from "../../../src/modules/banks/formats/csv";
import { exportCsv } from "../../../src/modules/banks/formats/csv-export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseMoodleXml } from "../../../src/modules/banks/formats/moodle-xml";
import { exportMoodleXml } from "../../../src/modules/banks/formats/moodle-xml-export";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import { parseQti } from "../../../src/modules/banks/formats/qti";
import { exportQti } from "../../../src/modules/banks/formats/qti-export";
import type { ParseResult, ParsedBank, ParsedQuestion } from "../../../src/modules/banks/model";

const SLUG = "rt";
const options = (file: string) => ({ file, slug: SLUG, title: "Round trip", defaultTopic: SLUG });

/** One question of every type, with what each format may lose: code, weights, feedback, several answers. */
const SOURCE = `format: stackprep-bank/1
bank:
  slug: ${SLUG}
  title: Round trip
topics:
  ${SLUG}: Round trip
  ${SLUG}/http: HTTP
  ${SLUG}/sql: SQL
questions:
  - id: ${SLUG}-single
    topic: ${SLUG}/http
    type: single
    difficulty: 2
    stem: |
      Which status code answers a \`GET\` for a resource that **never** existed?

      \`\`\`http
      GET /users/42 HTTP/1.1
      Host: api.example

      \`\`\`
    options:
      - text: "\`404 Not Found\`"
        correct: true
        feedback: The resource is unknown to the server.
      - text: "\`410 Gone\`"
        feedback: "410 says it existed once & was removed: <gone>."
      - text: "\`400 Bad Request\`"
    explanation: |
      A 404 says nothing is at that URI; 410 also promises it existed.
  - id: ${SLUG}-multiple
    topic: ${SLUG}/http
    type: multiple
    difficulty: 3
    stem: Which methods are idempotent? Select all that apply.
    options:
      - text: PUT
        correct: true
        weight: 60
        feedback: Replacing twice leaves one state.
      - text: DELETE
        correct: true
        weight: 40
      - text: POST
        weight: -50
        feedback: Each POST may create a new resource.
    explanation: PUT and DELETE may be repeated; POST may not.
  - id: ${SLUG}-truefalse
    topic: ${SLUG}/http
    type: truefalse
    difficulty: 1
    stem: GET is a *safe* method.
    answer: true
    explanation: It does not change server state.
  - id: ${SLUG}-short
    topic: ${SLUG}/sql
    type: short
    difficulty: 2
    stem: Which keyword removes duplicate rows from a result?
    accept: [DISTINCT, distinct on]
    explanation: SELECT DISTINCT keeps one row of each set of duplicates.
  - id: ${SLUG}-numeric
    topic: ${SLUG}/sql
    type: numeric
    difficulty: 2
    stem: How many rows does a cross join of a 3-row and a 4-row table return?
    answers:
      - { value: 12, tolerance: 0 }
      - { value: 12.5, tolerance: 0.5 }
    explanation: A cross join pairs every row with every row, 3 × 4.
  - id: ${SLUG}-ordering
    topic: ${SLUG}/sql
    type: ordering
    difficulty: 2
    stem: Order the clauses as PostgreSQL evaluates them.
    items: [FROM, WHERE, GROUP BY, SELECT]
    explanation: Rows are found, filtered, grouped, then projected.
  - id: ${SLUG}-matching
    topic: ${SLUG}/http
    type: matching
    difficulty: 2
    stem: Match each method with what it is.
    pairs:
      - { prompt: "\`GET\`", match: safe and idempotent }
      - { prompt: "\`PUT\`", match: "idempotent, not safe" }
      - { prompt: "\`HEAD\`", match: safe and idempotent }
    distractors: [safe, "not idempotent"]
    explanation: Safe methods change nothing, so repeating them is harmless.
  - id: ${SLUG}-gap-choice
    topic: ${SLUG}/sql
    type: gap
    difficulty: 1
    stem: "A [[1]] join keeps every row of the left table."
    gaps:
      - options:
          - { text: LEFT, correct: true, feedback: "It pads the right side with NULL." }
          - { text: INNER, feedback: 'It keeps only matching rows; # and } stay as written, C:\\ too.' }
          - { text: CROSS }
    explanation: LEFT JOIN keeps unmatched left rows.
  - id: ${SLUG}-gap-mixed
    topic: ${SLUG}/sql
    type: gap
    difficulty: 2
    stem: "\`git [[1]]\` records staged changes; \`git [[2]]\` sends them."
    gaps:
      - options:
          - { text: commit, correct: true }
          - { text: stash }
      - accept: [push, Push]
        caseSensitive: true
    explanation: A commit is local; push publishes it.
  - id: ${SLUG}-sql
    topic: ${SLUG}/sql
    type: sql
    difficulty: 2
    stem: List every name.
    setup: CREATE TABLE t (name text); INSERT INTO t VALUES ('a');
    reference: SELECT name FROM t
    explanation: A plain projection.
cards: []
`;

function bankOf(result: ParseResult): ParsedBank {
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 1));
  return result.bank;
}

/** What must survive: id, topic, type, text, key, weights, feedback; not positions or defaults a format cannot carry. */
function essence(question: ParsedQuestion) {
  const {
    position: _position,
    difficulty: _difficulty,
    tags: _tags,
    references: _references,
    title: _title,
    ...rest
  } = question;
  return rest;
}

const source = bankOf(parseNativeYaml(SOURCE, options("source.yaml")));

describe("round trips", () => {
  it("YAML keeps every question of every type, weights and several numeric answers included", () => {
    const back = bankOf(parseNativeYaml(exportNativeYaml(source), options("back.yaml")));
    expect(back.questions.map(essence)).toEqual(source.questions.map(essence));
    expect(back.questions.map((q) => q.difficulty)).toEqual(source.questions.map((q) => q.difficulty));
    expect(back.topics).toEqual(source.topics);
  });

  it("GIFT keeps choice (weights, feedback), true/false, short, numeric, matching and one-blank gap questions; ordering, SQL and a gap of two blanks are named in comments", () => {
    const text = exportGift(source);
    expect(text).toContain(`// ordering question ${SLUG}-ordering cannot be expressed in GIFT`);
    expect(text).toContain(`// gap question ${SLUG}-gap-mixed cannot be expressed in GIFT`);
    const back = bankOf(parseGift(text, options("back.gift")));
    const kept = ["single", "multiple", "truefalse", "short", "numeric", "matching", "gap"];
    expect(back.questions.map(essence)).toEqual(
      source.questions.filter((q) => kept.includes(q.type) && q.externalId !== `${SLUG}-gap-mixed`).map(essence),
    );
  });

  it("Moodle XML keeps choice (weights, feedback), true/false, short (case rule), numeric (answers, unit), matching and gap (cloze) questions; ordering and SQL are named in comments", () => {
    const short = source.questions.find((q) => q.type === "short")!;
    const numeric = source.questions.find((q) => q.type === "numeric")!;
    const changed = source.questions.map((q) =>
      q === short ? { ...q, caseSensitive: true } : q === numeric ? { ...q, unit: "rows" } : q,
    );
    const text = exportMoodleXml({ ...source, questions: changed });
    expect(text).toContain(`<!-- ordering question ${SLUG}-ordering cannot be expressed in Moodle XML -->`);
    // Matching as Moodle's matching (a distractor is a subquestion without text), gaps as cloze.
    expect(text).toContain(`<question type="matching">`);
    expect(text).toContain(
      `<subquestion format="markdown"><text></text><answer><text><![CDATA[safe]]></text></answer></subquestion>`,
    );
    expect(text).toContain(
      "A {1:MULTICHOICE:=LEFT#It pads the right side with NULL.~%0%INNER#It keeps only matching rows; \\# and \\} stay as written, C:\\ too.~%0%CROSS} join",
    );
    expect(text).toContain("`git {1:SHORTANSWER_C:=push~=Push}` sends them.");
    // Moodle's cloze splits answers at every "~": a blank holding one cannot be written.
    const gap = source.questions.find((q) => q.externalId === `${SLUG}-gap-mixed`)!;
    const tilde = {
      ...gap,
      gaps: gap.type === "gap" ? [gap.gaps[0]!, { kind: "text" as const, accept: ["~/bin"], caseSensitive: true }] : [],
    };
    const leftOut: string[] = [];
    expect(exportMoodleXml({ ...source, questions: [tilde] }, (q) => leftOut.push(q.externalId))).toContain(
      `<!-- gap question ${SLUG}-gap-mixed cannot be expressed in Moodle XML -->`,
    );
    expect(leftOut).toEqual([`${SLUG}-gap-mixed`]);
    const back = bankOf(parseMoodleXml(text, options("back.xml")));
    expect(back.questions.map(essence)).toEqual(
      changed.filter((q) => q.type !== "ordering" && q.type !== "sql").map(essence),
    );
  });

  it("QTI 3.0 keeps every type QTI expresses, with weights, feedback and several numeric answers; SQL is named in a comment", () => {
    const text = exportQti(source);
    expect(text).toContain(`<!-- sql question ${SLUG}-sql cannot be expressed in QTI; left out -->`);
    // Matching: directed pairs, each right pair a third of the point; gaps: controls inside the stem.
    expect(text).toContain(
      `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair"><qti-correct-response><qti-value>P1 A1</qti-value><qti-value>P2 A2</qti-value><qti-value>P3 A1</qti-value></qti-correct-response><qti-mapping lower-bound="0" upper-bound="1" default-value="0"><qti-map-entry map-key="P1 A1" mapped-value="0.333333"/>`,
    );
    expect(text).toContain(
      `<qti-match-interaction response-identifier="RESPONSE" shuffle="true" max-associations="3">`,
    );
    expect(text).toMatch(
      /<p><code>git <qti-inline-choice-interaction class="stackprep-gap" response-identifier="RESPONSE_1" shuffle="true"><qti-inline-choice identifier="G1C1">commit<\/qti-inline-choice>.*<\/qti-inline-choice-interaction><\/code> records staged changes; <code>git <qti-text-entry-interaction class="stackprep-gap" response-identifier="RESPONSE_2"\/><\/code> sends them.<\/p>/,
    );
    const back = bankOf(parseQti(text, options("back.xml")));
    expect(back.questions.map(essence)).toEqual(source.questions.filter((q) => q.type !== "sql").map(essence));
    expect(back.questions.filter((q) => q.title !== undefined)).toEqual([]);
    expect(back.topics).toEqual(source.topics.filter((t) => t.path !== SLUG));
  });

  it("QTI keeps case sensitivity and a title; a unit is named in a comment", () => {
    const short = { ...source.questions.find((q) => q.type === "short")!, caseSensitive: true, title: "Dedup" };
    const numeric = { ...source.questions.find((q) => q.type === "numeric")!, unit: "rows" };
    const text = exportQti({ ...source, questions: [short, numeric] });
    expect(text).toContain(`numeric question ${SLUG}-numeric: its unit "rows" is left out`);
    const back = bankOf(parseQti(text, options("back.xml")));
    expect(back.questions[0]).toMatchObject({ caseSensitive: true, title: "Dedup" });
  });

  it("CSV keeps every type but matching, gap and SQL, with weights, several numeric answers, titles, tags and difficulty; option feedback has no column; what it leaves out is named at the top", () => {
    const titled = source.questions.map((q, i) =>
      i === 0 ? { ...q, title: "Never existed", tags: ["http", "status"] } : q,
    );
    const leftOut: string[] = [];
    const text = exportCsv({ ...source, questions: titled }, (q) => leftOut.push(q.externalId));
    expect(text).toContain(`# sql question ${SLUG}-sql cannot be expressed in CSV`);
    expect(text).toContain(`# matching question ${SLUG}-matching cannot be expressed in CSV`);
    expect(text.split("\n")[1]).toBe(
      `# LEFT OUT: 4 questions CSV cannot express (matching, gap, sql): ${SLUG}-matching, ${SLUG}-gap-choice, ${SLUG}-gap-mixed, ${SLUG}-sql; export as YAML, QTI or Moodle XML to keep them`,
    );
    expect(leftOut).toEqual([`${SLUG}-matching`, `${SLUG}-gap-choice`, `${SLUG}-gap-mixed`, `${SLUG}-sql`]);
    const csvTypes = ["single", "multiple", "truefalse", "short", "numeric", "ordering"];
    const back = bankOf(parseCsv(text, options("back.csv")));
    const withoutFeedback = (q: ParsedQuestion) =>
      "options" in q ? { ...q, options: q.options.map(({ feedback: _feedback, ...o }) => o) } : q;
    expect(back.questions.map(withoutFeedback).map(essence)).toEqual(
      titled
        .filter((q) => csvTypes.includes(q.type))
        .map(withoutFeedback)
        .map(essence),
    );
    expect(back.questions.map((q) => [q.difficulty, q.tags, q.title])).toEqual(
      titled.filter((q) => csvTypes.includes(q.type)).map((q) => [q.difficulty, q.tags, q.title]),
    );
  });

  it("Aiken keeps the stem and key of single-choice questions it can hold, and leaves out the rest", () => {
    const single = source.questions.find((q) => q.type === "single")!;
    const oneLine = { ...single, externalId: `${SLUG}-one-line`, stem: "Which status code means `Not Found`?" };
    const text = exportAiken({ ...source, questions: [...source.questions, oneLine] });
    expect(text).toBe(
      "Which status code means `Not Found`?\nA) `404 Not Found`\nB) `410 Gone`\nC) `400 Bad Request`\nANSWER: A\n",
    );
    const back = bankOf(parseAiken(text, options("back.aiken")));
    expect(
      back.questions.map((q) => ({ type: q.type, stem: q.stem, options: "options" in q ? q.options : [] })),
    ).toEqual([
      {
        type: "single",
        stem: oneLine.stem,
        options: oneLine.type === "single" ? oneLine.options.map(({ feedback: _feedback, ...o }) => o) : [],
      },
    ]);
  });
});
