// A description in an uploaded bank is no question: the import counts only the questions, and
// its text is shown above each question it introduces, in the attempt and in the result.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { csrfFrom, login, tokenFor } from "../support/http";

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

The next questions use the table \`accounts(id, owner)\`.

::${slug}-1::Is id the key of accounts? {T}

::${slug}-2::Is owner unique in accounts? {F}
`;
  const csrf = await tokenFor(teacher, "/teach/banks/imports/new");
  const preview = await teacher
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach("file", Buffer.from(gift), `${slug}.gift`);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain("New questions: 2");
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview.text)![1]!;
  expect(
    (
      await teacher
        .post(action)
        .type("form")
        .send({ _csrf: csrfFrom(preview.text) })
    ).status,
  ).toBe(303);
  expect(await t.prisma.question.count({ where: { bank: { slug } } })).toBe(2);

  // A shipped-style exam draws from public banks: the uploaded bank is marked public.
  await t.prisma.bank.updateMany({ where: { slug: { startsWith: slug } }, data: { public: true } });
  const exam = await t.prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `Descriptions ${slug}`,
      kind: "module",
      questionCount: 2,
      timeLimitSeconds: 600,
      passMarkPercent: 50,
      shuffleQuestions: false,
      shuffleOptions: false,
      topicPaths: [slug],
      reviewPolicy: "after_submit",
      maxAttempts: null,
    },
  });
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
