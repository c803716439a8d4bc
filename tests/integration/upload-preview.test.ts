// The upload preview shows every question as learners will see it, with its key, per-option
// feedback and explanation; learners see none of that before they submit, and see the
// feedback afterwards in their results and on the review cards of missed questions.
import { randomUUID } from "node:crypto";
import { limiterFactory } from "../../src/db";
import { PREVIEW_POLICY } from "../../src/modules/teach";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const unique = () => `v${randomUUID().slice(0, 8)}`;

async function upload(agent: Agent, name: string, text: string) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  return agent
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach("file", Buffer.from(text), name);
}

const gift = `$CATEGORY: choice

::status-404::[markdown]Which status code means \`Not Found\`? {
=404#FB-RIGHT-404 it names a missing resource
~500#FB-WRONG-500 is a server error
~302#FB-WRONG-302 is a redirect
####EXPLAIN-404 the 4xx codes are client errors.
}

::idempotent::Which methods are idempotent? {
~%50%PUT#FB-PUT replaces the resource
~%50%DELETE
~%-100%POST#FB-POST creates a new resource each time
####EXPLAIN-IDEMPOTENT repeating them changes nothing more.
}

$CATEGORY: other

::safe-get::GET is a safe method. {T####EXPLAIN-SAFE it does not change state.}

::distinct::Which SQL keyword removes duplicate rows? {=DISTINCT =UNIQUE-ANSWER-TWO####EXPLAIN-DISTINCT}

::bits::How many bits are in an IPv4 address? {#32:0.5####EXPLAIN-BITS}

::broken::This one is broken {=a ~%x%b}
`;

describe("the upload preview", () => {
  it("renders each question with its key, per-option feedback, weights and explanation, and the left-out one with why", async () => {
    const instructor = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, instructor.email);
    const slug = unique();
    const res = await upload(agent, `${slug}.gift`, gift);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain("Questions: 5 will be imported, 1 will not");
    // The stem as learners see it: Markdown rendered, code in <code>.
    expect(page).toContain("Which status code means <code>Not Found</code>?");
    expect(page).toMatch(
      /<li class="is-key">\s*<span class="choice-marks"><span class="mark mark-key">Correct<\/span>/,
    );
    expect(page).toContain("FB-RIGHT-404 it names a missing resource");
    expect(page).toContain("FB-WRONG-500 is a server error");
    expect(page).toContain("EXPLAIN-404 the 4xx codes are client errors.");
    expect(page).toContain('<span class="mark mark-weight">-100%</span>');
    expect(page).toContain("FB-POST creates a new resource each time");
    // True/false, short and numeric keys.
    expect(page).toMatch(
      /class="is-key">\s*<span class="choice-marks"><span class="mark mark-key">Correct<\/span><\/span>\s*<span class="choice-text">True/,
    );
    expect(page).toContain("<code>UNIQUE-ANSWER-TWO</code>");
    expect(page).toContain("<code>32 ± 0.5</code>");
    // The question that will not import, where and why.
    expect(page).toContain(`${slug}.gift:25:1`);
    expect(page).toMatch(/weight &#34;%x%&#34;/);
  });

  it("renders matching as its pairs and distractors and a gap question's blanks with their keys and feedback", async () => {
    const instructor = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, instructor.email);
    const slug = unique();
    const yaml = `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Pairs and gaps
topics:
  ${slug}: Pairs and gaps
questions:
  - id: ${slug}-match
    topic: ${slug}
    type: matching
    difficulty: 2
    stem: Match each method with what it is.
    pairs:
      - { prompt: "\`GET\`", match: PAIR-SAFE }
      - { prompt: "\`PUT\`", match: PAIR-IDEMPOTENT }
      - { prompt: "\`HEAD\`", match: PAIR-SAFE }
    distractors: [PAIR-NEITHER]
    explanation: EXPLAIN-MATCH safe implies idempotent.
  - id: ${slug}-gap
    topic: ${slug}
    type: gap
    difficulty: 2
    stem: "\`git [[1]]\` records changes; \`git [[2]]\` publishes them."
    gaps:
      - options:
          - { text: commit, correct: true, feedback: FB-GAP-COMMIT records a snapshot }
          - { text: stash, feedback: FB-GAP-STASH shelves changes }
      - accept: [push, GAP-PUSH-TWO]
        caseSensitive: true
    explanation: EXPLAIN-GAP commit is local.
`;
    const res = await upload(agent, `${slug}.yaml`, yaml);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain("Questions: 2 will be imported");
    // Matching: each item with its correct answer, the distractor apart, the explanation.
    expect(page).toMatch(
      /<tr class="is-key"><td><code>GET<\/code><\/td><td><span class="mark mark-key">Correct<\/span> PAIR-SAFE<\/td><\/tr>/,
    );
    expect(page).toMatch(/<td><code>PUT<\/code><\/td><td><span class="mark mark-key">Correct<\/span> PAIR-IDEMPOTENT/);
    expect(page).toMatch(/<td><code>HEAD<\/code><\/td><td><span class="mark mark-key">Correct<\/span> PAIR-SAFE/);
    expect(page).toMatch(/<ul class="reviewed-distractors"><li><span class="choice-text">PAIR-NEITHER<\/span>/);
    expect(page).toContain("EXPLAIN-MATCH safe implies idempotent.");
    // Gap: the blanks in the stem, each blank's key, option feedback and accepted texts.
    expect(page).toContain('<code>git <span class="gap-blank" data-gap="1">(1) ______</span></code> records changes');
    expect(page).toMatch(
      /<li class="is-key">\s*<span class="choice-marks"><span class="mark mark-key">Correct<\/span><\/span>\s*<span class="choice-text">commit<\/span>\s*<span class="choice-feedback">FB-GAP-COMMIT records a snapshot<\/span>/,
    );
    expect(page).toContain("FB-GAP-STASH shelves changes");
    expect(page).toContain("Blank (2)</strong>, typed; accepted answers (case-sensitive)");
    expect(page).toContain("<code>GAP-PUSH-TWO</code>");
    expect(page).toContain("EXPLAIN-GAP commit is local.");
    expect(page).not.toContain("[[1]]");
  });

  it("renders a big bank a page of 200 questions at a time, every page reachable", async () => {
    const instructor = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, instructor.email);
    const slug = unique();
    const lines = Array.from(
      { length: 450 },
      (_, i) => `::q${i + 1}::Stem number ${i + 1}? {=right${i + 1} ~wrong${i + 1}}\n`,
    );
    const res = await upload(agent, `${slug}.gift`, lines.join("\n"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Questions: 450 will be imported");
    expect(res.text).toContain("Questions 1 to 200 of the file, page 1 of 3.");
    expect(res.text).toContain("Stem number 200?");
    expect(res.text).not.toContain("Stem number 201?");
    const next = /href="(\/teach\/banks\/imports\/[0-9a-f-]+\?page=2)#questions" rel="next"/.exec(res.text)![1]!;
    const last = await agent.get(next.replace("page=2", "page=3"));
    expect(last.status).toBe(200);
    expect(last.text).toContain("Questions 401 to 450 of the file, page 3 of 3.");
    expect(last.text).toContain("Stem number 450?");
    expect(last.text).not.toContain("Stem number 400?");
    // The publish button is on every page; another instructor cannot open the upload.
    expect(last.text).toContain("/publication");
    const other = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    expect((await other.get(next)).status).toBe(404);
  });

  it("limits each instructor to 30 preview pages a minute: the 31st gets a 429 page that says when to come back; others are not held", async () => {
    const instructor = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, instructor.email);
    const slug = unique();
    const res = await upload(agent, `${slug}.gift`, "::one::One? {=yes ~no}\n");
    expect(res.status).toBe(200);
    const action = /action="\/teach\/banks\/imports\/([0-9a-f-]+)\/publication"/.exec(res.text)![1]!;
    const page = `/teach/banks/imports/${action}?page=1`;
    // Each page parses the whole file again (about a second here); 28 more pages are counted
    // as the route counts them, under the instructor's id, and two are opened for real.
    expect((await agent.get(page)).status).toBe(200);
    const limiter = limiterFactory(t.db.pool)(PREVIEW_POLICY);
    for (let i = 0; i < 28; i++) expect((await limiter.consume(instructor.id)).allowed).toBe(true);
    expect((await agent.get(page)).status).toBe(200);
    const limited = await agent.get(page);
    expect(limited.status).toBe(429);
    expect(limited.headers["content-type"]).toContain("text/html");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(limited.text).toContain("You have opened preview pages faster than 30 a minute");
    expect(limited.text).not.toContain("One?");
    // Another instructor's preview is counted apart.
    const other = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    const theirs = await upload(other, `${unique()}.gift`, "::two::Two? {=yes ~no}\n");
    const theirId = /action="\/teach\/banks\/imports\/([0-9a-f-]+)\/publication"/.exec(theirs.text)![1]!;
    expect((await other.get(`/teach/banks/imports/${theirId}`)).status).toBe(200);
  });

  it("learners see no key, feedback or explanation before submitting, and see the feedback after, in results and review", async () => {
    const instructor = await createUser(t.prisma, { role: "instructor" });
    const agent = await login(t.app, instructor.email);
    const slug = unique();
    const preview = await upload(agent, `${slug}.gift`, gift);
    const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview.text)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1]!;
    expect((await agent.post(action).type("form").send({ _csrf: csrf })).status).toBe(303);
    // Learners reach an instructor's bank when it is public (or shared with their class).
    await t.prisma.bank.update({ where: { slug }, data: { public: true } });
    const topic = await t.prisma.topic.findUniqueOrThrow({ where: { path: `${slug}/choice` } });
    const exam = await t.prisma.exam.create({
      data: {
        slug: `exam-${slug}`,
        title: `Exam ${slug}`,
        kind: "module",
        questionCount: 2,
        timeLimitSeconds: 600,
        passMarkPercent: 70,
        shuffleQuestions: false,
        shuffleOptions: false,
        topicPaths: [topic.path],
        reviewPolicy: "after_submit",
      },
    });
    const learner = await login(t.app, (await createUser(t.prisma)).email);
    const token = await tokenFor(learner, "/exams");
    const started = await learner.post(`/exams/${exam.slug}/attempts`).type("form").send({ _csrf: token });
    const attemptId = /\/attempts\/([0-9a-f-]{36})$/.exec(started.headers.location as string)![1]!;
    for (const q of [1, 2]) {
      const page = await learner.get(`/attempts/${attemptId}?q=${q}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/Which status code|Which methods/);
      // The page's CSRF token is random base64url, which can hold "FB-" itself: left out.
      const shown = page.text.replace(/(name="_csrf" value|name="csrf-token" content)="[^"]*"/g, "");
      expect(shown).not.toMatch(/FB-|EXPLAIN-|mark-key|mark-weight/);
    }
    const submitToken = await tokenFor(learner, `/attempts/${attemptId}`);
    // A wrong answer to each (a blank makes no review card): the first option the key does not hold.
    const items = await itemsWithVersions(t.prisma, {
      where: { attemptId },
    });
    for (const item of items) {
      const { type, body } = item.questionVersion;
      const wrong = (body as { options: { id: string; correct: boolean }[] }).options.find((o) => !o.correct)!.id;
      const response = type === "single" ? { type, optionId: wrong } : { type, optionIds: [wrong] };
      const saved = await learner
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", submitToken)
        .send({ position: item.position, seq: 1, response, flagged: false });
      expect(saved.status).toBe(200);
    }
    await learner.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: submitToken });
    const result = await learner.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("FB-WRONG-500 is a server error");
    expect(result.text).toContain("FB-POST creates a new resource each time");
    const review = await learner.get(`/review?topic=${slug}`);
    expect(review.text).toContain("a question you missed");
    expect(review.text).toContain("Feedback per option");
    expect(review.text).toMatch(/FB-RIGHT-404 it names a missing resource|FB-PUT replaces the resource/);
  });
});
