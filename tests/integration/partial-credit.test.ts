// Partial credit end to end: a GIFT file with a single choice worth half for one wrong option,
// a short answer worth 40% for another spelling and a numeric question with feedback on a
// known wrong value is previewed with its weights and feedback, published, answered, and
// graded: the attempt scores the parts, the result and the API show each part and the
// feedback on the answer given, and nothing of it reaches a page or response before submitting.
import { randomUUID } from "node:crypto";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor } from "../support/http";
import { publicModuleOver, exportAndReupload, publishPreview, uploadForPreview } from "../support/uploads";
import { itemsWithVersions } from "../support/items";

let t: TestApp;
let api: ContractClient;
beforeAll(async () => {
  t = await createTestApp();
  api = await ContractClient.load(t.app);
});
afterAll(() => t.close());

const FEEDBACK = {
  option: "FB-OPTION a 302 is temporary",
  short: "FB-SHORT an ETag names a version",
  numeric: "FB-NUMERIC that counts from one",
  other: "FB-OTHER count the octets",
};

const GIFT = `::pc-redirect::Which status code says a resource moved for good?{
=301
~%50%308#Also permanent, but it keeps the method: half the mark.
~302#${FEEDBACK.option}
####301 Moved Permanently; 308 keeps the method.
}

::pc-header::Which response header tells a cache when a response was last changed?{
=Last-Modified
=%40%ETag#${FEEDBACK.short}
####Last-Modified holds a date; ETag a version tag.
}

::pc-octets::How many octets does an IPv4 address hold?{#
=4:0
~32#That is bits.
~5#${FEEDBACK.numeric}
~#${FEEDBACK.other}
####Four octets of eight bits: 32 bits.
}
`;

async function published() {
  const instructor = await createUser(t.prisma, { role: "instructor" });
  const teacher = await login(t.app, instructor.email);
  const slug = `pc${randomUUID().slice(0, 8)}`;
  const preview = await uploadForPreview(teacher, `${slug}.gift`, GIFT);
  expect(preview.status).toBe(200);
  // The instructor sees each weight and each answer's feedback before publishing.
  expect(preview.text).toContain('<span class="mark mark-weight">50%</span>');
  expect(preview.text).toMatch(/<td><code>ETag<\/code><\/td><td>40%<\/td><td>FB-SHORT an ETag names a version<\/td>/);
  expect(preview.text).toMatch(/<td><code>5<\/code><\/td><td>0%<\/td><td>FB-NUMERIC that counts from one<\/td>/);
  expect(preview.text).toMatch(
    /<td><code>\(any other answer\)<\/code><\/td><td><\/td><td>FB-OTHER count the octets<\/td>/,
  );
  expect((await publishPreview(teacher, preview.text)).status).toBe(303);
  const exam = await publicModuleOver(t.prisma, slug, {
    title: `Partial ${slug}`,
    questionCount: 3,
    partialCredit: true,
  });
  return { slug, exam, teacher };
}

/** The attempt's items by question id (the GIFT title, after the bank's slug), with their stored bodies. */
async function itemsOf(attemptId: string) {
  const items = await itemsWithVersions(t.prisma, {
    where: { attemptId },
  });
  const byId = new Map(items.map((i) => [i.questionVersion.question.externalId.replace(/^pc[0-9a-f]{8}-/, ""), i]));
  return (id: string) => byId.get(id)!;
}

describe("partial credit", () => {
  it("shows nothing of it before submitting, scores the parts, and shows them with the answer's feedback after", async () => {
    const { exam, slug, teacher } = await published();
    const user = await createUser(t.prisma);
    const agent = await login(t.app, user.email);
    const { token: apiToken } = await createToken(t.prisma, user.id);
    const attemptId = await startAttempt(agent, exam.slug);
    const item = await itemsOf(attemptId);

    // Before submitting: no weight, no feedback, no other answers, on any page or over the API.
    const secrets = [...Object.values(FEEDBACK), "half the mark", "That is bits", "of the mark", "ETag"];
    for (const position of [1, 2, 3]) {
      const page = await agent.get(`/attempts/${attemptId}?q=${position}`);
      expect(page.status).toBe(200);
      expect(secrets.filter((s) => page.text.includes(s))).toEqual([]);
    }
    const open = await api.call("get", `/attempts/${attemptId}`, { token: apiToken });
    expect(open.status).toBe(200);
    expect(secrets.filter((s) => open.text.includes(s))).toEqual([]);
    expect(open.text).not.toMatch(/"weight"|"weighted"|"otherFeedback"|"feedback"/);

    const redirect = item("pc-redirect");
    const options = (redirect.questionVersion.body as { options: { id: string; md: string }[] }).options;
    const save = async (position: number, response: unknown) => {
      const token = await tokenFor(agent, `/attempts/${attemptId}?q=${position}`);
      const res = await agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({ position, seq: 1, flagged: false, response });
      expect(res.status).toBe(200);
      return token;
    };
    await save(redirect.position, { type: "single", optionId: options.find((o) => o.md === "308")!.id });
    await save(item("pc-header").position, { type: "short", text: " etag " });
    const token = await save(item("pc-octets").position, { type: "numeric", value: 5 });
    const submitted = await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    expect(submitted.status).toBe(303);

    // Scored as fractions: half, 40% and nothing; (0.5 + 0.4 + 0) / 3 = 30%.
    const graded = await itemsOf(attemptId);
    expect([graded("pc-redirect").score, graded("pc-header").score, graded("pc-octets").score]).toEqual([0.5, 0.4, 0]);
    expect(graded("pc-header").correct).toBe(false);
    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt.scorePercent).toBe(30);
    expect(attempt.correctCount).toBe(0);

    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("30.0%");
    expect(result.text).toContain("partly correct (50% of the mark)");
    expect(result.text).toContain("partly correct (40% of the mark)");
    expect(result.text).toContain('<span class="mark mark-part">50% of the mark</span>');
    expect(result.text).toContain(`<strong>Feedback:</strong> ${FEEDBACK.short}`);
    expect(result.text).toContain(`<strong>Feedback:</strong> ${FEEDBACK.numeric}`);
    expect(result.text).not.toContain(FEEDBACK.other);
    expect(result.text).toContain("Last-Modified; part marks: ETag (40%)");

    const apiResult = await api.call("get", `/attempts/${attemptId}/result`, { token: apiToken });
    expect(apiResult.status).toBe(200);
    const reviewed = (position: number) =>
      (apiResult.body.review as { position: number }[]).find((r) => r.position === position);
    expect(reviewed(graded("pc-header").position)).toMatchObject({
      correct: false,
      score: 0.4,
      answerFeedback: FEEDBACK.short,
    });
    expect(reviewed(graded("pc-octets").position)).toMatchObject({ score: 0, answerFeedback: FEEDBACK.numeric });
    expect(reviewed(graded("pc-redirect").position)).toMatchObject({ score: 0.5, answerFeedback: "" });

    // Mastery takes each part as that much evidence of a right answer (difficulty 2: weight 1),
    // over the prior of 0.7 right and 0.3 wrong: 0.5 + 0.4 + 0 right, 0.5 + 0.6 + 1 wrong.
    const mastery = await t.prisma.topicMastery.findFirstOrThrow({ where: { userId: user.id, topicPath: slug } });
    expect(mastery.answers).toBe(3);
    expect(mastery.alpha).toBeCloseTo(0.7 + 0.9, 3);
    expect(mastery.beta).toBeCloseTo(0.3 + 2.1, 3);

    // The instructor's item statistics take the parts as fractions: facility is the mean score.
    const stats = await teacher.get(`/teach/banks/${slug}`);
    const section = (id: string) => stats.text.split(`id="q-${slug}-${id}"`)[1]?.split("</article>")[0] ?? "";
    expect(section("pc-header")).toContain("Responses: 1 · facility 40%");
    expect(section("pc-redirect")).toContain("Responses: 1 · facility 50%");
    expect(section("pc-octets")).toContain("Responses: 1 · facility 0%");
  });

  it("in practice, marks a checked answer with its part and the feedback for any other answer", async () => {
    const { exam } = await published();
    const user = await createUser(t.prisma);
    const { token } = await createToken(t.prisma, user.id);
    const started = await api.call("post", `/exams/${exam.slug}/attempts`, { token, body: { mode: "practice" } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const item = await itemsOf(id);
    const octets = item("pc-octets").position;
    const checked = await api.call("post", `/attempts/${id}/answers/${octets}/check`, {
      token,
      body: { response: { type: "numeric", value: 6 } },
    });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ correct: false, scorePercent: 0, answerFeedback: FEEDBACK.other });
    const redirect = item("pc-redirect");
    const options = (redirect.questionVersion.body as { options: { id: string; md: string }[] }).options;
    const choice = await api.call("post", `/attempts/${id}/answers/${redirect.position}/check`, {
      token,
      body: { response: { type: "single", optionId: options.find((o) => o.md === "308")!.id } },
    });
    expect(choice.body).toMatchObject({ correct: false, scorePercent: 50 });
    expect(choice.body.options).toContainEqual(expect.objectContaining({ chosen: true, weight: 50 }));

    // The practice page shows the same marking once checked.
    const agent = await login(t.app, user.email);
    const numericPage = await agent.get(`/attempts/${id}?q=${octets}`);
    expect(numericPage.text).toContain("Not correct");
    expect(numericPage.text).toContain(`<strong>Feedback:</strong> ${FEEDBACK.other}`);
    const choicePage = await agent.get(`/attempts/${id}?q=${redirect.position}`);
    expect(choicePage.text).toContain("Partly correct (50%)");
    expect(choicePage.text).toContain('<span class="option-weight">(50% of the mark)</span>');
    // The question not yet checked shows none of its answers' feedback.
    const header = await agent.get(`/attempts/${id}?q=${item("pc-header").position}`);
    expect(header.text).not.toContain(FEEDBACK.short);
  });

  it("is kept by the bank page's YAML, GIFT and Moodle XML exports, which upload again unchanged", async () => {
    const { slug, teacher } = await published();
    for (const [format, extension] of [
      ["yaml", "yaml"],
      ["gift", "gift"],
      ["xml", "xml"],
    ] as const) {
      const { exported, again } = await exportAndReupload(teacher, slug, format, extension);
      expect(exported.status).toBe(200);
      expect(exported.headers["x-export-left-out"]).toBe("0");
      expect(exported.text).toContain(FEEDBACK.other);
      expect(again.status).toBe(200);
      expect(again.text).toContain("Unchanged: 3");
      expect(again.text).toContain("New questions: 0");
    }
    // QTI keeps every weight; the typed answers' feedback has no place there, and a comment says so.
    const qti = await teacher.get(`/teach/banks/${slug}/export?format=qti`);
    expect(qti.headers["x-export-left-out"]).toBe("0");
    expect(qti.text).toContain(`numeric question ${slug}-pc-octets: its per-answer feedback is left out`);
    expect(qti.text).toContain('mapped-value="0.4"');
  });
});
