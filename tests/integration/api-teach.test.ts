// The instructor's API: a bank uploaded for preview, published, read with its statistics,
// exported, a question edited and retired, an exam set up and published; every response
// checked against the OpenAPI document.
import { randomUUID } from "node:crypto";
import { createToken } from "../factories/tokens";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let api: ContractClient;
beforeAll(async () => {
  t = await createTestApp();
  api = await ContractClient.load(t.app);
});
afterAll(() => t.close());

function bankYaml(slug: string, stem = "Which status code means Not Found?") {
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: CI bank ${slug}
topics:
  ${slug}: CI bank ${slug}
questions:
  - id: ${slug}-1
    topic: ${slug}
    difficulty: 2
    type: single
    stem: ${stem}
    options:
      - text: "404"
        correct: true
      - text: "500"
    explanation: 404 is Not Found; the rest are other things.
  - id: ${slug}-2
    topic: ${slug}
    difficulty: 1
    type: truefalse
    stem: GET is a safe method.
    answer: true
    explanation: Safe methods do not change state on the server.
`;
}

async function instructor() {
  const user = await createUser(t.prisma, { role: "instructor" });
  return { user, token: (await createToken(t.prisma, user.id)).token };
}

describe("banks over the API", () => {
  it("uploads a bank for preview, publishes it once, lists, reads and exports it", async () => {
    const { token } = await instructor();
    const slug = `ci${randomUUID().slice(0, 8)}`;
    const preview = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
      token,
      raw: { type: "application/yaml", data: bankYaml(slug) },
    });
    expect(preview.status).toBe(201);
    expect(preview.body.report).toMatchObject({ ok: true, dryRun: true, questions: 2 });
    expect(await t.prisma.bank.count({ where: { slug } })).toBe(0);

    const published = await api.call("post", `/banks/previews/${preview.body.pendingId}/publication`, { token });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: "published", bank: slug, report: { ok: true, created: 2 } });
    const again = await api.call("post", `/banks/previews/${preview.body.pendingId}/publication`, { token });
    expect(again.body).toEqual({ status: "already-published", bank: slug, report: null });

    const list = await api.call("get", "/banks", { token });
    expect(list.body.items.map((b: { slug: string }) => b.slug)).toContain(slug);

    const bank = await api.call("get", `/banks/${slug}`, { token });
    expect(bank.status).toBe(200);
    expect(bank.body.questions).toHaveLength(2);
    expect(bank.body.questions[0].statistics).toMatchObject({ responses: 0, facility: null });

    const yaml = await api.call("get", `/banks/${slug}/export`, { token });
    expect(yaml.status).toBe(200);
    expect(yaml.headers["content-disposition"]).toContain(`${slug}.yaml`);
    expect(yaml.text).toContain(`${slug}-1`);
    const gift = await api.call("get", `/banks/${slug}/export?format=gift`, { token });
    expect(gift.status).toBe(200);
    expect(gift.text).toContain("Not Found");
  });

  it("answers 422 with the report's file:line errors, keeping nothing", async () => {
    const { token, user } = await instructor();
    const res = await api.call("post", "/banks/previews?fileName=bad.yaml", {
      token,
      raw: { type: "text/yaml", data: "format: stackprep-bank/1\nbank: [\n" },
    });
    expect(res.status).toBe(422);
    expect(res.body.pendingId).toBeNull();
    expect(res.body.report.errors[0]).toMatch(/^bad\.yaml:\d+/);
    expect(await t.prisma.pendingImport.count({ where: { userId: user.id } })).toBe(0);
    const type = await api.call("post", "/banks/previews?fileName=x.png", {
      token,
      raw: { type: "image/png", data: "x" },
    });
    expect(type.status).toBe(415);
  });

  it("edits a question as a new version and retires it; others' banks are refused", async () => {
    const { token } = await instructor();
    const slug = `ci${randomUUID().slice(0, 8)}`;
    const preview = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
      token,
      raw: { type: "application/yaml", data: bankYaml(slug) },
    });
    await api.call("post", `/banks/previews/${preview.body.pendingId}/publication`, { token });
    const question = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });

    const source = await api.call("get", `/questions/${question.id}`, { token });
    expect(source.status).toBe(200);
    expect(source.body).toMatchObject({ externalId: `${slug}-1`, version: 1, bank: slug });
    const edited = (source.body.text as string).replace("Which status code", "Which HTTP status code");
    const saved = await api.call("post", `/questions/${question.id}/versions`, { token, body: { text: edited } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ changed: true, version: 2 });
    const broken = await api.call("post", `/questions/${question.id}/versions`, { token, body: { text: "id: [" } });
    expect(broken.status).toBe(422);

    const retired = await api.call("put", `/questions/${question.id}/retirement`, { token, body: { retired: true } });
    expect(retired.body).toEqual({ retired: true, bank: slug });
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: question.id } })).retiredAt).not.toBeNull();

    const other = await instructor();
    const refused = await api.call("get", `/questions/${question.id}`, { token: other.token });
    expect(refused.status).toBe(404);
    const learner = await createUser(t.prisma);
    const learnerToken = (await createToken(t.prisma, learner.id)).token;
    expect((await api.call("get", `/banks/${slug}`, { token: learnerToken })).status).toBe(403);
  });
});

describe("exam setup over the API", () => {
  it("creates, updates and publishes an exam that learners then see", async () => {
    const { user, token } = await instructor();
    const slug = `ci${randomUUID().slice(0, 8)}`;
    const preview = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
      token,
      raw: { type: "application/yaml", data: bankYaml(slug) },
    });
    await api.call("post", `/banks/previews/${preview.body.pendingId}/publication`, { token });
    const settings = {
      title: "CI module",
      slug: `exam-${slug}`,
      kind: "module",
      questionCount: 2,
      timeLimitMinutes: 10,
      passMarkPercent: 50,
      topics: [slug],
    };
    const created = await api.call("post", "/managed-exams", { token, body: settings });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: `exam-${slug}`, published: false, timeLimitSeconds: 600 });
    const unknownField = await api.call("post", "/managed-exams", { token, body: { ...settings, colour: "red" } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].field).toBe("colour");

    const updated = await api.call("put", `/managed-exams/exam-${slug}`, {
      token,
      body: { ...settings, title: "CI module, second edition", passMarkPercent: 60 },
    });
    expect(updated.body).toMatchObject({ title: "CI module, second edition", passMarkPercent: 60 });
    const published = await api.call("put", `/managed-exams/exam-${slug}/publication`, {
      token,
      body: { published: true },
    });
    expect(published.body.published).toBe(true);

    const list = await api.call("get", "/managed-exams", { token });
    expect(list.body.items.map((e: { slug: string }) => e.slug)).toContain(`exam-${slug}`);
    // It reaches the learners of a class it is shared with, and nobody else.
    const learner = await createUser(t.prisma);
    const outsider = await createUser(t.prisma);
    const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug: `exam-${slug}` } });
    const cls = await t.prisma.class.create({
      data: {
        name: "CI class",
        ownerId: user.id,
        joinCode: `C${randomUUID().replace(/-/g, "").slice(0, 11).toUpperCase()}`,
      },
    });
    await t.prisma.classMember.create({ data: { classId: cls.id, userId: learner.id } });
    await t.prisma.examShare.create({ data: { classId: cls.id, examId: exam.id } });
    const slugsFor = async (userId: string) => {
      const learnerToken = (await createToken(t.prisma, userId)).token;
      const exams = await api.call("get", "/exams?limit=100", { token: learnerToken });
      return exams.body.items.map((e: { slug: string }) => e.slug);
    };
    expect(await slugsFor(learner.id)).toContain(`exam-${slug}`);
    expect(await slugsFor(outsider.id)).not.toContain(`exam-${slug}`);
  });
});

describe("a class's gradebook over the API", () => {
  it("lists the class's learners for its instructor; 404 for another instructor, 403 for a learner", async () => {
    const { user, token } = await instructor();
    const other = await instructor();
    const learner = await createUser(t.prisma);
    const cls = await t.prisma.class.create({
      data: {
        name: "API class",
        ownerId: user.id,
        joinCode: `A${randomUUID().replace(/-/g, "").slice(0, 11).toUpperCase()}`,
      },
    });
    await t.prisma.classMember.create({ data: { classId: cls.id, userId: learner.id } });
    const book = await api.call("get", `/classes/${cls.id}/gradebook`, { token });
    expect(book.status).toBe(200);
    expect(book.body.class).toEqual({ id: cls.id, name: "API class" });
    expect(book.body.learners).toHaveLength(1);
    expect(book.body.learners[0]).toMatchObject({ id: learner.id, email: learner.email, cardsDue: 0 });
    const refused = await api.call("get", `/classes/${cls.id}/gradebook`, { token: other.token });
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain("API class");
    const learnerToken = (await createToken(t.prisma, learner.id)).token;
    expect((await api.call("get", `/classes/${cls.id}/gradebook`, { token: learnerToken })).status).toBe(403);
  });
});
