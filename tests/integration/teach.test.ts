import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createExamFixture, storedChoiceIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { miniBank } from "../support/banks";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";
import { itemsWithVersions } from "../support/items";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const teacher = async (role: "instructor" | "admin" = "instructor") => {
  const user = await createUser(t.prisma, { role });
  return { user, agent: await login(t.app, user.email) };
};

async function upload(agent: Agent, name: string, text: string | Buffer, fields: Record<string, string> = {}) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  let request = agent.post("/teach/banks/imports").field("_csrf", csrf).field("format", "auto");
  for (const [field, value] of Object.entries(fields)) request = request.field(field, value);
  return request.attach("file", typeof text === "string" ? Buffer.from(text) : text, name);
}

async function publishFrom(agent: Agent, previewHtml: string) {
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(previewHtml)![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(previewHtml)![1]!;
  return agent.post(action).type("form").send({ _csrf: csrf });
}

describe("upload", () => {
  it("previews every change, then publishes through the same import", async () => {
    const { user, agent } = await teacher();
    const slug = `up${randomUUID().slice(0, 6)}`;
    const preview = await upload(
      agent,
      `${slug}.yaml`,
      miniBank(slug, [
        { id: `${slug}-1`, stem: "One?" },
        { id: `${slug}-2`, stem: "Two?" },
      ]),
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("New questions: 2");
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);
    const published = await publishFrom(agent, preview.text);
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe(`/teach/banks/${slug}`);
    const bank = await t.prisma.bank.findUniqueOrThrow({
      where: { slug },
      include: { _count: { select: { questions: true } } },
    });
    expect(bank.ownerId).toBe(user.id);
    expect(bank._count.questions).toBe(2);
  });

  it("publishes an upload once when it is published ten times at once", async () => {
    const { agent } = await teacher();
    const slug = `up${randomUUID().slice(0, 6)}`;
    const preview = await upload(
      agent,
      `${slug}.yaml`,
      miniBank(slug, [
        { id: `${slug}-1`, stem: "One?" },
        { id: `${slug}-2`, stem: "Two?" },
      ]),
    );
    expect(preview.status).toBe(200);
    const responses = await Promise.all(Array.from({ length: 10 }, () => publishFrom(agent, preview.text)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Each answer is either the bank (303) or "being published" (409) with a message.
    for (const r of responses) {
      if (r.status === 303) expect(r.headers.location).toBe(`/teach/banks/${slug}`);
      else {
        expect(r.status).toBe(409);
        expect(r.text).toContain("is being published");
      }
    }
    expect(statuses.filter((s) => s === 303).length).toBeGreaterThanOrEqual(1);
    const bank = await t.prisma.bank.findUniqueOrThrow({ where: { slug }, include: { questions: true } });
    expect(bank.questions).toHaveLength(2);
    expect(await t.prisma.questionVersion.count({ where: { question: { bankId: bank.id } } })).toBe(2);
    // Published once, said so once; a later repeat goes to the bank with a note instead of importing again.
    const flashes = await Promise.all(
      responses.filter((r) => r.status === 303).map((r) => agent.get(r.headers.location as string)),
    );
    expect(flashes.filter((page) => page.text.includes("Published: 2 created")).length).toBeLessThanOrEqual(1);
    const again = await publishFrom(agent, preview.text);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/teach/banks/${slug}`);
    expect((await agent.get(`/teach/banks/${slug}`)).text).toContain("This upload was already published.");
    expect(await t.prisma.questionVersion.count({ where: { question: { bankId: bank.id } } })).toBe(2);
  });

  it("limits uploads to 20 in 10 minutes per instructor, with 429 and Retry-After", async () => {
    const { agent } = await teacher();
    for (let i = 0; i < 20; i += 1) expect((await upload(agent, "broken.gift", "::Q:: {")).status).toBe(400);
    const refused = await upload(agent, "broken.gift", "::Q:: {");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(600);
    expect(refused.text).toContain("You have uploaded many files in a short time.");
    // Another instructor is not held back.
    expect((await upload((await teacher()).agent, "broken.gift", "::Q:: {")).status).toBe(400);
  });

  it("lists every error with its line and keeps nothing (all or nothing)", async () => {
    const { agent } = await teacher();
    const gift = readFileSync(`${__dirname}/../fixtures/banks/gift/bad-several.gift`, "utf8");
    const res = await upload(agent, "broken.gift", gift, { strict: "1" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Nothing was imported: 4 problem(s)");
    expect(res.text).toContain("broken.gift:8:46: answer block opened with");
    expect(res.text).not.toContain("/publication");
  });

  it("refuses a file over the size limit", async () => {
    const small = await createTestApp({ env: { IMPORT_MAX_BYTES: "50" } });
    try {
      const user = await createUser(small.prisma, { role: "instructor" });
      const agent = await login(small.app, user.email);
      const csrf = await tokenFor(agent, "/teach/banks/imports/new");
      const res = await agent
        .post("/teach/banks/imports")
        .field("_csrf", csrf)
        .attach("file", Buffer.from("x".repeat(100)), "big.yaml");
      expect(res.status).toBe(400);
      expect(res.text).toContain("larger than the limit of 50 bytes");
    } finally {
      await small.close();
    }
  });
});

describe("editing", () => {
  it("saving an edit makes a new version and leaves past attempts on the old one", async () => {
    const { user, agent } = await teacher();
    const { slug, exam } = await createExamFixture(t.prisma);
    const learner = await login(t.app, (await createUser(t.prisma)).email);
    const attemptId = await startAttempt(learner, exam.slug);
    await t.prisma.bank.update({ where: { slug }, data: { ownerId: user.id } });
    const question = await t.prisma.question.findUniqueOrThrow({
      where: { externalId: `${slug}-3` },
      include: { currentVersion: true },
    });

    const page = await agent.get(`/teach/questions/${question.id}/edit`);
    expect(page.status).toBe(200);
    const text = /<textarea[^>]*>([\s\S]*?)<\/textarea>/
      .exec(page.text)![1]!
      .replace(/&#34;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
    const edited = text.replace("GET is a safe method.", "HEAD is a safe method.");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const preview = await agent
      .post(`/teach/questions/${question.id}/versions`)
      .type("form")
      .send({ _csrf: csrf, text: edited, action: "preview" });
    expect(preview.text).toContain("HEAD is a safe method.");
    const saved = await agent
      .post(`/teach/questions/${question.id}/versions`)
      .type("form")
      .send({ _csrf: csrf, text: edited, action: "save" });
    expect(saved.status).toBe(303);
    const after = await t.prisma.question.findUniqueOrThrow({
      where: { id: question.id },
      include: { currentVersion: true },
    });
    expect(after.currentVersion?.number).toBe(2);
    expect(after.currentVersion?.stemMd).toContain("HEAD is a safe method.");
    const [item] = await itemsWithVersions(t.prisma, { where: { attemptId, position: 3 } });
    expect(item!.questionVersionId).toBe(question.currentVersion!.id);
    expect(item!.questionVersion.stemMd).toContain("GET is a safe method.");

    const broken = await agent
      .post(`/teach/questions/${question.id}/versions`)
      .type("form")
      .send({ _csrf: csrf, text: edited.replace("difficulty: 2", "difficulty: 7"), action: "save" });
    expect(broken.status).toBe(400);
    expect(broken.text).toMatch(/question:\d+:\d+: difficulty: difficulty must be 1, 2 or 3/);
  });

  it("retires and restores a question", async () => {
    const { user, agent } = await teacher();
    const { slug } = await createExamFixture(t.prisma);
    await t.prisma.bank.update({ where: { slug }, data: { ownerId: user.id } });
    const q = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });
    const csrf = await tokenFor(agent, `/teach/banks/${slug}`);
    expect(
      (await agent.post(`/teach/questions/${q.id}/retirement`).type("form").send({ _csrf: csrf, retired: "true" }))
        .status,
    ).toBe(303);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: q.id } })).retiredAt).not.toBeNull();
    expect(
      (await agent.post(`/teach/questions/${q.id}/retirement`).type("form").send({ _csrf: csrf, retired: "false" }))
        .status,
    ).toBe(303);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: q.id } })).retiredAt).toBeNull();
  });
});

describe("item statistics", () => {
  it("shows facility, discrimination and option counts computed from graded answers", async () => {
    const { user, agent } = await teacher();
    const { slug, exam } = await createExamFixture(t.prisma);
    await t.prisma.bank.update({ where: { slug }, data: { ownerId: user.id } });
    const q1 = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });
    const q2 = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-2` } });
    const [a1, b1, c1] = await storedChoiceIds(t.prisma, slug, 1); // in the file's order: "404" is first
    const [a2, b2, c2] = await storedChoiceIds(t.prisma, slug, 2);
    // Ten learners: rest score (question 2) and question 1's answer. Hand computation in
    // tests/unit/teach/item-stats.test.ts's worked example: y = 9,8,8,7,6,6,5,4,3,2 scaled here
    // to one other question is not possible, so use a two-question attempt: x = q1, y = q2.
    const answers = [
      [1, 1],
      [1, 1],
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
      [1, 0],
      [0, 0],
      [0, 0],
      [1, 1],
    ] as const;
    for (const [x, y] of answers) {
      const learner = await createUser(t.prisma);
      const attempt = await t.prisma.attempt.create({
        data: {
          examId: exam.id,
          userId: learner.id,
          status: "submitted",
          startedAt: new Date(),
          deadlineAt: new Date(),
          submittedAt: new Date(),
          scorePercent: ((x + y) / 2) * 100,
        },
      });
      await t.prisma.attemptItem.createMany({
        data: [
          {
            attemptId: attempt.id,
            position: 1,
            questionVersionId: q1.currentVersionId!,
            topicPath: `${slug}/core`,
            displayOrder: [a1!, b1!, c1!],
            response: { type: "single", optionId: x ? a1! : b1! },
            score: x,
            correct: x === 1,
          },
          {
            attemptId: attempt.id,
            position: 2,
            questionVersionId: q2.currentVersionId!,
            topicPath: `${slug}/core`,
            displayOrder: [a2!, b2!, c2!],
            response: { type: "multiple", optionIds: y ? [a2!, b2!] : [c2!] },
            score: y,
            correct: y === 1,
          },
        ],
      });
    }
    const page = await agent.get(`/teach/banks/${slug}`);
    expect(page.status).toBe(200);
    // x: 6 right of 10 -> facility 60%. y (rest) has 5 ones. Pairs (x,y): both 1 four times.
    // r = [Σxy - n x̄ ȳ] / sqrt(n x̄(1-x̄) · n ȳ(1-ȳ)) = (4 - 10·0.6·0.5) / sqrt(2.4 · 2.5) = 1 / 2.449 = 0.408
    const section = page.text.slice(page.text.indexOf(`id="q-${slug}-1"`));
    expect(section).toContain("Responses: 10 · facility 60% · discrimination 0.41");
    expect(section).toMatch(/<td>404<\/td><td>correct<\/td><td>6<\/td>/);
    expect(section).toMatch(/<td>500<\/td><td><\/td><td>4<\/td>/);
  });
});

describe("exam setup", () => {
  it("creates an exam as a draft, publishes it, and learners then see it", async () => {
    const { user, agent } = await teacher();
    const { slug } = await createExamFixture(t.prisma);
    const csrf = await tokenFor(agent, "/teach/exams/new");
    const examSlug = `quiz-${slug}`;
    const created = await agent.post("/teach/exams").type("form").send({
      _csrf: csrf,
      title: "Week 3 quiz",
      slug: examSlug,
      kind: "module",
      questionCount: "4",
      timeLimitMinutes: "10",
      passMarkPercent: "60",
      attempts: "2",
      review: "after_submit",
      closesAt: "",
      shuffleQuestions: "1",
      topics: slug,
    });
    expect(created.status).toBe(303);
    const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug: examSlug } });
    expect(exam).toMatchObject({
      title: "Week 3 quiz",
      kind: "module",
      questionCount: 4,
      timeLimitSeconds: 600,
      passMarkPercent: 60,
      maxAttempts: 2,
      published: false,
      shuffleQuestions: true,
      shuffleOptions: false,
      topicPaths: [slug],
    });
    const learnerUser = await createUser(t.prisma);
    const learner = await login(t.app, learnerUser.email);
    expect((await learner.get("/exams")).text).not.toContain("Week 3 quiz");
    expect(
      (await agent.post(`/teach/exams/${examSlug}/publication`).type("form").send({ _csrf: csrf, published: "true" }))
        .status,
    ).toBe(303);
    // Published, it reaches the learners of a class it is shared with, and nobody else.
    expect((await learner.get("/exams")).text).not.toContain("Week 3 quiz");
    const cls = await t.prisma.class.create({
      data: { name: "Week 3", ownerId: user.id, joinCode: `W${randomUUID().slice(0, 11).toUpperCase()}` },
    });
    await t.prisma.classMember.create({ data: { classId: cls.id, userId: learnerUser.id } });
    const shared = await agent
      .post(`/teach/classes/${cls.id}/exams/${examSlug}/share`)
      .type("form")
      .send({ _csrf: csrf, shared: "true" });
    expect(shared.status).toBe(303);
    expect((await learner.get("/exams")).text).toContain("Week 3 quiz");
    const bad = await agent.post("/teach/exams").type("form").send({
      _csrf: csrf,
      title: "",
      slug: "x",
      kind: "module",
      questionCount: "0",
      timeLimitMinutes: "10",
      passMarkPercent: "60",
      attempts: "",
      review: "never",
      closesAt: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Give the exam a title.");
  });
});

describe("permissions", () => {
  it("lets instructors touch only their own banks and exams, admins all, learners none", async () => {
    const owner = await teacher();
    const other = await teacher();
    const admin = await teacher("admin");
    const learner = await login(t.app, (await createUser(t.prisma)).email);
    const anonymous = (await import("supertest")).default.agent(t.app);
    const { slug } = await createExamFixture(t.prisma);
    await t.prisma.bank.update({ where: { slug }, data: { ownerId: owner.user.id } });
    const examSlug = `own-${slug}`;
    await t.prisma.exam.create({
      data: {
        slug: examSlug,
        title: "Owned",
        kind: "module",
        questionCount: 3,
        timeLimitSeconds: 300,
        passMarkPercent: 50,
        topicPaths: [slug],
        ownerId: owner.user.id,
        published: false,
      },
    });
    const q = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });
    const gets = [
      "/teach",
      "/teach/banks/imports/new",
      `/teach/banks/${slug}`,
      `/teach/banks/${slug}/export`,
      `/teach/questions/${q.id}/edit`,
      "/teach/exams/new",
      `/teach/exams/${examSlug}/edit`,
      `/teach/exams/${examSlug}/cohort`,
    ];
    const ownedOnly = new Set([
      `/teach/banks/${slug}`,
      `/teach/banks/${slug}/export`,
      `/teach/questions/${q.id}/edit`,
      `/teach/exams/${examSlug}/edit`,
      `/teach/exams/${examSlug}/cohort`,
    ]);
    for (const path of gets) {
      expect([path, (await anonymous.get(path)).status]).toEqual([path, 303]);
      expect([path, (await learner.get(path)).status]).toEqual([path, 403]);
      expect([path, (await owner.agent.get(path)).status]).toEqual([path, 200]);
      expect([path, (await admin.agent.get(path)).status]).toEqual([path, 200]);
      // Another instructor's bank, question or exam is, to them, not there.
      expect([path, (await other.agent.get(path)).status]).toEqual([path, ownedOnly.has(path) ? 404 : 200]);
    }
    const csrf = await tokenFor(other.agent, "/teach");
    const posts: [string, Record<string, string>][] = [
      [`/teach/questions/${q.id}/retirement`, { retired: "true" }],
      [`/teach/questions/${q.id}/versions`, { text: "id: x", action: "save" }],
      [`/teach/exams/${examSlug}/publication`, { published: "true" }],
      [
        `/teach/exams/${examSlug}`,
        {
          title: "Hijack",
          slug: examSlug,
          kind: "module",
          questionCount: "1",
          timeLimitMinutes: "1",
          passMarkPercent: "1",
          attempts: "",
          review: "never",
          closesAt: "",
          topics: slug,
        },
      ],
    ];
    for (const [path, body] of posts) {
      expect([
        path,
        (
          await other.agent
            .post(path)
            .type("form")
            .send({ _csrf: csrf, ...body })
        ).status,
      ]).toEqual([path, 404]);
    }
    const learnerCsrf = await tokenFor(learner, "/exams");
    for (const [path, body] of posts)
      expect([
        path,
        (
          await learner
            .post(path)
            .type("form")
            .send({ _csrf: learnerCsrf, ...body })
        ).status,
      ]).toEqual([path, 403]);
    const uploadAsLearner = await learner
      .post("/teach/banks/imports")
      .field("_csrf", learnerCsrf)
      .attach("file", Buffer.from("x"), "x.yaml");
    expect(uploadAsLearner.status).toBe(403);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: q.id } })).retiredAt).toBeNull();
    expect((await t.prisma.exam.findUniqueOrThrow({ where: { slug: examSlug } })).title).toBe("Owned");
  });
});
