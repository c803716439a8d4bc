// QTI through the instructor's pages: a Canvas quiz export uploads (detected by its content),
// publishes, exports as QTI 3.0, and the export uploads again to the same questions.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor, type Agent } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const canvasQuiz = readFileSync(`${__dirname}/../fixtures/banks/qti/canvas-quiz.xml`, "utf8");

async function upload(agent: Agent, name: string, text: string) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  return agent
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach("file", Buffer.from(text), name);
}

async function publish(agent: Agent, preview: string) {
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview)![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(preview)![1]!;
  return agent.post(action).type("form").send({ _csrf: csrf });
}

it("a Canvas QTI 1.2 quiz uploads, publishes, exports as QTI 3.0 and re-uploads unchanged", async () => {
  const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
  const slug = `q${randomUUID().slice(0, 8)}`;
  const preview = await upload(agent, `${slug}.xml`, canvasQuiz);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain(`(<code>${slug}</code>, qti, new bank)`);
  expect(preview.text).toContain("Questions: 5 will be imported, 1 will not");
  expect(preview.text).toContain(`${slug}.xml:131:7: the QTI item &#34;i5f1c0f&#34; on line 131: essay_question`);
  expect(preview.text).toContain("25 is SMTP.");
  expect((await publish(agent, preview.text)).status).toBe(303);
  const stored = await t.prisma.question.findMany({ where: { bank: { slug } }, select: { externalId: true } });
  expect(stored.map((q) => q.externalId).sort()).toEqual(
    ["i5f1c0a", "i5f1c0b", "i5f1c0c", "i5f1c0d", "i5f1c0e"].map((id) => `${slug}-${id}`),
  );

  const exported = await agent.get(`/teach/banks/${slug}/export?format=qti`);
  expect(exported.status).toBe(200);
  expect(exported.headers["content-type"]).toBe("application/xml; charset=utf-8");
  expect(exported.headers["content-disposition"]).toContain(`${slug}.qti.xml`);
  expect(exported.text.match(/<qti-assessment-item /g)).toHaveLength(5);

  const again = await upload(agent, `${slug}.xml`, exported.text);
  expect(again.status).toBe(200);
  expect(again.text).toContain("Questions: 5 will be imported");
  expect(again.text).toContain("Unchanged: 5");
  expect(again.text).toContain("New questions: 0");
});

it("another instructor cannot export the bank as QTI", async () => {
  const owner = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
  const slug = `q${randomUUID().slice(0, 8)}`;
  await publish(owner, (await upload(owner, `${slug}.xml`, canvasQuiz)).text);
  const other = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
  const res = await other.get(`/teach/banks/${slug}/export?format=qti`);
  // Another instructor's bank does not exist for them.
  expect(res.status).toBe(404);
  expect(res.text).not.toContain("qti-assessment-item");
});
