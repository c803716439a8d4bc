// SQL exercises through an instructor's upload: the preview runs setup and reference and
// reports a failure at its file:line:column; a valid one publishes with its stored result.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { sqlBankYaml } from "../factories/sql";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor, type Agent } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function upload(agent: Agent, name: string, text: string) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  return agent
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach("file", Buffer.from(text), name);
}

it("previews and publishes SQL exercises, and reports a broken reference at its position", async () => {
  const user = await createUser(t.prisma, { role: "instructor" });
  const agent = await login(t.app, user.email);
  const slug = `u${randomUUID().slice(0, 8)}`;
  const text = sqlBankYaml(slug);
  const broken = text.replace("SELECT c.name, coalesce(r.s, 0) AS spent", "SELECT c.nam, coalesce(r.s, 0) AS spent");
  const refused = await upload(agent, `${slug}.yaml`, broken);
  expect(refused.status).toBe(400);
  expect(refused.text).toMatch(new RegExp(`${slug}\\.yaml:\\d+:\\d+: reference: column c\\.nam does not exist`));

  const preview = await upload(agent, `${slug}.yaml`, text);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("New questions: 2");
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview.text)![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1]!;
  const published = await agent.post(action).type("form").send({ _csrf: csrf });
  expect(published.status).toBe(303);
  const version = await t.prisma.questionVersion.findFirstOrThrow({ where: { question: { externalId: `${slug}-1` } } });
  expect(version.type).toBe("sql");
  expect((version.body as { expected: { rows: unknown[] } }).expected.rows).toHaveLength(3);
  const page = await agent.get(`/teach/banks/${slug}`);
  expect(page.status).toBe(200);
});
