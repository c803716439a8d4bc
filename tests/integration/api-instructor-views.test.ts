// The instructor's views over the API: item statistics and the cohort of an exam they own,
// from learners' sittings through the API; another instructor's exam, bank and question
// answer 404 (as if they did not exist), while a learner's token is refused for its scope (403).
import { createHash, randomUUID } from "node:crypto";
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

const bankYaml = (slug: string) => `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Views bank ${slug}
topics:
  ${slug}: Views bank ${slug}
questions:
  - id: ${slug}-1
    topic: ${slug}
    difficulty: 2
    type: single
    stem: Which status code means Not Found?
    options:
      - text: "404"
        correct: true
      - text: "500"
    explanation: 404 is Not Found; 500 is a server error.
  - id: ${slug}-2
    topic: ${slug}
    difficulty: 1
    type: truefalse
    stem: GET is a safe method.
    answer: true
    explanation: Safe methods do not change state on the server.
`;

async function tokenOf(role: "learner" | "instructor") {
  const user = await createUser(t.prisma, { role });
  return (await createToken(t.prisma, user.id)).token;
}

/** An instructor's published bank and module exam over it. */
async function instructorExam(token: string) {
  const slug = `v${randomUUID().slice(0, 8)}`;
  const preview = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
    token,
    raw: { type: "application/yaml", data: bankYaml(slug) },
  });
  await api.call("post", `/banks/previews/${preview.body.pendingId}/publication`, { token });
  const exam = `exam-${slug}`;
  const settings = {
    title: "Views module",
    slug: exam,
    kind: "module",
    questionCount: 2,
    timeLimitMinutes: 10,
    passMarkPercent: 60,
    topics: [slug],
  };
  expect((await api.call("post", "/managed-exams", { token, body: settings })).status).toBe(201);
  await api.call("put", `/managed-exams/${exam}/publication`, { token, body: { published: true } });
  return { bank: slug, exam };
}

type Item = { position: number; type: string; options: { id: string; html: string }[] };

/** A learner sits the exam through the API: right on the single-choice question or not, true on the other. */
async function sit(exam: string, rightOnSingle: boolean) {
  const token = await tokenOf("learner");
  // The learner is in a class of the instructor's that the exam is shared with.
  const row = await t.prisma.exam.findUniqueOrThrow({ where: { slug: exam } });
  const cls = await t.prisma.class.create({
    data: {
      name: `Class of ${exam}`,
      ownerId: row.ownerId!,
      joinCode: randomUUID().replace(/-/g, "").slice(0, 12).toUpperCase(),
    },
  });
  const learner = await t.prisma.apiToken.findFirstOrThrow({
    where: { tokenHash: createHash("sha256").update(token).digest("hex") },
  });
  await t.prisma.classMember.create({ data: { classId: cls.id, userId: learner.userId } });
  await t.prisma.examShare.create({ data: { classId: cls.id, examId: row.id } });
  const started = await api.call("post", `/exams/${exam}/attempts`, { token, body: {} });
  const open = await api.call("get", `/attempts/${started.body.id}`, { token });
  let seq = 1;
  for (const item of open.body.items as Item[]) {
    const response =
      item.type === "single"
        ? { type: "single", optionId: item.options.find((o) => o.html.includes("404") === rightOnSingle)!.id }
        : { type: "truefalse", value: true };
    await api.call("put", `/attempts/${started.body.id}/answers/${item.position}`, {
      token,
      body: { seq: seq++, response },
    });
  }
  expect((await api.call("post", `/attempts/${started.body.id}/submission`, { token })).status).toBe(200);
}

describe("an instructor's exam over the API", () => {
  it("shows item statistics and the cohort of the learners who sat it", async () => {
    const token = await tokenOf("instructor");
    const { bank, exam } = await instructorExam(token);
    const empty = await api.call("get", `/managed-exams/${exam}/item-statistics`, { token });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ exam: { slug: exam, title: "Views module" }, questions: [] });

    await sit(exam, true);
    await sit(exam, true);
    await sit(exam, false);

    const stats = await api.call("get", `/managed-exams/${exam}/item-statistics`, { token });
    expect(stats.status).toBe(200);
    const byId = new Map(
      (
        stats.body.questions as {
          externalId: string;
          bank: string;
          statistics: { responses: number; facility: number };
        }[]
      ).map((q) => [q.externalId, q]),
    );
    expect(byId.get(`${bank}-1`)).toMatchObject({ bank, statistics: { responses: 3 } });
    expect(byId.get(`${bank}-1`)!.statistics.facility).toBeCloseTo(2 / 3);
    expect(byId.get(`${bank}-2`)!.statistics).toMatchObject({ responses: 3, facility: 1 });
    // The same figures as the bank's own statistics, which count the same attempts.
    const bankView = await api.call("get", `/banks/${bank}`, { token });
    const single = (bankView.body.questions as { externalId: string; statistics: unknown }[]).find(
      (q) => q.externalId === `${bank}-1`,
    )!;
    expect(single.statistics).toEqual(byId.get(`${bank}-1`)!.statistics);

    const cohort = await api.call("get", `/managed-exams/${exam}/cohort`, { token });
    expect(cohort.status).toBe(200);
    expect(cohort.body).toMatchObject({ exam: { slug: exam, passMarkPercent: 60 }, learners: 3 });
    expect(cohort.body.passRate).toBeCloseTo(2 / 3);
    expect(cohort.body.bins[10 - 1].learners).toBe(2);
    expect(cohort.body.bins[5].learners).toBe(1);
    expect(cohort.body.weakestTopics).toEqual([{ topic: bank, answers: 6, scorePercent: expect.closeTo(500 / 6, 5) }]);
    // Totals only: nothing names a learner.
    expect(cohort.text).not.toMatch(/"email"|"userId"/);
  });

  it("answers 404 for another instructor's exam, bank and question, 403 for a learner's token", async () => {
    const owner = await tokenOf("instructor");
    const { bank, exam } = await instructorExam(owner);
    const question = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${bank}-1` } });
    const other = await tokenOf("instructor");
    const settings = {
      title: "Taken over",
      slug: exam,
      kind: "module",
      questionCount: 2,
      timeLimitMinutes: 10,
      passMarkPercent: 60,
      topics: [bank],
    };
    const calls: [method: "get" | "put" | "post", path: string, body?: unknown][] = [
      ["get", `/managed-exams/${exam}/item-statistics`],
      ["get", `/managed-exams/${exam}/cohort`],
      ["put", `/managed-exams/${exam}`, settings],
      ["put", `/managed-exams/${exam}/publication`, { published: false }],
      ["get", `/banks/${bank}`],
      ["get", `/banks/${bank}/export`],
      ["get", `/questions/${question.id}`],
      ["post", `/questions/${question.id}/versions`, { text: "id: x" }],
      ["put", `/questions/${question.id}/retirement`, { retired: true }],
    ];
    for (const [method, path, body] of calls) {
      const res = await api.call(method, path, { token: other, ...(body ? { body } : {}) });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body.code).toBe("not_found");
      expect(res.text).not.toMatch(/someone else|belongs/);
    }
    // A slug or id that does not exist answers the same.
    const unknown = await api.call("get", `/managed-exams/exam-nobody${bank}/cohort`, { token: other });
    expect(unknown.status).toBe(404);
    // Nothing changed.
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: question.id } })).retiredAt).toBeNull();
    expect((await t.prisma.exam.findUniqueOrThrow({ where: { slug: exam } })).published).toBe(true);

    const learner = await tokenOf("learner");
    for (const path of [`/managed-exams/${exam}/cohort`, `/managed-exams/${exam}/item-statistics`, `/banks/${bank}`]) {
      const res = await api.call("get", path, { token: learner });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("insufficient_scope");
    }
  });
});
