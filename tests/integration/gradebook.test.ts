// A class's gradebook: a row per learner with their attempts, scores, mastery, cards due and
// last activity; sorting, CSV, the learner's attempt reviews for their instructor, and the
// public exam's cohort restricted to an instructor's own learners.
import { randomUUID } from "node:crypto";
import { createExamFixture, LEAK, withStoredIds } from "../factories/exams";
import { createUser } from "../factories/users";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { sitAttempt, startAttempt } from "../support/attempts";
import { login, tokenFor, type Agent } from "../support/http";

const clock = new TestClock(new Date("2026-09-01T12:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const person = async (role: "learner" | "instructor" | "admin" = "learner", displayName?: string) => {
  const user = await createUser(t.prisma, { role, ...(displayName ? { displayName } : {}) });
  return { user, agent: await login(t.app, user.email) };
};

async function post(agent: Agent, path: string, body: Record<string, string> = {}, from = "/classes") {
  const csrf = await tokenFor(agent, from);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}

async function createClass(agent: Agent, name: string) {
  const res = await post(agent, "/classes", { name });
  expect(res.status).toBe(303);
  const id = /\/teach\/classes\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
  return { id, code: (await t.prisma.class.findUniqueOrThrow({ where: { id } })).joinCode };
}

/** Sits the fixture exam (question n at position n), answers by letter in the file's order. */
const sit = async (agent: Agent, examSlug: string, bankSlug: string, answers: Record<number, unknown>) =>
  sitAttempt(
    agent,
    examSlug,
    await Promise.all(
      Object.entries(answers).map(async ([position, response]) => ({
        position: Number(position),
        response: await withStoredIds(t.prisma, bankSlug, Number(position), response),
      })),
    ),
  );

/** The CSV's rows as arrays of cells (enough of RFC 4180 for these tests). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== "," && ch !== "\r" && ch !== "\n")) {
      cell += ch;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    }
  }
  return rows;
}

const tbody = (html: string) => html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
const order = (html: string, names: string[]) => {
  const body = tbody(html);
  return [...names].sort((a, b) => body.indexOf(a) - body.indexOf(b));
};

describe("a class's gradebook", () => {
  it("lists each learner's attempts, scores, mastery, cards due and last activity; sorts; exports CSV", async () => {
    const teacher = await person("instructor");
    const { slug: bankSlug, exam } = await createExamFixture(t.prisma, { reviewPolicy: "never" });
    await t.prisma.exam.update({ where: { id: exam.id }, data: { ownerId: teacher.user.id } });
    const { id, code } = await createClass(teacher.agent, `Gradebook ${bankSlug}`);
    const shared = await post(
      teacher.agent,
      `/teach/classes/${id}/exams/${exam.slug}/share`,
      { shared: "true" },
      `/teach/classes/${id}`,
    );
    expect(shared.status).toBe(303);

    const tag = randomUUID().slice(0, 6);
    const ann = await person("learner", `Ann ${tag}`);
    const bob = await person("learner", `=HYPERLINK("http://x") ${tag}`);
    const cat = await person("learner", `Cat, "the" Third ${tag}`);
    for (const p of [ann, bob, cat]) expect((await post(p.agent, "/classes/join", { code })).status).toBe(303);

    // Ann: two attempts (two right, then one right); Bob: one with a single wrong answer; Cat: none.
    const annFirst = await sit(ann.agent, exam.slug, bankSlug, {
      1: { type: "single", optionId: "a" },
      3: { type: "truefalse", value: true },
    });
    clock.advance(60_000);
    const annSecond = await sit(ann.agent, exam.slug, bankSlug, { 1: { type: "single", optionId: "a" } });
    // Bob answers one question wrongly (a wrong answer makes a review card; blanks make none).
    await sit(bob.agent, exam.slug, bankSlug, { 3: { type: "truefalse", value: false } });
    const bobOpen = await startAttempt(bob.agent, exam.slug);
    const annScores = (
      await t.prisma.attempt.findMany({ where: { userId: ann.user.id }, orderBy: { submittedAt: "asc" } })
    ).map((a) => a.scorePercent!);
    expect(annScores[0]).toBeGreaterThan(annScores[1]!);

    const page = await teacher.agent.get(`/teach/classes/${id}/gradebook`);
    expect(page.status).toBe(200);
    const body = tbody(page.text);
    expect(body).toContain(`Ann ${tag}`);
    expect(body).toContain(`Cat, &#34;the&#34; Third ${tag}`);
    expect(page.text).toContain(`Exam ${bankSlug}: best`);
    expect(page.text).toContain(`${annScores[0]!.toFixed(1)}%`);
    // From Ann's row: her two submitted attempts; Bob's open attempt is linked nowhere.
    expect(body).toContain(`/attempts/${annFirst}/review`);
    expect(body).toContain(`/attempts/${annSecond}/review`);
    expect(page.text).not.toContain(bobOpen);
    expect(page.text).toContain(`/teach/exams/${exam.slug}/cohort?class=${id}`);
    expect(page.text).toContain("have no estimate");

    // Sorting by best score: empty cells last in both directions, ties by name.
    const names = [`Ann ${tag}`, `Cat, &#34;the&#34; Third ${tag}`, `=HYPERLINK(&#34;http://x&#34;) ${tag}`];
    const byBest = (dir: string) =>
      teacher.agent.get(
        `/teach/classes/${id}/gradebook?sort=${encodeURIComponent(`exam:${exam.slug}:best`)}&dir=${dir}`,
      );
    const desc = await byBest("desc");
    expect(order(desc.text, names)).toEqual([names[0], names[2], names[1]]);
    expect(desc.text).toContain('aria-sort="descending"');
    const asc = await byBest("asc");
    expect(order(asc.text, names)).toEqual([names[2], names[0], names[1]]);
    // By name by default, and for a column that does not exist.
    const byName = await teacher.agent.get(`/teach/classes/${id}/gradebook?sort=nothing`);
    expect(byName.status).toBe(200);
    expect(order(byName.text, names)).toEqual([names[2], names[0], names[1]]);

    // CSV: an attachment, quoted where needed, formulas defused, in the page's order.
    const csv = await teacher.agent.get(
      `/teach/classes/${id}/gradebook.csv?sort=${encodeURIComponent(`exam:${exam.slug}:best`)}&dir=desc`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="?gradebook-Gradebook-x[0-9a-f]+\.csv/);
    expect(csv.text).toContain(`"Cat, ""the"" Third ${tag}"`);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"") ${tag}"`);
    expect(csv.text).not.toMatch(/(^|,)"?=/m);
    const [header, ...rows] = parseCsv(csv.text);
    const col = (label: string) => header!.indexOf(label);
    expect(rows.map((r) => r[0])).toEqual([`Ann ${tag}`, `'=HYPERLINK("http://x") ${tag}`, `Cat, "the" Third ${tag}`]);
    const [annRow, bobRow, catRow] = rows as [string[], string[], string[]];
    expect(annRow[col("Email")]).toBe(ann.user.email);
    expect(annRow[col(`Exam ${bankSlug}: attempts`)]).toBe("2");
    expect(Number(annRow[col(`Exam ${bankSlug}: best`)])).toBe(annScores[0]);
    expect(Number(annRow[col(`Exam ${bankSlug}: last`)])).toBe(annScores[1]);
    expect(bobRow[col(`Exam ${bankSlug}: attempts`)]).toBe("1");
    expect(Number(bobRow[col(`Exam ${bankSlug}: best`)])).toBe(0);
    expect(catRow[col(`Exam ${bankSlug}: attempts`)]).toBe("0");
    expect(catRow[col(`Exam ${bankSlug}: best`)]).toBe("");
    // Cards due: Bob's miss became a card due now.
    const dueNow = (userId: string) => t.prisma.reviewItem.count({ where: { userId, due: { lte: clock.now() } } });
    expect(Number(bobRow[col("Cards due")])).toBe(await dueNow(bob.user.id));
    expect(Number(bobRow[col("Cards due")])).toBeGreaterThan(0);
    expect(catRow[col("Cards due")]).toBe("0");
    // Mastery of the exam's topic, and the latest activity (Ann's last answer).
    const mastery = col(`Exam bank ${bankSlug}: mastery`);
    expect(mastery).toBeGreaterThan(0);
    expect(Number(annRow[mastery])).toBeGreaterThan(Number(bobRow[mastery]));
    expect(catRow[mastery]).toBe("");
    expect(annRow[col("Last active (UTC)")]).toBe(clock.now().toISOString());
    expect(catRow[col("Last active (UTC)")]).toBe("");
  });
});

describe("reading a learner's attempt from the gradebook", () => {
  it("is for the class's instructor and admins, read-only with keys; never an open attempt; 404 for anyone else", async () => {
    const teacher = await person("instructor");
    const other = await person("instructor");
    const admin = await person("admin");
    const { slug: bankSlug, exam } = await createExamFixture(t.prisma, { reviewPolicy: "never" });
    await t.prisma.exam.update({ where: { id: exam.id }, data: { ownerId: teacher.user.id } });
    const { id, code } = await createClass(teacher.agent, `Reviews ${bankSlug}`);
    await post(
      teacher.agent,
      `/teach/classes/${id}/exams/${exam.slug}/share`,
      { shared: "true" },
      `/teach/classes/${id}`,
    );
    const ann = await person();
    const bob = await person();
    for (const p of [ann, bob]) await post(p.agent, "/classes/join", { code });
    const submitted = await sit(ann.agent, exam.slug, bankSlug, { 1: { type: "single", optionId: "a" } });
    const open = await startAttempt(bob.agent, exam.slug);

    const review = await teacher.agent.get(`/attempts/${submitted}/review`);
    expect(review.status).toBe(200);
    expect(review.text).toContain("read-only review");
    expect(review.text).toContain(ann.user.email);
    // Keys and explanations, though the exam shows its learners none.
    expect(review.text).toContain(`${LEAK}-1`);
    expect(review.text).not.toContain(`/attempts/${submitted}/retry`);
    expect((await ann.agent.get(`/attempts/${submitted}/result`)).text).not.toContain(LEAK);
    // Its learner is sent to their own result page.
    const own = await ann.agent.get(`/attempts/${submitted}/review`);
    expect(own.status).toBe(303);
    expect(own.headers.location).toBe(`/attempts/${submitted}/result`);
    expect((await admin.agent.get(`/attempts/${submitted}/review`)).status).toBe(200);

    for (const outsider of [other, bob]) {
      const res = await outsider.agent.get(`/attempts/${submitted}/review`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(LEAK);
    }
    // An open attempt is its learner's alone, even for the class's instructor and an admin.
    for (const reader of [teacher, admin]) {
      const res = await reader.agent.get(`/attempts/${open}/review`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(LEAK);
    }
    // Another instructor, the learner and a member learner cannot open the gradebook.
    expect((await other.agent.get(`/teach/classes/${id}/gradebook`)).status).toBe(404);
    expect((await other.agent.get(`/teach/classes/${id}/gradebook.csv`)).status).toBe(404);
    expect((await ann.agent.get(`/teach/classes/${id}/gradebook`)).status).toBe(403);
    expect((await admin.agent.get(`/teach/classes/${id}/gradebook`)).status).toBe(200);

    // Once the learner is no longer in the class, their attempts are out of the instructor's reach.
    await post(teacher.agent, `/classes/${id}/members/${ann.user.id}/removal`, {}, `/teach/classes/${id}`);
    expect((await teacher.agent.get(`/attempts/${submitted}/review`)).status).toBe(404);
  });
});

describe("the public exam's cohort", () => {
  it("an instructor sees it among their own classes' learners only; admins see everyone", async () => {
    // The fixture's exam has no owner: a public exam, like the shipped ones.
    const { slug: bankSlug, exam } = await createExamFixture(t.prisma);
    const teacher = await person("instructor");
    const admin = await person("admin");
    const mine = await person();
    const stranger = await person();
    await sit(mine.agent, exam.slug, bankSlug, { 1: { type: "single", optionId: "a" } });
    await sit(stranger.agent, exam.slug, bankSlug, {});

    const before = await teacher.agent.get(`/teach/exams/${exam.slug}/cohort`);
    expect(before.status).toBe(200);
    expect(before.text).toContain("you have no learners yet");
    expect(before.text).toContain("0 learner(s) submitted");

    const { id, code } = await createClass(teacher.agent, `Cohort ${bankSlug}`);
    await post(mine.agent, "/classes/join", { code });
    const after = await teacher.agent.get(`/teach/exams/${exam.slug}/cohort`);
    expect(after.status).toBe(200);
    expect(after.text).toContain("only the learners of your classes are counted (1 learner(s))");
    expect(after.text).toContain("1 learner(s) submitted");
    const ofClass = await teacher.agent.get(`/teach/exams/${exam.slug}/cohort?class=${id}`);
    expect(ofClass.text).toContain("1 learner(s) submitted");

    const all = await admin.agent.get(`/teach/exams/${exam.slug}/cohort`);
    expect(all.status).toBe(200);
    expect(all.text).toContain("2 learner(s) submitted");
    // Another instructor's class is not theirs to narrow to; learners see no cohort.
    const other = await person("instructor");
    expect((await other.agent.get(`/teach/exams/${exam.slug}/cohort?class=${id}`)).status).toBe(404);
    expect((await mine.agent.get(`/teach/exams/${exam.slug}/cohort`)).status).toBe(403);
  });
});
