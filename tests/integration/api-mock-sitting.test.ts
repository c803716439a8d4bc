// A whole sitting of the shipped mock exam through the API, as a command-line client would do
// it: a token made on the account page, the exam found in the list, 60 questions read (no key,
// correctness or explanation anywhere before submitting), every answer saved, the attempt
// submitted, the result read. Its own database: the shipped banks and exams would change what
// other tests of the worker see (the readiness exam is the largest mock).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Client } from "pg";
import { systemClock } from "../../src/clock";
import { EXAMS_FILE, importService, listBankFiles, readSources } from "../../src/modules/banks";
import { createSqlSandbox } from "../../src/sql-sandbox";
import { examsService, parseExamDefinitions } from "../../src/modules/exams";
import { createUser } from "../factories/users";
import { ContractClient } from "../support/api";
import { createTestApp, type TestApp } from "../support/app";
import { login, tokenFor } from "../support/http";
import { itemsWithVersions } from "../support/items";

jest.setTimeout(120_000);

const root = path.resolve(__dirname, "../..");
const adminUrl = process.env.STACKPREP_TEST_ADMIN_URL!;
const name = `${process.env.STACKPREP_TEST_DB_PREFIX!}_apimock_${process.env.JEST_WORKER_ID ?? "1"}`;
let t: TestApp;
let api: ContractClient;

async function admin(sql: string) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${name}"`);
  await admin(`CREATE DATABASE "${name}" TEMPLATE "${process.env.STACKPREP_TEST_DB_PREFIX!}_template"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  t = await createTestApp({ route: () => url.toString() });
  const dir = path.join(root, "question-banks");
  // The shipped banks hold SQL exercises: their references run in the sandbox at import.
  const sandbox = createSqlSandbox(t.db, t.config);
  const report = await importService({
    prisma: t.prisma,
    clock: systemClock,
    maxBytes: 20 << 20,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  })
    .importBanks({ sources: await readSources(await listBankFiles([dir]), 20 << 20), actor: "operator" })
    .finally(() => sandbox.close());
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const examsFile = path.join(dir, EXAMS_FILE);
  const definitions = parseExamDefinitions(await readFile(examsFile, "utf8"), examsFile);
  await examsService({ prisma: t.prisma }).syncDefinitions({ definitions });
  api = await ContractClient.load(t.app);
});
afterAll(async () => {
  await t?.close();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

type Item = { position: number; type: string; options: { id: string; html: string }[]; seq: number };
type Body = { options?: { id: string; correct?: boolean }[]; answer?: boolean };

it("a learner sits the mock exam end to end with a token, never seeing a key before submitting", async () => {
  const user = await createUser(t.prisma);
  const agent = await login(t.app, user.email);
  const csrf = await tokenFor(agent, "/account");
  const page = await agent.post("/account/tokens").type("form").send({ _csrf: csrf, name: "cli", scope: "learner" });
  const token = /<code id="new-token">([^<]+)<\/code>/.exec(page.text)![1]!;

  const exams = await api.call("get", "/exams?limit=100", { token });
  // The list is newest first; the shipped diagnostic is a mock exam too.
  const mock = (exams.body.items as { slug: string; kind: string; questionCount: number }[]).find(
    (e) => e.kind === "mock" && e.slug === "backend-mock-exam",
  )!;
  expect(mock).toMatchObject({ slug: "backend-mock-exam", questionCount: 60 });
  // The mock exam's languages section draws from the stack chosen at the start.
  const started = await api.call("post", `/exams/${mock.slug}/attempts`, { token, body: { stack: "languages/node" } });
  expect(started.status).toBe(201);
  const id = started.body.id as string;

  const open = await api.call("get", `/attempts/${id}`, { token });
  const items = open.body.items as Item[];
  expect(items).toHaveLength(60);
  // The key is in the versions' bodies and explanations: none of it is in what was sent.
  const stored = await itemsWithVersions(t.prisma, {
    where: { attemptId: id },
    orderBy: { position: "asc" },
  });
  // The blueprint's type quota, as synced from exams.yaml: runnable SQL exercises on the form.
  const exam = await t.prisma.exam.findUniqueOrThrow({ where: { slug: "backend-mock-exam" } });
  expect(exam.typeQuota).toEqual({ sql: { sql: 2 }, "database-design": { sql: 1 } });
  const sqlIn = (topic: string) =>
    stored.filter((s) => s.questionVersion.type === "sql" && s.topicPath.split("/")[0] === topic).length;
  expect(sqlIn("sql")).toBeGreaterThanOrEqual(2);
  expect(sqlIn("database-design")).toBeGreaterThanOrEqual(1);
  expect(items.filter((i) => i.type === "sql").length).toBe(sqlIn("sql") + sqlIn("database-design"));
  expect(open.text).not.toMatch(/"(correct|explanation\w*|accept|answers|answer|key\w*|score)"\s*:/);
  for (const s of stored) {
    const explanation = s.questionVersion.explanationHtml.slice(0, 60);
    if (explanation.length > 20) expect(open.text).not.toContain(explanation);
  }

  // Right answers to the choice and true/false questions (from the database), wrong or none elsewhere.
  let expectedCorrect = 0;
  for (const item of items) {
    const body = stored[item.position - 1]!.questionVersion.body as Body;
    const correctIds = (body.options ?? []).filter((o) => o.correct).map((o) => o.id);
    let response: unknown = null;
    if (item.type === "single") response = { type: "single", optionId: correctIds[0] };
    else if (item.type === "multiple") response = { type: "multiple", optionIds: correctIds };
    else if (item.type === "truefalse") response = { type: "truefalse", value: body.answer };
    else if (item.type === "short") response = { type: "short", text: "certainly not the answer" };
    else if (item.type === "numeric") response = { type: "numeric", value: -987654321 };
    if (["single", "multiple", "truefalse"].includes(item.type)) expectedCorrect += 1;
    const saved = await api.call("put", `/attempts/${id}/answers/${item.position}`, {
      token,
      body: { seq: item.seq + 1, response, flagged: item.position === 7 },
    });
    expect(saved.status).toBe(200);
  }
  const reread = await api.call("get", `/attempts/${id}`, { token });
  expect(reread.body.items[6].flagged).toBe(true);

  const submitted = await api.call("post", `/attempts/${id}/submission`, { token });
  expect(submitted.status).toBe(200);
  const result = await api.call("get", `/attempts/${id}/result`, { token });
  expect(result.status).toBe(200);
  expect(result.body.total).toBe(60);
  expect(result.body.correctCount).toBe(expectedCorrect);
  expect(result.body.scorePercent).toBeCloseTo((expectedCorrect / 60) * 100, 0);
  const byTopic = result.body.topics as { total: number }[];
  expect(byTopic.reduce((n, topic) => n + topic.total, 0)).toBe(60);
  expect(result.body.review).toHaveLength(60);
  expect(result.body.review[0].keyHtml).toEqual(expect.any(String));

  const progress = await api.call("get", "/progress", { token });
  expect(progress.body.recentAttempts[0]).toMatchObject({ id });
});
