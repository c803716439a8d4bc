// Rendering version statements in worker threads gives, byte for byte, what this thread gives.
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import type { ParsedQuestion } from "../../../src/modules/banks/model";
import {
  versionContents,
  versionRowsJson,
  versionStatementSql,
  dollarQuoted,
} from "../../../src/modules/banks/normalise";
import {
  inThreadRenderer,
  renderPool,
  rendererFor,
  sqlText,
  type VersionRenderer,
} from "../../../src/modules/banks/render.pool";
import { generateBanks } from "../../../bench/support/generate-bank";
import { choiceIdsFor } from "../../../src/modules/banks/choice-ids";

function questions(count: number): ParsedQuestion[] {
  const { banks } = generateBanks(count * 15);
  const parsed = parseNativeYaml(banks[0]!.text, { file: banks[0]!.fileName });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.bank.questions;
}

const statementOf = (qs: ParsedQuestion[]) => ({
  before: "SELECT * FROM json_to_recordset(",
  rows: qs.map((question, i) => ({
    keys: { versionId: `v${i}`, number: 1 },
    question,
    choiceIds: choiceIdsFor([question])[0]!,
  })),
  after: "::json) AS v(x int)",
});

describe("rendering version statements", () => {
  let pool: VersionRenderer | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("renders the same SQL in worker threads as in this thread", async () => {
    const qs = questions(60);
    pool = renderPool(2);
    const chunks = [qs.slice(0, 20), qs.slice(20, 40), qs.slice(40)].map(statementOf);
    const fromWorkers = await Promise.all(chunks.map((c) => pool!.render(c)));
    for (const [i, chunk] of chunks.entries()) {
      expect(fromWorkers[i]).toBeInstanceOf(Uint8Array);
      expect(sqlText(fromWorkers[i]!)).toBe(sqlText(await inThreadRenderer.render(chunk)));
    }
  });

  it("writes rows as ASCII JSON that reads back to the stored content", () => {
    const qs = questions(10);
    qs[0] = { ...qs[0]!, stem: "Ünïcode — 😀 and a lone \ud800 surrogate" };
    const ids = choiceIdsFor(qs);
    const json = versionRowsJson(qs.map((question, i) => ({ keys: { number: i }, question, choiceIds: ids[i]! })));
    expect(/^[\x20-\x7e]*$/.test(json)).toBe(true);
    const rows = JSON.parse(json) as Record<string, unknown>[];
    const expected = versionContents(qs, ids).map((c, i) => ({ number: i, ...c }));
    // pg sent a lone surrogate as U+FFFD (UTF-8 has none); the JSON carries the same.
    expect(rows).toEqual(JSON.parse(JSON.stringify(expected).replace(/\\ud800/g, "\\ufffd")));
    expect(rows[0]!.stemMd).toBe("Ünïcode — 😀 and a lone \ufffd surrogate");
  });

  it("writes no dollar sign into the JSON, so bank text cannot end the dollar-quoted literal", () => {
    expect(dollarQuoted("abc")).toBe("$json$abc$json$");
    expect(() => dollarQuoted("a $json$ b")).toThrow(/dollar sign/);
    const [q] = questions(1);
    const tricky = { ...q!, stem: "Costs $5 and $json$); DROP TABLE questions; --" };
    const json = versionRowsJson([{ keys: { number: 1 }, question: tricky, choiceIds: choiceIdsFor([tricky])[0]! }]);
    expect(json).not.toContain("$");
    expect((JSON.parse(json) as { stemMd: string }[])[0]!.stemMd).toBe(tricky.stem);
    const sql = versionStatementSql(statementOf(questions(2)));
    expect(sql.startsWith("SELECT * FROM json_to_recordset($json$[")).toBe(true);
  });

  it("reports an error raised in a worker", async () => {
    pool = renderPool(1);
    const broken = statementOf([{ type: "single" } as unknown as ParsedQuestion]);
    await expect(pool.render(broken)).rejects.toThrow(/rendering failed in a worker/);
    // The worker keeps serving after an error.
    expect(sqlText(await pool.render(statementOf(questions(1))))).toContain("json_to_recordset");
  });

  it("fails renders after close", async () => {
    pool = renderPool(1);
    await pool.close();
    await expect(pool.render(statementOf(questions(1)))).rejects.toThrow(/closed/);
  });

  it("renders small imports in this thread and starts workers only when a large one renders", async () => {
    expect(rendererFor(100)).toBe(inThreadRenderer);
    const lazy = rendererFor(10_000, { size: 2 });
    expect(lazy).not.toBe(inThreadRenderer);
    expect(lazy.parallel).toBe(4);
    await lazy.close(); // nothing started, nothing to stop
    pool = rendererFor(1, { minQuestions: 1, size: 1 });
    expect(sqlText(await pool.render(statementOf(questions(1))))).toContain("$json$");
  });
});
