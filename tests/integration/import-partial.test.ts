// One bad question never blocks the rest: the import, the upload preview and publish, and
// `npm run import` leave questions with errors out and bring the others in; strict mode
// (the shipped banks, --strict, "all or nothing") still writes nothing.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { importService, type ImportService } from "../../src/modules/banks";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { login, tokenFor, type Agent } from "../support/http";

let t: TestApp;
let service: ImportService;
beforeAll(async () => {
  t = await createTestApp();
  service = importService({ prisma: t.prisma, clock: t.clock, maxBytes: 1024 * 1024 });
});
afterAll(() => t.close());

const unique = () => `p${randomUUID().slice(0, 8)}`;
const mixedGift = readFileSync(`${__dirname}/../fixtures/banks/mixed/mixed.gift`, "utf8");
const stored = (slug: string) =>
  t.prisma.question.findMany({
    where: { bank: { slug } },
    select: { externalId: true, retiredAt: true, topic: { select: { path: true } } },
    orderBy: { externalId: "asc" },
  });

describe("importing a file with some bad questions", () => {
  it("writes the good questions and lists the others with file:line:column and why", async () => {
    const slug = unique();
    const report = await service.importBanks({
      sources: [{ name: `${slug}.gift`, text: mixedGift }],
      strict: false,
      actor: "operator",
    });
    expect(report).toMatchObject({ ok: true, strict: false, questions: 2, created: 2 });
    expect(report.skipped.map((s) => s.at)).toEqual([`${slug}.gift:6:1`, `${slug}.gift:8:1`, `${slug}.gift:12:1`]);
    expect(report.skipped[0]).toMatchObject({ id: `${slug}-broken-weight`, label: "broken-weight" });
    expect(report.skipped[0]!.reasons[0]).toMatch(new RegExp(`^${slug}\\.gift:6:\\d+: weight "%abc%"`));
    const rows = await stored(slug);
    expect(rows.map((r) => r.externalId)).toContain(`${slug}-port-https`);
    expect(rows).toHaveLength(2);
  });

  it("strict: the same file writes nothing and reports every error", async () => {
    const slug = unique();
    const report = await service.importBanks({
      sources: [{ name: `${slug}.gift`, text: mixedGift }],
      actor: "operator",
    });
    expect(report.ok).toBe(false);
    expect(report.errors.length).toBeGreaterThanOrEqual(3);
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);
  });

  it("keeps a stored question that now has an error instead of retiring it", async () => {
    const slug = unique();
    const good = "::keep-me::Which port does SSH use? {=22 ~23}\n\n::other::Is UDP connectionless? {T}\n";
    expect((await service.importBanks({ sources: [{ name: `${slug}.gift`, text: good }], actor: "operator" })).ok).toBe(
      true,
    );
    const broken = good.replace("{=22 ~23}", "{=22 ~%x%23}");
    const again = await service.importBanks({
      sources: [{ name: `${slug}.gift`, text: broken }],
      strict: false,
      actor: "operator",
    });
    expect(again).toMatchObject({ ok: true, retired: 0 });
    expect(again.skipped.map((s) => s.id)).toEqual([`${slug}-keep-me`]);
    expect((await stored(slug)).every((row) => row.retiredAt === null)).toBe(true);
  });

  it("a file with no importable question imports nothing and says so", async () => {
    const slug = unique();
    const report = await service.importBanks({
      sources: [{ name: `${slug}.gift`, text: "Broken? {=a ~%x%b}\n" }],
      strict: false,
      actor: "operator",
    });
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatch(new RegExp(`^${slug}\\.gift:1:\\d+: weight "%x%"`));
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);
  });
});

async function upload(agent: Agent, name: string, text: string, fields: Record<string, string> = {}) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  let request = agent.post("/teach/banks/imports").field("_csrf", csrf).field("format", "auto");
  for (const [field, value] of Object.entries(fields)) request = request.field(field, value);
  return request.attach("file", Buffer.from(text), name);
}

describe("upload preview and publish with good and bad questions", () => {
  it("lists per question what will import and what will not and why, then publishes the good ones", async () => {
    const user = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, user.email);
    const slug = unique();
    const preview = await upload(agent, `${slug}.gift`, mixedGift);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("Questions: 2 will be imported, 3 will not");
    expect(preview.text).toContain(`${slug}.gift:4:1`);
    expect(preview.text).toContain(`${slug}.gift:6:1`);
    expect(preview.text).toContain("not imported");
    expect(preview.text).toMatch(
      new RegExp(`${slug}\\.gift:8:\\d+: answer block opened with &#34;\\{&#34; on line 8 is never closed`),
    );
    expect(preview.text).toContain("Publish the questions without errors");
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);

    const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview.text)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1]!;
    const published = await agent.post(action).type("form").send({ _csrf: csrf });
    expect(published.status).toBe(303);
    const page = await agent.get(published.headers.location as string);
    expect(page.text).toContain("Published: 2 created, 0 updated, 0 retired. 3 question(s) with errors were left out.");
    const rows = await stored(slug);
    expect(rows).toHaveLength(2);
    // Categories become topics inside the uploading bank.
    expect(rows.map((r) => r.topic.path)).toEqual([`${slug}/networking`, `${slug}/networking`]);
  });

  it("all or nothing: the same file is refused whole", async () => {
    const user = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, user.email);
    const res = await upload(agent, `${unique()}.gift`, mixedGift, { strict: "1" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Nothing was imported: 3 problem(s)");
    expect(res.text).not.toContain("/publication");
  });
});

describe("npm run import", () => {
  const exec = promisify(execFile);
  const cli = async (args: string[]) => {
    const env = { ...process.env, DATABASE_URL: await workerDatabaseUrl(), LOAD_SHIPPED_BANKS: "false" };
    try {
      const out = await exec("npx", ["tsx", "src/cli/import.ts", ...args], { env, cwd: path.join(__dirname, "../..") });
      return { code: 0, ...out };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it("--dry-run --json counts the questions that would import; --strict refuses the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "import-"));
    const slug = unique();
    const file = path.join(dir, `${slug}.gift`);
    writeFileSync(file, mixedGift);
    const dry = await cli([file, "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout) as { ok: boolean; questions: number; skippedQuestions: number };
    expect(report).toMatchObject({ ok: true, questions: 2, skippedQuestions: 3 });
    const strict = await cli([file, "--dry-run", "--json", "--strict"]);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ ok: false, questions: 0 });
    const real = await cli([file]);
    expect(real.code).toBe(0);
    expect(real.stderr).toContain(`skipped ${file}:6:1 (broken-weight):`);
    expect(real.stderr).toContain("3 question(s) were left out");
    expect(await t.prisma.question.count({ where: { bank: { slug } } })).toBe(2);
  }, 60_000);
});

describe("text encodings of uploads", () => {
  const bytes = (name: string) => readFileSync(`${__dirname}/../fixtures/banks/encodings/${name}`);
  const send = async (agent: Agent, name: string, data: Buffer) => {
    const csrf = await tokenFor(agent, "/teach/banks/imports/new");
    return agent.post("/teach/banks/imports").field("_csrf", csrf).field("format", "gift").attach("file", data, name);
  };

  it("previews UTF-16 and UTF-8 with a byte-order mark as the same questions", async () => {
    const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    for (const name of ["utf8-bom.gift", "utf16le.gift", "utf16be.gift"]) {
      const res = await send(agent, `${unique()}.gift`, bytes(name));
      expect(res.status).toBe(200);
      expect(res.text).toContain("¿Cuál es la capital de Perú?");
      expect(res.text).toContain("Questions: 2 will be imported");
    }
  });

  it("refuses Windows-1252 as not UTF-8 with the line and byte, and a gzip file as such", async () => {
    const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    const latin = await send(agent, "latin.gift", bytes("windows-1252.gift"));
    expect(latin.status).toBe(400);
    expect(latin.text).toContain(
      "latin.gift:1:21: not UTF-8: line 1 has the byte 0xF1 (at byte offset 20 of the file)",
    );
    expect(latin.text).not.toContain("\uFFFD");
    const gz = await send(agent, "bank.gift.gz", bytes("bank.gift.gz"));
    expect(gz.status).toBe(400);
    expect(gz.text).toContain("bank.gift.gz:1:1: this is a gzip-compressed file; unpack it first");
  });
});

describe("foreign files scoped to their bank", () => {
  it("two banks may both use the GIFT title ::colours:: and the category $course$/top/SQL", async () => {
    const gift = "$CATEGORY: $course$/top/SQL\n\n::colours::Which colour is a clear sky? {=blue ~green}\n";
    const [a, b] = [unique(), unique()];
    for (const slug of [a, b]) {
      const report = await service.importBanks({ sources: [{ name: `${slug}.gift`, text: gift }], actor: "operator" });
      expect(report.errors).toEqual([]);
    }
    expect((await stored(a)).map((q) => [q.externalId, q.topic.path])).toEqual([[`${a}-colours`, `${a}/sql`]]);
    expect((await stored(b)).map((q) => [q.externalId, q.topic.path])).toEqual([[`${b}-colours`, `${b}/sql`]]);
  });

  it("accepts a Moodle <idnumber> such as T & F, mapped to an id", async () => {
    const slug = unique();
    const xml = `<quiz><question type="truefalse"><name><text>Sky</text></name><idnumber>T &amp; F</idnumber>
      <questiontext format="html"><text>The sky is blue.</text></questiontext>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`;
    const report = await service.importBanks({ sources: [{ name: `${slug}.xml`, text: xml }], actor: "operator" });
    expect(report.errors).toEqual([]);
    expect(report.warnings[0]).toContain('its <idnumber> "T & F" is imported as the id "t-f"');
    expect((await stored(slug)).map((q) => q.externalId)).toEqual([`${slug}-t-f`]);
  });
});
