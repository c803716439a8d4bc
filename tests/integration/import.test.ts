import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { exportNativeYaml, exportService, importService, type ImportService } from "../../src/modules/banks";
import { parseNativeYaml } from "../../src/modules/banks/formats/native-yaml";
import { questionContentHash, versionContent } from "../../src/modules/banks/normalise";
import { miniBank } from "../support/banks";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let service: ImportService;
beforeAll(async () => {
  t = await createTestApp();
  service = importService({ prisma: t.prisma, clock: t.clock, maxBytes: 1024 * 1024 });
});
afterAll(() => t.close());

const unique = () => `b${randomUUID().slice(0, 8)}`;
const run = (name: string, text: string, dryRun = false) =>
  service.importBanks({ sources: [{ name, text }], dryRun, actor: "operator" });

async function counts(slug: string) {
  const bank = await t.prisma.bank.findUnique({ where: { slug } });
  if (!bank) return { questions: 0, versions: 0, cards: 0 };
  return {
    questions: await t.prisma.question.count({ where: { bankId: bank.id, retiredAt: null } }),
    versions: await t.prisma.questionVersion.count({ where: { question: { bankId: bank.id } } }),
    cards: await t.prisma.card.count({ where: { bankId: bank.id, retiredAt: null } }),
  };
}

describe("importing a native bank", () => {
  it("imports, then re-imports without any change", async () => {
    const slug = unique();
    const text = miniBank(
      slug,
      [
        { id: `${slug}-1`, stem: "What is **one**?" },
        { id: `${slug}-2`, stem: "What is `two`?" },
      ],
      [{ id: `${slug}-c1`, front: "Front" }],
    );
    const first = await run(`${slug}.yaml`, text);
    expect(first.ok).toBe(true);
    expect(first.created).toBe(3);
    expect(await counts(slug)).toEqual({ questions: 2, versions: 2, cards: 1 });
    const question = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-1` },
      include: { currentVersion: true, topic: true },
    });
    expect(question.topic.path).toBe(`${slug}/basics`);
    expect(question.currentVersion?.stemHtml).toBe("<p>What is <strong>one</strong>?</p>");

    const again = await run(`${slug}.yaml`, text);
    expect(again).toMatchObject({ ok: true, created: 0, updated: 0, retired: 0 });
    expect(again.banks[0]?.unchanged).toBe(3);
    expect(await counts(slug)).toEqual({ questions: 2, versions: 2, cards: 1 });
  });

  it("makes a new version only for an edited question, keeping the old version intact", async () => {
    const slug = unique();
    await run(
      `${slug}.yaml`,
      miniBank(slug, [
        { id: `${slug}-1`, stem: "Original stem one" },
        { id: `${slug}-2`, stem: "Stem two" },
      ]),
    );
    const before = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-1` },
      include: { currentVersion: true },
    });
    const report = await run(
      `${slug}.yaml`,
      miniBank(slug, [
        { id: `${slug}-1`, stem: "Edited stem one" },
        { id: `${slug}-2`, stem: "Stem two" },
      ]),
    );
    expect(report).toMatchObject({ ok: true, created: 0, updated: 1, retired: 0 });
    const after = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-1` },
      include: { currentVersion: true, versions: { orderBy: { number: "asc" } } },
    });
    expect(after.currentVersion?.number).toBe(2);
    expect(after.currentVersion?.stemMd.trim()).toBe("Edited stem one");
    expect(after.versions.map((v) => v.number)).toEqual([1, 2]);
    // The version an old attempt showed is still there, unchanged.
    expect(after.versions[0]).toMatchObject({ id: before.currentVersion!.id, stemMd: before.currentVersion!.stemMd });
    expect(await counts(slug)).toEqual({ questions: 2, versions: 3, cards: 0 });
  });

  it("retires a removed question and restores it when it comes back", async () => {
    const slug = unique();
    const both = miniBank(slug, [
      { id: `${slug}-1`, stem: "Kept" },
      { id: `${slug}-2`, stem: "Dropped later" },
    ]);
    await run(`${slug}.yaml`, both);
    const dropped = await run(`${slug}.yaml`, miniBank(slug, [{ id: `${slug}-1`, stem: "Kept" }]));
    expect(dropped).toMatchObject({ ok: true, retired: 1 });
    expect(
      (await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-2` } })).retiredAt,
    ).not.toBeNull();
    const back = await run(`${slug}.yaml`, both);
    expect(back.banks[0]?.restored).toBe(1);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-2` } })).retiredAt).toBeNull();
    expect(await counts(slug)).toEqual({ questions: 2, versions: 2, cards: 0 });
  });

  it("writes nothing when any file has an error, and reports file:line:column", async () => {
    const good = unique();
    const bad = unique();
    const broken = miniBank(bad, [{ id: `${bad}-1`, stem: "Fine" }]).replace("difficulty: 2", "difficulty: 5");
    const report = await service.importBanks({
      sources: [
        { name: `${good}.yaml`, text: miniBank(good, [{ id: `${good}-1`, stem: "Good one" }]) },
        { name: `${bad}.yaml`, text: broken },
      ],
      actor: "operator",
    });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([`${bad}.yaml:13:17: questions.0.difficulty: difficulty must be 1, 2 or 3`]);
    expect(await t.prisma.bank.count({ where: { slug: { in: [good, bad] } } })).toBe(0);
  });

  it("a dry run reports the changes and writes nothing", async () => {
    const slug = unique();
    const report = await run(`${slug}.yaml`, miniBank(slug, [{ id: `${slug}-1`, stem: "Dry" }]), true);
    expect(report).toMatchObject({ ok: true, dryRun: true, created: 1 });
    expect(report.banks[0]?.newBank).toBe(true);
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);
  });

  it("refuses an id that belongs to another bank", async () => {
    const first = unique();
    const second = unique();
    await run(`${first}.yaml`, miniBank(first, [{ id: `${first}-1`, stem: "Owned here" }]));
    const report = await run(`${second}.yaml`, miniBank(second, [{ id: `${first}-1`, stem: "Claimed there" }]));
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatch(
      new RegExp(`^${second}\\.yaml:10:5: id "${first}-1" already belongs to bank "${first}"`),
    );
  });

  it("refuses a file over the size limit with a clear message", async () => {
    const small = importService({ prisma: t.prisma, clock: t.clock, maxBytes: 100 });
    const report = await small.importBanks({
      sources: [{ name: "big.yaml", text: "x".repeat(200) }],
      actor: "operator",
    });
    expect(report.errors).toEqual(["big.yaml:1:1: the file is 200 bytes; the limit is 100 (IMPORT_MAX_BYTES)"]);
  });
});

describe("export", () => {
  it("round-trips: exporting a bank and importing the export changes nothing", async () => {
    const original = readFileSync(`${__dirname}/../../question-banks/dsa.yaml`, "utf8");
    const first = await run("dsa.yaml", original);
    expect(first.ok).toBe(true);
    const exported = exportNativeYaml(await exportService({ prisma: t.prisma }).loadBank({ slug: "dsa" }));
    const again = await run("dsa-export.yaml", exported);
    expect(again).toMatchObject({ ok: true, created: 0, updated: 0, retired: 0 });
    const a = parseNativeYaml(original, { file: "a" });
    const b = parseNativeYaml(exported, { file: "b" });
    if (!a.ok || !b.ok) throw new Error("parse failed");
    const hashes = (bank: typeof a.bank) =>
      bank.questions.map((q) => [q.externalId, q.topic, questionContentHash(q)]).sort();
    expect(hashes(b.bank)).toEqual(hashes(a.bank));
    expect(b.bank.cards.map((c) => [c.externalId, c.front, c.back]).sort()).toEqual(
      a.bank.cards.map((c) => [c.externalId, c.front, c.back]).sort(),
    );
  });
});

describe("foreign formats", () => {
  it.each([
    ["gift/good.gift", "gift"],
    ["aiken/good.txt", "aiken"],
    ["xml/good.xml", "xml"],
    ["csv/good.csv", "csv"],
  ])("imports %s into the same model and re-imports it without change", async (file, format) => {
    const text = readFileSync(`${__dirname}/../fixtures/banks/${file}`, "utf8");
    const name = `${unique()}.${file.split(".").pop()}`;
    const first = await run(name, text);
    expect(first.errors).toEqual([]);
    expect(first.banks[0]?.format).toBe(format);
    expect(first.questions).toBeGreaterThan(3);
    const slug = first.banks[0]!.slug;
    const stored = await t.prisma.question.count({ where: { bank: { slug } } });
    expect(stored).toBe(first.questions);
    const again = await run(name, text);
    expect(again).toMatchObject({ ok: true, created: 0, updated: 0, retired: 0 });
  });

  it.each(["gift/bad-several.gift", "aiken/bad-several.txt", "xml/bad-doctype.xml", "csv/bad-several.csv"])(
    "reports %s with lines and writes nothing",
    async (file) => {
      const text = readFileSync(`${__dirname}/../fixtures/banks/${file}`, "utf8");
      const before = await t.prisma.question.count();
      const report = await run(file.replace("/", "-"), text);
      expect(report.ok).toBe(false);
      for (const e of report.errors) expect(e).toMatch(/^[\w.-]+:\d+:\d+: .+/);
      expect(await t.prisma.question.count()).toBe(before);
    },
  );
});

describe("text limits", () => {
  it("refuses a NUL character with its position and writes nothing", async () => {
    const slug = unique();
    // YAML's "\0" escape in a double-quoted string is a real NUL character.
    const text = miniBank(slug, [{ id: `${slug}-1`, stem: "MARK" }]).replace(
      "stem: |\n      MARK",
      'stem: "Has a \\0 inside"',
    );
    const report = await run(`${slug}.yaml`, text);
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatch(new RegExp(`^${slug}\\.yaml:10:5: "${slug}-1" contains a NUL character`));
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);
  });

  it("imports text that writes the escape \\u0000 out (no NUL character in it)", async () => {
    const slug = unique();
    const stem = "What does the JSON escape `\\u0000` stand for in a string?";
    const report = await run(`${slug}.yaml`, miniBank(slug, [{ id: `${slug}-1`, stem }]));
    expect(report.ok).toBe(true);
    const stored = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-1` },
      include: { currentVersion: true },
    });
    expect(stored.currentVersion!.stemMd).toContain("`\\u0000`");
  });
});

describe("rendering in worker threads (large imports)", () => {
  it("stores what versionContent gives, for new and for changed questions", async () => {
    const pooled = importService({
      prisma: t.prisma,
      clock: t.clock,
      maxBytes: 1024 * 1024,
      renderPool: { minQuestions: 1, size: 2 },
    });
    const slug = unique();
    const stems = [
      "What is **one**, naïvely? 😀",
      "Is `two` <b>bold</b>?",
      "A [link](https://example.org) and 'quotes' \\ backslash?",
      "Costs $5: does `$json$); DROP TABLE questions; --` end the literal?",
    ];
    const text = miniBank(
      slug,
      stems.map((stem, i) => ({ id: `${slug}-${i}`, stem })),
    );
    const check = async (source: string, number: number) => {
      const parsed = parseNativeYaml(source, { file: `${slug}.yaml` });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      for (const q of parsed.bank.questions) {
        const stored = await t.prisma.question.findUniqueOrThrow({
          where: { externalId: q.externalId },
          include: { currentVersion: true },
        });
        const { id: _id, questionId: _q, createdAt: _c, number: n, ...content } = stored.currentVersion!;
        expect(n).toBe(q.externalId === `${slug}-1` ? number : 1);
        // The ids are random per version (choice-ids.ts): the rest is what versionContent makes of them.
        const body = content.body as { options?: { id: string }[]; items?: { id: string }[] };
        const ids = (body.options ?? body.items ?? []).map((o) => o.id);
        expect(content).toEqual(versionContent(q, ids));
      }
    };
    const first = await pooled.importBanks({ sources: [{ name: `${slug}.yaml`, text }], actor: "operator" });
    expect(first).toMatchObject({ ok: true, created: 4 });
    await check(text, 1);

    const edited = text.replace("Is `two` <b>bold</b>?", "Is `two` *still* ünïcode?");
    const second = await pooled.importBanks({ sources: [{ name: `${slug}.yaml`, text: edited }], actor: "operator" });
    expect(second).toMatchObject({ ok: true, created: 0, updated: 1 });
    await check(edited, 2);
  });
});
