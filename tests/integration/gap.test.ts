// Gap (missing-word) questions end to end: an instructor uploads them (a stem without its
// marker is refused at its file:line:column), a learner fills the blanks inside the text (a
// select for a choice, a text box for typed text; no key in the page), saved by the plain form
// and by autosave, graded per blank with partial credit, and reviewed blank by blank.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { publicModuleOver, publishPreview, uploadForPreview } from "../support/uploads";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { csrfFrom, login, tokenFor } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const EXPLANATION = "COMMIT-IS-LOCAL";
const yaml = (slug: string) => `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Gaps ${slug}
topics:
  ${slug}: Gaps
questions:
  - id: ${slug}-1
    topic: ${slug}
    type: gap
    difficulty: 2
    stem: "\`git [[1]]\` records staged changes; \`git [[2]]\` sends them to a remote."
    gaps:
      - options:
          - text: commit
            correct: true
            feedback: FB-COMMIT records the staged snapshot
          - text: stash
            feedback: FB-STASH only shelves changes
          - text: fetch
      - accept: [push]
    explanation: A ${EXPLANATION} record; push publishes commits.
`;

async function setup(partialCredit: boolean) {
  const instructor = await createUser(t.prisma, { role: "instructor" });
  const teacher = await login(t.app, instructor.email);
  const slug = `g${randomUUID().slice(0, 8)}`;
  const refused = await uploadForPreview(teacher, `${slug}.yaml`, yaml(slug).replace("`git [[2]]`", "`git push`"));
  expect(refused.status).toBe(400);
  expect(refused.text).toContain(`${slug}.yaml:12:11: the stem must hold [[1]], [[2]] once each, in that order`);
  const preview = await uploadForPreview(teacher, `${slug}.yaml`, yaml(slug));
  expect(preview.status).toBe(200);
  expect((await publishPreview(teacher, preview.text)).status).toBe(303);
  const version = await t.prisma.questionVersion.findFirstOrThrow({ where: { question: { externalId: `${slug}-1` } } });
  expect(version.type).toBe("gap");
  const body = version.body as { gaps: { options?: { id: string; md: string }[] }[] };
  const option = (md: string) => body.gaps[0]!.options!.find((o) => o.md === md)!.id;
  const exam = await publicModuleOver(t.prisma, slug, {
    title: `Gaps ${slug}`,
    questionCount: 1,
    shuffleOptions: true,
    partialCredit,
  });
  const learner = await createUser(t.prisma);
  const agent = await login(t.app, learner.email);
  const attemptId = await startAttempt(agent, exam.slug);
  return { agent, attemptId, option, slug, teacher };
}

describe("a gap question", () => {
  it("puts a select and a text box inside the text, without the key, and grades each blank", async () => {
    const { agent, attemptId, option, slug, teacher } = await setup(true);
    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /<code>git <select name="gapchoice_1" class="gap-select" aria-label="Blank 1"><option value="">\(1\) choose…<\/option>(<option value="[a-z]{6}">(commit|stash|fetch)<\/option>){3}<\/select><\/code> records staged changes; <code>git <input type="text" name="gaptext_2" class="gap-text" aria-label="Blank 2"/,
    );
    expect(page.text).not.toContain(EXPLANATION);
    expect(page.text).not.toContain("push");
    expect(page.text).not.toContain('class="gap-blank"');

    // Without JavaScript: the form posts the select and the text box.
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        position: 1,
        seq: 1,
        type: "gap",
        gapchoice_1: option("stash"),
        gaptext_2: " push ",
        go: "stay",
      });
    expect(saved.status).toBe(303);
    const again = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(again.text).toContain(`<option value="${option("stash")}" selected>stash</option>`);
    expect(again.text).toContain('value="push"');
    expect((await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId } })).response).toEqual({
      type: "gap",
      fills: [
        { gap: 1, optionId: option("stash") },
        { gap: 2, text: "push" },
      ],
    });

    // Autosave: a blank twice or an option not shown is refused.
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const save = (seq: number, fills: unknown[]) =>
      agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({ position: 1, seq, flagged: false, response: { type: "gap", fills } });
    const twice = await save(4, [
      { gap: 1, optionId: option("commit") },
      { gap: 1, text: "commit" },
    ]);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe("Fill each blank once.");
    expect((await save(5, [{ gap: 1, optionId: "zzzzzz" }])).status).toBe(400);
    const ok = await save(6, [
      { gap: 1, optionId: option("commit") },
      { gap: 2, text: "pull" },
    ]);
    expect(ok.status).toBe(200);

    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("50.0%");
    expect(result.text).toContain('<span class="gap-blank" data-gap="2">(2) ______</span>');
    expect(result.text).toMatch(
      /<th scope="row">Blank 2<\/th>\s*<td>pull <span class="mark mark-wrong">wrong<\/span><\/td>\s*<td>push<\/td>/,
    );
    // The feedback of the option chosen for a blank, as for a choice question's options.
    expect(result.text).toMatch(
      /<th scope="row">Blank 1<\/th>\s*<td>commit <span class="mark mark-key">right<\/span> <span class="choice-feedback">FB-COMMIT records the staged snapshot<\/span><\/td>/,
    );
    expect(result.text).not.toContain("FB-STASH");
    expect(result.text).toContain(EXPLANATION);

    const stats = await teacher.get(`/teach/banks/${slug}`);
    expect(stats.text).toMatch(/<td>\(1\) commit<\/td><td>correct<\/td><td>1<\/td>/);
  });

  it("is right or wrong as a whole without partial credit", async () => {
    const { agent, attemptId, option, slug } = await setup(false);
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({
        position: 1,
        seq: 2,
        flagged: false,
        response: { type: "gap", fills: [{ gap: 1, optionId: option("commit") }] },
      });
    expect(saved.status).toBe(200);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    expect((await agent.get(`/attempts/${attemptId}/result`)).text).toContain("0.0%");
    // The missed question's review card shows every option's feedback, by blank.
    const review = await agent.get(`/review?topic=${slug}`);
    expect(review.text).toContain("Feedback per option");
    expect(review.text).toContain("(1) commit");
    expect(review.text).toContain("FB-STASH only shelves changes");
  });
});
