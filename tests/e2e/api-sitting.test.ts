// A whole sitting of the shipped mock exam through the public API, against the app listening on
// a real port, as a client outside it does it: a learner makes a token on the account page in
// Chromium and then talks plain HTTP (fetch, `Authorization: Bearer`, no cookie) exactly as
// docs/api.md's curl examples do: the exam found in the list, the attempt started and read,
// all 60 answers saved with their sequence numbers, the submission sent twice, the result read;
// no response before the submission carries a key, a correctness, an explanation or a model
// answer. An instructor, with a token from `npm run user -- token` (its last line), uploads a
// bank and publishes it, as the CI script of docs/api.md does. Every response is checked
// against /api/v1/openapi.json. Its own database: the shipped banks and exams
// (tests/support/shipped.ts).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createUser, PASSWORD } from "../factories/users";
import { HttpContractClient, type HttpResponse } from "../support/api";
import { startE2E, type E2E } from "../support/browser";
import { loadShippedContent, ownDatabase } from "../support/shipped";
import { itemsWithVersions } from "../support/items";

jest.setTimeout(240_000);

const root = path.resolve(__dirname, "../..");
let e: E2E;
let api: HttpContractClient;
let drop: () => Promise<void>;
let databaseUrl: string;
beforeAll(async () => {
  const own = await ownDatabase("e2eapi");
  drop = own.drop;
  databaseUrl = own.url;
  e = await startE2E({ route: () => own.url });
  await loadShippedContent(e.t);
  api = await HttpContractClient.load(e.baseUrl);
});
afterAll(async () => {
  await e?.close();
  await drop?.();
});

type Item = { position: number; type: string; options: { id: string; html: string }[]; seq: number };
type Key = {
  options?: { id: string; correct?: boolean }[];
  answer?: boolean;
  reference?: string;
  modelAnswer?: string;
};

/** Names a key, a marking or an explanation would come under in a body. */
const KEYED = /"(correct\w*|explanation\w*|accept|answers?|key\w*|score\w*|reference|modelAnswer|feedback)"\s*:/;

it("a learner sits the mock exam through the API with a token from the account page, seeing no key before submitting", async () => {
  const learner = await createUser(e.t.prisma);
  const page = await e.browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${e.baseUrl}/login?next=/account`);
  await page.getByLabel("Email").fill(learner.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Personal access tokens" }).waitFor();
  await page.getByLabel("Name").fill("phone app");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.locator("#new-token").innerText()).trim();
  expect(token).toMatch(/^spat_[A-Za-z0-9_-]{43}$/);
  await page.close();

  // Everything the learner receives until the submission, checked at the end.
  const whileOpen: HttpResponse[] = [];
  const open = async (...args: Parameters<HttpContractClient["call"]>) => {
    const res = await api.call(...args);
    whileOpen.push(res);
    return res;
  };

  // curl -s -H "$AUTH" "$API/exams"
  const exams = await open("get", "/exams?limit=100", { token });
  expect(exams.status).toBe(200);
  const mock = (exams.body.items as { slug: string; kind: string; questionCount: number }[]).find(
    (x) => x.slug === "backend-mock-exam",
  );
  expect(mock).toMatchObject({ kind: "mock", questionCount: 60 });

  // The mock exam's languages section needs a stack: a start without one is refused naming it.
  const unchosen = await open("post", "/exams/backend-mock-exam/attempts", { token });
  expect(unchosen.status).toBe(400);
  expect(unchosen.body.errors[0]).toMatchObject({ field: "stack" });
  expect(unchosen.body.errors[0].message).toContain("languages/node");
  // curl -s -X POST -H "$AUTH" -H "Content-Type: application/json" -d '{"stack":"languages/node"}' ...
  const started = await open("post", "/exams/backend-mock-exam/attempts", {
    token,
    body: { stack: "languages/node" },
  });
  expect(started.status).toBe(201);
  expect(started.body.resumed).toBe(false);
  const id = started.body.id as string;
  expect(started.headers.location).toBe(`/api/v1/attempts/${id}`);
  const again = await open("post", "/exams/backend-mock-exam/attempts", { token, body: { stack: "languages/node" } });
  expect([again.status, again.body]).toEqual([200, { id, resumed: true }]);

  const attempt = await open("get", `/attempts/${id}`, { token });
  expect(attempt.body.status).toBe("open");
  const items = attempt.body.items as Item[];
  expect(items.map((i) => i.position)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  // The result waits for the submission.
  const early = await open("get", `/attempts/${id}/result`, { token });
  expect([early.status, early.body.code]).toEqual([409, "attempt_open"]);

  // The key, from the database: right answers to the choice and true/false questions, wrong
  // ones to short, numeric and SQL, the order as shown for ordering questions.
  const stored = await itemsWithVersions(e.t.prisma, {
    where: { attemptId: id },
    orderBy: { position: "asc" },
  });
  const expectedCorrect = new Map<number, boolean>();
  for (const item of items) {
    const key = stored[item.position - 1]!.questionVersion.body as Key;
    const correctIds = (key.options ?? []).filter((o) => o.correct).map((o) => o.id);
    let response: unknown;
    if (item.type === "single") response = { type: "single", optionId: correctIds[0] };
    else if (item.type === "multiple") response = { type: "multiple", optionIds: correctIds };
    else if (item.type === "truefalse") response = { type: "truefalse", value: key.answer };
    else if (item.type === "short") response = { type: "short", text: "certainly not the answer" };
    else if (item.type === "numeric") response = { type: "numeric", value: -987654321 };
    else if (item.type === "sql") response = { type: "sql", query: "SELECT 42 AS not_the_answer" };
    else if (item.type === "ordering") response = { type: "ordering", itemIds: item.options.map((o) => o.id) };
    else throw new Error(`the mock exam has a ${item.type} question: answer it here`);
    if (item.type !== "ordering")
      expectedCorrect.set(item.position, ["single", "multiple", "truefalse"].includes(item.type));
    // curl -s -X PUT -H "$AUTH" -H "Content-Type: application/json" -d '{"seq":1,...}' "$API/attempts/$ID/answers/1"
    const saved = await open("put", `/attempts/${id}/answers/${item.position}`, {
      token,
      body: { seq: item.seq + 1, response, flagged: item.position === 7 },
    });
    expect([saved.status, saved.body]).toEqual([200, { saved: true, seq: item.seq + 1 }]);
  }
  // A save with a sequence number already used is a stale tab's, refused.
  const stale = await open("put", `/attempts/${id}/answers/1`, {
    token,
    body: { seq: 1, response: null, flagged: false },
  });
  expect([stale.status, stale.body.code]).toEqual([409, "stale_answer"]);
  const reread = await open("get", `/attempts/${id}`, { token });
  expect((reread.body.items as Item[]).map((i) => i.seq)).toEqual(items.map((i) => i.seq + 1));
  expect(reread.body.items[6].flagged).toBe(true);
  expect(reread.body.items[0].response).not.toBeNull();

  // Nothing sent while the attempt was open names a key or carries an explanation, a model
  // answer or an SQL exercise's reference statement.
  expect(whileOpen.length).toBeGreaterThan(65);
  for (const res of whileOpen) expect(res.text).not.toMatch(KEYED);
  const secrets = stored.flatMap((s) => {
    const key = s.questionVersion.body as Key;
    return [s.questionVersion.explanationHtml.slice(0, 60), key.reference ?? "", key.modelAnswer ?? ""];
  });
  const everything = whileOpen.map((r) => r.text).join("\n");
  for (const secret of secrets.filter((x) => x.length > 20)) expect(everything).not.toContain(secret);

  // curl -s -X POST -H "$AUTH" "$API/attempts/$ID/submission", twice: the same answer, one grading.
  const submitted = await api.call("post", `/attempts/${id}/submission`, { token });
  expect(submitted.status).toBe(200);
  expect(submitted.body).toMatchObject({ id, status: "submitted", result: expect.any(String) });
  const resubmitted = await api.call("post", `/attempts/${id}/submission`, { token });
  expect([resubmitted.status, resubmitted.body]).toEqual([200, submitted.body]);
  const row = await e.t.prisma.attempt.findUniqueOrThrow({ where: { id } });
  expect(row.submittedAt?.toISOString()).toBe(submitted.body.submittedAt);

  const result = await api.call("get", `/attempts/${id}/result`, { token });
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ id, total: 60, submittedBy: "learner", reviewAvailable: true });
  const review = result.body.review as { position: number; correct: boolean; score: number; keyHtml: string }[];
  expect(review).toHaveLength(60);
  for (const [position, correct] of expectedCorrect)
    expect([position, review[position - 1]!.correct]).toEqual([position, correct]);
  const correctCount = review.reduce((n, r) => n + r.score, 0);
  expect(result.body.correctCount).toBeCloseTo(correctCount, 5);
  expect(result.body.scorePercent).toBeCloseTo((correctCount / 60) * 100, 0);
  expect(result.body.passed).toBe(result.body.scorePercent >= 70);
  // The per-topic breakdown covers the blueprint's 15 topics of 4 questions each.
  const topics = result.body.topics as { topicPath: string; total: number; correct: number }[];
  expect(topics.reduce((n, topic) => n + topic.total, 0)).toBe(60);
  expect(topics.length).toBeGreaterThanOrEqual(10);
  expect(topics.reduce((n, topic) => n + topic.correct, 0)).toBeCloseTo(correctCount, 5);
  // After the submission the key is there to review.
  expect(review.every((r) => r.keyHtml.length > 0)).toBe(true);
  // A read repeated with its ETag is not sent again (fetch adds Cache-Control: no-cache to it).
  const cached = await api.call("get", `/attempts/${id}/result`, {
    token,
    headers: { "If-None-Match": result.headers.etag! },
  });
  expect(cached.status).toBe(304);
});

it("an instructor with a token from `npm run user -- token` uploads a bank and publishes it, as a CI job does", async () => {
  const instructor = await createUser(e.t.prisma, { role: "instructor" });
  // npm run user -- token --email ci@example.org --scope instructor --name "CI upload" --days 365
  // (npm run user builds dist/ first; jest's global setup has built it.)
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(root, "dist/cli/user.js"),
      "token",
      "--email",
      instructor.email,
      "--scope",
      "instructor",
      "--name",
      "CI upload",
      "--days",
      "365",
    ],
    { cwd: root, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" } },
  );
  const lines = stdout.trim().split("\n");
  expect(lines.at(-2)).toContain(`created a instructor token "CI upload" for ${instructor.email}`);
  const token = lines.at(-1)!; // | tail -n 1
  expect(token).toMatch(/^spat_[A-Za-z0-9_-]{43}$/);

  const slug = `ci-${Date.now().toString(36)}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "stackprep-e2e-api-"));
  const file = path.join(dir, `${slug}.yaml`);
  await writeFile(
    file,
    [
      "format: stackprep-bank/1",
      `bank: { slug: ${slug}, title: HTTP status codes }`,
      "topics:",
      `  ${slug}: HTTP status codes`,
      "questions:",
      "  - id: created",
      `    topic: ${slug}`,
      "    type: single",
      "    difficulty: 1",
      "    stem: Which status code says a new resource was created?",
      '    options: [{ text: "201", correct: true }, { text: "200" }, { text: "204" }]',
      "    explanation: 201 Created answers a request that made a resource.",
      "  - id: put-idempotent",
      `    topic: ${slug}`,
      "    type: truefalse",
      "    difficulty: 1",
      "    stem: PUT is idempotent.",
      "    answer: true",
      "    explanation: Repeating a PUT leaves the same state.",
      "",
    ].join("\n"),
  );
  try {
    // curl -sS --fail-with-body -X POST -H "$AUTH" -H "Content-Type: application/yaml" \
    //   --data-binary @banks/http-status.yaml "$API/banks/previews?fileName=http-status.yaml"
    const preview = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
      token,
      raw: { type: "application/yaml", data: await readFile(file) },
    });
    expect(preview.status).toBe(201);
    const pendingId = preview.body.pendingId as string;
    expect(pendingId).toEqual(expect.any(String));
    expect(await e.t.prisma.bank.findUnique({ where: { slug } })).toBeNull(); // only previewed

    // curl -sS --fail-with-body -X POST -H "$AUTH" "$API/banks/previews/$PENDING/publication"
    const published = await api.call("post", `/banks/previews/${pendingId}/publication`, { token });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: "published", bank: slug });
    const again = await api.call("post", `/banks/previews/${pendingId}/publication`, { token });
    expect([again.status, again.body]).toEqual([200, { status: "already-published", bank: slug, report: null }]);
    const bank = await e.t.prisma.bank.findUniqueOrThrow({
      where: { slug },
      include: { _count: { select: { questions: true } } },
    });
    expect(bank.ownerId).toBe(instructor.id);
    expect(bank._count.questions).toBe(2);

    // curl -sS --fail -H "$AUTH" "$API/banks/$SLUG/export?format=yaml" -o http-status.yaml
    const exported = await api.call("get", `/banks/${slug}/export?format=yaml`, { token });
    expect(exported.status).toBe(200);
    expect(exported.text).toContain("Which status code says a new resource was created?");

    // A learner's token cannot upload.
    const learner = await createUser(e.t.prisma);
    const { stdout: learnerOut } = await promisify(execFile)(
      process.execPath,
      [path.join(root, "dist/cli/user.js"), "token", "--email", learner.email],
      { cwd: root, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" } },
    );
    const refused = await api.call("post", `/banks/previews?fileName=${slug}.yaml`, {
      token: learnerOut.trim().split("\n").at(-1)!,
      raw: { type: "application/yaml", data: await readFile(file) },
    });
    expect([refused.status, refused.body.code]).toEqual([403, "insufficient_scope"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
