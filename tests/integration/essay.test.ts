// Essays import with their model answer and are kept in the bank, but no attempt delivers them
// yet: an essay is never scored, and until practice mode can show the model answer for the
// learner's own assessment, forms leave essays out (docs/question-bank-format.md).
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { publicModuleOver, publishPreview, uploadForPreview } from "../support/uploads";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it("imports an essay with its model answer and leaves it out of attempts", async () => {
  const instructor = await createUser(t.prisma, { role: "instructor" });
  const teacher = await login(t.app, instructor.email);
  const slug = `e${randomUUID().slice(0, 8)}`;
  const gift = `$CATEGORY: ${slug}

::${slug}-1::Explain why PUT is idempotent. {####Repeating a PUT leaves the MODEL-ANSWER-STATE.}

::${slug}-2::Is GET safe? {T}
`;
  const preview = await uploadForPreview(teacher, `${slug}.gift`, gift);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("New questions: 2");
  expect((await publishPreview(teacher, preview.text)).status).toBe(303);
  const essay = await t.prisma.questionVersion.findFirstOrThrow({ where: { question: { externalId: `${slug}-1` } } });
  expect(essay.type).toBe("essay");
  expect(essay.body).toMatchObject({ modelAnswer: { md: "Repeating a PUT leaves the MODEL-ANSWER-STATE." } });

  const exam = await publicModuleOver(t.prisma, slug, { title: `Essays ${slug}`, questionCount: 2 });
  const learner = await createUser(t.prisma);
  const agent = await login(t.app, learner.email);
  const attemptId = await startAttempt(agent, exam.slug);
  const items = await t.prisma.attemptItem.findMany({ where: { attemptId }, include: { questionVersion: true } });
  expect(items.map((i) => i.questionVersion.type)).toEqual(["truefalse"]);
  const page = await agent.get(`/attempts/${attemptId}?q=1`);
  expect(page.text).not.toContain("MODEL-ANSWER-STATE");
});
