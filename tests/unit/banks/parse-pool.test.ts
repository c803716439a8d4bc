// Parsing a large import's files in worker threads gives what parsing them here gives: the
// same banks, the same rejected questions, the same errors and warnings in the same order.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseSources, type ImportSource, type ParseRequest } from "../../../src/modules/banks/import.parse";
import { pooledParser } from "../../../src/modules/banks/parse.pool";
import { generateBanks } from "../../../bench/support/generate-bank";

const mixed = (name: string): ImportSource => ({
  name,
  text: new Uint8Array(readFileSync(path.join(__dirname, "../../fixtures/banks/mixed", name))),
});

function sources(): ImportSource[] {
  // Native files (one NUL question each, one id used in two files) and a GIFT file with bad questions.
  const { banks } = generateBanks(2_200, { withRejects: true });
  const out: ImportSource[] = banks.map((b) => ({ name: b.fileName, text: new TextEncoder().encode(b.text) }));
  out.push(mixed("mixed.gift"), mixed("mixed.xml"), mixed("mixed.csv"));
  // A file that cannot be read at all, and one over the size limit.
  out.push({ name: "broken.yaml", text: new TextEncoder().encode("format: stackprep-bank/1\nbank: [") });
  out.push({ name: "huge.yaml", text: new Uint8Array(0), bytes: 1 << 30 });
  return out;
}

describe("parsing in worker threads (parse.pool.ts)", () => {
  it.each([true, false])("strict %s: the same outcome as in this thread", async (strict) => {
    const request: ParseRequest = { sources: sources(), format: "auto", maxBytes: 20 << 20, strict };
    const here = parseSources(request);
    const pooled = await pooledParser({ minBytes: 0, size: 2 })(request);
    expect(pooled.errors.length + here.errors.length).toBeGreaterThan(0);
    const rejected = here.parsed.reduce((n, p) => n + p.rejected.length, 0);
    if (strict) expect(rejected).toBe(0);
    else expect(rejected).toBeGreaterThan(5);
    expect(JSON.parse(JSON.stringify(pooled))).toEqual(JSON.parse(JSON.stringify(here)));
  });

  it("parses small imports in this thread", async () => {
    const request: ParseRequest = { sources: [mixed("mixed.gift")], format: "auto", maxBytes: 1 << 20, strict: false };
    expect(await pooledParser()(request)).toEqual(parseSources(request));
  });

  it("reports a worker's failure as an error of the import", async () => {
    const request: ParseRequest = { sources: sources().slice(0, 2), format: "auto", maxBytes: 20 << 20 };
    // A source the structured clone cannot carry to a worker.
    request.sources[1] = { ...request.sources[1]!, text: { toString: () => "x" } as unknown as string };
    await expect(pooledParser({ minBytes: 0, size: 2 })(request)).rejects.toThrow();
  });
});
