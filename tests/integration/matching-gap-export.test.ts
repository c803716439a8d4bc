// Matching and gap questions through the bank page's exports: a Moodle XML file with a matching
// question and a cloze uploads and publishes; its Moodle XML, QTI 3.0 and GIFT exports upload
// again to the same questions (nothing new, nothing changed); the CSV export, whose layout has
// no place for them, says so at its top and in a response header, naming their ids.
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
  <question type="matching">
    <name><text>Methods</text></name>
    <questiontext format="html"><text>Match each method with its property.</text></questiontext>
    <generalfeedback format="html"><text>Safe implies idempotent.</text></generalfeedback>
    <idnumber>methods</idnumber>
    <subquestion format="html"><text>GET</text><answer><text>safe</text></answer></subquestion>
    <subquestion format="html"><text>PUT</text><answer><text>idempotent only</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>neither</text></answer></subquestion>
  </question>
  <question type="cloze">
    <name><text>Joins</text></name>
    <questiontext format="html"><text><![CDATA[<p>A {1:MULTICHOICE:=LEFT#It keeps unmatched left rows~%0%INNER#It keeps matches only} join keeps every left row.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>LEFT JOIN pads with NULL.</text></generalfeedback>
    <idnumber>joins</idnumber>
  </question>
</quiz>
`;

it("exports matching and gap questions to Moodle XML, QTI and GIFT that upload again unchanged; CSV names what it leaves out", async () => {
  const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
  const slug = `mg${randomUUID().slice(0, 8)}`;
  const preview = await uploadForPreview(agent, `${slug}.xml`, moodle);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("Questions: 2 will be imported");
  expect((await publishPreview(agent, preview.text)).status).toBe(303);
  const types = await t.prisma.question.findMany({
    where: { bank: { slug } },
    select: { externalId: true, currentVersion: { select: { type: true } } },
    orderBy: { externalId: "asc" },
  });
  expect(types.map((q) => [q.externalId, q.currentVersion?.type])).toEqual([
    [`${slug}-joins`, "gap"],
    [`${slug}-methods`, "matching"],
  ]);

  for (const [format, extension] of [
    ["xml", "xml"],
    ["qti", "xml"],
    ["gift", "gift"],
  ] as const) {
    const { exported, again } = await exportAndReupload(agent, slug, format, extension);
    expect(exported.status).toBe(200);
    expect(exported.headers["x-export-left-out"]).toBe("0");
    expect(again.status).toBe(200);
    expect(again.text).toContain("Questions: 2 will be imported");
    expect(again.text).toContain("Unchanged: 2");
    expect(again.text).toContain("New questions: 0");
  }

  const csv = await agent.get(`/teach/banks/${slug}/export?format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers["x-export-left-out"]).toBe("2");
  expect(csv.text).toContain(
    `# LEFT OUT: 2 questions CSV cannot express (gap, matching): ${slug}-joins, ${slug}-methods; export as YAML, QTI or Moodle XML to keep them`,
  );
});
