// A description in an uploaded bank is no question: the import counts only the questions, and
// its text is shown above each question it introduces, in the attempt and in the result.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { publicModuleOver, publishPreview, uploadForPreview } from "../support/uploads";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it("imports a description as the intro of the questions after it and shows it with them", async () => {
  const instructor = await createUser(t.prisma, { role: "instructor" });
  const teacher = await login(t.app, instructor.email);
  const slug = `d${randomUUID().slice(0, 8)}`;
  const gift = `$CATEGORY: ${slug}

[markdown]The next questions use the table \`accounts(id, owner)\`.

::${slug}-1::Is id the key of accounts? {T}

::${slug}-2::Is owner unique in accounts? {F}
`;
  const preview = await uploadForPreview(teacher, `${slug}.gift`, gift);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("New questions: 2");
  expect((await publishPreview(teacher, preview.text)).status).toBe(303);
  expect(await t.prisma.question.count({ where: { bank: { slug } } })).toBe(2);

  const exam = await publicModuleOver(t.prisma, slug, { title: `Descriptions ${slug}`, questionCount: 2 });
  const learner = await createUser(t.prisma);
  const agent = await login(t.app, learner.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const intro = '<div class="intro"><p>The next questions use the table <code>accounts(id, owner)</code>.</p>';
  for (const q of [1, 2]) expect((await agent.get(`/attempts/${attemptId}?q=${q}`)).text).toContain(intro);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
  const result = await agent.get(`/attempts/${attemptId}/result`);
  expect(result.text).toContain("0 of 2 correct");
  expect(result.text.split(intro)).toHaveLength(3);
});
