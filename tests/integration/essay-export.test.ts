// Essays through the bank page's exports: a Moodle XML essay (model answer as information for
// graders, explanation as general feedback) uploads and publishes; its Moodle XML, QTI 3.0 and
// CSV exports leave nothing out and upload again to the same question; the GIFT export, which
// has one feedback field, keeps the model answer and names the explanation it leaves out.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { login } from "../support/http";
import { exportAndReupload, publishPreview, uploadForPreview } from "../support/uploads";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const moodle = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="essay">
    <name><text>Cache invalidation</text></name>
    <questiontext format="html"><text><![CDATA[<p>Explain when a <strong>write-through</strong> cache serves stale data.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Think about writers that bypass the cache.</text></generalfeedback>
    <idnumber>cache-stale</idnumber>
    <responseformat>editor</responseformat>
    <graderinfo format="html"><text><![CDATA[<p>Only when something writes to the store without going through the cache, e.g. a batch job.</p>]]></text></graderinfo>
  </question>
</quiz>
`;

it("exports an essay to Moodle XML, QTI and CSV that upload again unchanged; GIFT names the explanation it leaves out", async () => {
  const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
  const slug = `es${randomUUID().slice(0, 8)}`;
  const preview = await uploadForPreview(agent, `${slug}.xml`, moodle);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("Questions: 1 will be imported");
  expect((await publishPreview(agent, preview.text)).status).toBe(303);
  const stored = await t.prisma.question.findFirstOrThrow({
    where: { bank: { slug } },
    select: { externalId: true, currentVersion: { select: { type: true, body: true, explanationMd: true } } },
  });
  expect(stored.externalId).toBe(`${slug}-cache-stale`);
  expect(stored.currentVersion).toMatchObject({
    type: "essay",
    explanationMd: "Think about writers that bypass the cache.",
    body: {
      modelAnswer: {
        md: "Only when something writes to the store without going through the cache, e.g. a batch job.",
      },
    },
  });

  for (const [format, extension, marker] of [
    ["xml", "xml", `<question type="essay">`],
    ["qti", "xml", `<qti-extended-text-interaction`],
    ["csv", "csv", `${slug}-cache-stale,${slug},essay,`],
  ] as const) {
    const { exported, again } = await exportAndReupload(agent, slug, format, extension);
    expect(exported.status).toBe(200);
    expect(exported.headers["x-export-left-out"]).toBe("0");
    expect(exported.text).toContain(marker);
    expect(again.status).toBe(200);
    expect({ format, text: again.text }).toEqual({ format, text: expect.stringContaining("Unchanged: 1") });
    expect(again.text).toContain("New questions: 0");
  }

  const gift = await agent.get(`/teach/banks/${slug}/export?format=gift`);
  expect(gift.status).toBe(200);
  expect(gift.headers["x-export-left-out"]).toBe("0");
  expect(gift.text).toContain(
    `// essay question ${slug}-cache-stale: its explanation is left out (GIFT's general feedback holds the model answer)`,
  );
  expect(gift.text).toContain(
    "####Only when something writes to the store without going through the cache, e.g. a batch job.",
  );
});
