// Parallel forms over HTTP: starting a mock exam with a stack choice (the languages section
// draws only from the chosen language), and a placement test without a pass mark.
import { allocate } from "../../src/modules/exams";
import { createFormsFixture } from "../factories/forms";
import { createUser } from "../factories/users";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

let t: TestApp;
let CORE: string;
let LANG: string;
let MOCK: string;
let PLACEMENT: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ core: CORE, lang: LANG, mock: MOCK, placement: PLACEMENT } = await createFormsFixture(t.prisma));
});
afterAll(() => t.close());

async function learner(): Promise<Agent> {
  return login(t.app, (await createUser(t.prisma)).email);
}

async function start(agent: Agent, slug: string, fields: Record<string, string>) {
  const token = await tokenFor(agent, `/exams/${slug}/start`);
  return agent
    .post(`/exams/${slug}/attempts`)
    .type("form")
    .send({ _csrf: token, ...fields });
}

const attemptIdOf = (location: string) => /\/attempts\/([0-9a-f-]{36})$/.exec(location)![1]!;

describe("choosing a stack at the start of a mock exam", () => {
  it("offers the languages with enough questions, and the exam list sends the learner to choose", async () => {
    const agent = await learner();
    const list = await agent.get("/exams");
    expect(list.text).toContain(`href="/exams/${MOCK}/start"`);
    const page = await agent.get(`/exams/${MOCK}/start`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Choose your stack");
    expect(page.text).toContain(`value="${LANG}/go"`);
    expect(page.text).toContain(`value="${LANG}/python"`);
    // One Ruby question cannot fill a four-question section; the neutral subtopic is no choice.
    expect(page.text).not.toContain(`value="${LANG}/ruby"`);
    expect(page.text).not.toContain(`value="${LANG}/concepts"`);
  });

  it("refuses a missing, unknown or malformed choice with a 400 and the form again, starting nothing", async () => {
    const agent = await learner();
    const cases: Record<string, string>[] = [
      {},
      { stack: `${LANG}/ruby` },
      { stack: `${LANG}/cobol` },
      { stack: "../../etc" },
    ];
    for (const fields of cases) {
      const res = await start(agent, MOCK, fields);
      expect([JSON.stringify(fields), res.status]).toEqual([JSON.stringify(fields), 400]);
      expect(res.text).toContain("Choose your stack");
      expect(res.text).toContain('class="field-error"');
      expect(res.text).toContain(`value="${LANG}/go"`);
    }
    const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug: MOCK } });
    expect(await t.prisma.attempt.count({ where: { examId: exam.id } })).toBe(0);
  });

  it("draws the languages section from the chosen language only, keeps it on resume, and shows it on the result", async () => {
    const agent = await learner();
    const res = await start(agent, MOCK, { stack: `${LANG}/go` });
    expect(res.status).toBe(303);
    const attemptId = attemptIdOf(res.headers.location as string);
    const attempt = {
      ...(await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } })),
      items: await itemsWithVersions(t.prisma, { where: { attemptId } }),
    };
    expect(attempt.stack).toBe(`${LANG}/go`);
    const paths = attempt.items.map((i) => i.topicPath);
    expect(paths.filter((p) => p.startsWith(`${CORE}/`))).toHaveLength(4);
    const section = paths.filter((p) => p.startsWith(`${LANG}/`));
    expect(section.sort()).toEqual([`${LANG}/concepts`, `${LANG}/concepts`, `${LANG}/go`, `${LANG}/go`]);
    const levels = attempt.items.map((i) => i.questionVersion.difficulty);
    expect([1, 2, 3].map((d) => levels.filter((l) => l === d).length)).toEqual([2, 4, 2]);

    // Reload and start again (another stack sent): the same attempt, the same questions.
    const again = await start(agent, MOCK, { stack: `${LANG}/python` });
    expect(again.status).toBe(303);
    expect(attemptIdOf(again.headers.location as string)).toBe(attemptId);
    const resumed = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId }, include: { items: true } });
    expect(resumed.stack).toBe(`${LANG}/go`);
    expect(resumed.items.map((i) => i.questionVersionId).sort()).toEqual(
      attempt.items.map((i) => i.questionVersionId).sort(),
    );
    const startPage = await agent.get(`/exams/${MOCK}/start`);
    expect(startPage.text).toContain("Resume");
    expect(startPage.text).not.toContain('type="radio"');

    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain("Languages section: <strong>Go</strong>");
    expect(result.text).toContain("against a pass mark of 70%");
  });

  it("gives every form the same topic and difficulty counts, each from its own stack", async () => {
    // The first start keeps the exam's pool; the others draw from it, narrowed per stack.
    for (const stack of ["go", "python", "go", "python"]) {
      const agent = await learner();
      const res = await start(agent, MOCK, { stack: `${LANG}/${stack}` });
      const items = await itemsWithVersions(t.prisma, {
        where: { attemptId: attemptIdOf(res.headers.location as string) },
      });
      const cells = items.map((i) => `${i.topicPath.split("/")[0]}:${i.questionVersion.difficulty}`).sort();
      const count = (cell: string) => cells.filter((c) => c === cell).length;
      expect([CORE, LANG].map((topic) => [1, 2, 3].reduce((n, d) => n + count(`${topic}:${d}`), 0))).toEqual([4, 4]);
      expect([1, 2, 3].map((d) => count(`${CORE}:${d}`) + count(`${LANG}:${d}`))).toEqual([2, 4, 2]);
      const section = items.map((i) => i.topicPath).filter((p) => p.startsWith(`${LANG}/`));
      expect(section.filter((p) => p !== `${LANG}/concepts` && p !== `${LANG}/${stack}`)).toEqual([]);
    }
  });
});

describe("a placement test without a pass mark", () => {
  it("starts without a choice, records no pass or fail, and shows where to start in each topic", async () => {
    const agent = await learner();
    const list = await agent.get("/exams");
    expect(list.text).toContain("placement test, no pass mark");
    const res = await start(agent, PLACEMENT, {});
    expect(res.status).toBe(303);
    const attemptId = attemptIdOf(res.headers.location as string);
    const items = await itemsWithVersions(t.prisma, {
      where: { attemptId },
      orderBy: { position: "asc" },
    });
    expect(items).toHaveLength(4);
    expect(items.map((i) => i.questionVersion.difficulty).sort()).toEqual([1, 1, 2, 2]);
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    // Right on the first question only.
    await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: 1, seq: 1, response: { type: "truefalse", value: true } });
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });

    const attempt = await t.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt.status).toBe("submitted");
    expect(attempt.passed).toBeNull();
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain("This is a placement test: there is no pass mark.");
    expect(result.text).toContain("Where to start");
    expect(result.text).toContain("Start with this topic&#39;s practice module.");
    expect(result.text).toContain("Start with the basics");
    expect(result.text).not.toContain("pass mark of");
    expect(result.text).not.toContain("not passed yet");
  });
});

describe("the exam setup form for instructors", () => {
  const form = (fields: Record<string, string>) => ({
    title: "Counts and quota",
    kind: "mock",
    questionCount: "8",
    timeLimitMinutes: "20",
    passMarkPercent: "",
    attempts: "",
    review: "after_submit",
    closesAt: "",
    topics: [CORE, LANG],
    ...fields,
  });

  it("stores stated counts and a difficulty quota, refuses counts or quotas that do not add up, and allows no pass mark", async () => {
    const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    const csrf = await tokenFor(agent, "/teach/exams/new");
    const slug = `counts-${CORE}`;
    const post = (fields: Record<string, string>) =>
      agent
        .post("/teach/exams")
        .type("form")
        .send({ _csrf: csrf, slug, ...form(fields) });

    const wrongCounts = await post({ weightsAre: "counts", [`weight_${CORE}`]: "5", [`weight_${LANG}`]: "4" });
    expect(wrongCounts.status).toBe(400);
    expect(wrongCounts.text).toContain("The questions per topic add up to 9; the exam has 8.");
    const wrongQuota = await post({
      weightsAre: "counts",
      [`weight_${CORE}`]: "5",
      [`weight_${LANG}`]: "3",
      quotaEasy: "1",
      quotaMedium: "1",
      quotaHard: "1",
    });
    expect(wrongQuota.status).toBe(400);
    expect(wrongQuota.text).toContain("The questions per difficulty add up to 3; the exam has 8.");

    const created = await post({
      weightsAre: "counts",
      [`weight_${CORE}`]: "5",
      [`weight_${LANG}`]: "3",
      quotaEasy: "2",
      quotaMedium: "4",
      quotaHard: "2",
    });
    expect(created.status).toBe(303);
    const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug } });
    expect(exam).toMatchObject({
      passMarkPercent: null,
      blueprint: { [CORE]: 5, [LANG]: 3 },
      difficultyQuota: { "1": 2, "2": 4, "3": 2 },
    });
    const edit = await agent.get(`/teach/exams/${slug}/edit`);
    expect(edit.text).toMatch(/value="counts" checked/);
    expect(edit.text).toContain('id="quotaMedium" name="quotaMedium" type="number" value="4"');
  });

  it("turns weights into counts once, when saved, with equal weights sharing a tie by lot", async () => {
    const agent = await login(t.app, (await createUser(t.prisma, { role: "instructor" })).email);
    const csrf = await tokenFor(agent, "/teach/exams/new");
    const slug = `weights-${CORE}`;
    const res = await agent
      .post("/teach/exams")
      .type("form")
      .send({
        _csrf: csrf,
        slug,
        ...form({ questionCount: "7", weightsAre: "weights", [`weight_${CORE}`]: "1", [`weight_${LANG}`]: "1" }),
      });
    expect(res.status).toBe(303);
    const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug } });
    const counts = exam.blueprint as Record<string, number>;
    expect(Object.values(counts).sort()).toEqual([3, 4]);
    expect(counts).toEqual(allocate(7, { [CORE]: 1, [LANG]: 1 }, slug));
  });
});
