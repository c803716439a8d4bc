// Classes: an instructor's own learners see what the class shares, and nobody else does.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { createUser } from "../factories/users";
import { miniBank } from "../support/banks";
import { createTestApp, TestClock, type TestApp } from "../support/app";
import { csrfFrom, login, tokenFor, type Agent } from "../support/http";

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const person = async (role: "learner" | "instructor" | "admin" = "learner") => {
  const user = await createUser(t.prisma, { role });
  return { user, agent: await login(t.app, user.email) };
};

async function post(agent: Agent, path: string, body: Record<string, string> = {}, from = "/classes") {
  const csrf = await tokenFor(agent, from);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}

/** An instructor's bank, uploaded and published through the pages. */
async function uploadBank(agent: Agent, slug: string) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  const preview = await agent
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach(
      "file",
      Buffer.from(
        miniBank(
          slug,
          [1, 2, 3, 4].map((n) => ({ id: `${slug}-${n}`, stem: `Private stem ${slug} number ${n}?` })),
          [{ id: `${slug}-c1`, front: `Private card ${slug}` }],
        ),
      ),
      `${slug}.yaml`,
    );
  expect(preview.status).toBe(200);
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(preview.text)![1]!;
  expect(
    (
      await agent
        .post(action)
        .type("form")
        .send({ _csrf: csrfFrom(preview.text) })
    ).status,
  ).toBe(303);
}

async function createClass(agent: Agent, name: string) {
  const res = await post(agent, "/classes", { name, description: "Tuesday evening group" });
  expect(res.status).toBe(303);
  const id = /\/teach\/classes\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
  const cls = await t.prisma.class.findUniqueOrThrow({ where: { id } });
  return { id, code: cls.joinCode };
}

async function createExam(agent: Agent, examSlug: string, topic: string, extra: Record<string, string> = {}) {
  const res = await post(
    agent,
    "/teach/exams",
    {
      title: `Exam ${examSlug}`,
      slug: examSlug,
      kind: "module",
      questionCount: "3",
      timeLimitMinutes: "10",
      passMarkPercent: "60",
      attempts: "",
      review: "after_submit",
      closesAt: "",
      topics: topic,
      ...extra,
    },
    "/teach/exams/new",
  );
  expect(res.status).toBe(303);
  expect((await post(agent, `/teach/exams/${examSlug}/publication`, { published: "true" }, "/teach")).status).toBe(303);
}

/**
 * The catalogue pages on which `text` appears (the home page's topic list, not the learner's
 * own open attempts, which they keep whatever happens to the class).
 */
const sees = async (agent: Agent, text: string) => {
  const paths = ["/", "/exams", "/exams/custom", "/progress", "/review", "/review/cards"];
  const pages = await Promise.all(paths.map((p) => agent.get(p)));
  return paths.filter((p, i) => {
    const html = pages[i]!.text;
    return (p === "/" ? html.slice(html.indexOf("topics-heading")) : html).includes(text);
  });
};

describe("a class shares a bank and an exam with its learners only", () => {
  it("an instructor creates a class, shares; a learner joins with the code and takes the exam; outsiders see nothing", async () => {
    const teacher = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    const { id, code } = await createClass(teacher.agent, `Class ${slug}`);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    const page = await teacher.agent.get(`/teach/classes/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(code.slice(0, 4));

    await createExam(teacher.agent, `exam-${slug}`, slug);
    const member = await person();
    const outsider = await person();
    // Before sharing nobody sees the bank's topic or the exam.
    expect(await sees(member.agent, `Bank ${slug}`)).toEqual([]);
    expect((await member.agent.get("/exams")).text).not.toContain(`Exam exam-${slug}`);

    expect(
      (
        await post(
          teacher.agent,
          `/teach/classes/${id}/banks/${slug}/share`,
          { shared: "true" },
          `/teach/classes/${id}`,
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await post(
          teacher.agent,
          `/teach/classes/${id}/exams/exam-${slug}/share`,
          { shared: "true" },
          `/teach/classes/${id}`,
        )
      ).status,
    ).toBe(303);

    // The learner types the code as people do: lower case, with dashes.
    const joined = await post(member.agent, "/classes/join", {
      code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`.toLowerCase(),
    });
    expect(joined.status).toBe(303);
    expect((await member.agent.get("/classes")).text).toContain(`Class ${slug}`);
    expect((await member.agent.get("/")).text).toContain(`Bank ${slug}`);
    expect((await member.agent.get("/exams/custom")).text).toContain(`Bank ${slug}`);
    expect((await member.agent.get("/exams")).text).toContain(`Exam exam-${slug}`);

    // The member takes the exam: its questions come from the shared bank.
    const started = await post(member.agent, `/exams/exam-${slug}/attempts`, { mode: "timed" }, "/exams");
    expect(started.status).toBe(303);
    const attempt = await member.agent.get(started.headers.location as string);
    expect(attempt.text).toContain(`Private stem ${slug}`);
    // Submitted, it feeds the exam's item statistics on its owner's cohort page.
    const submitted = await post(
      member.agent,
      `${started.headers.location as string}/submission`,
      {},
      started.headers.location,
    );
    expect(submitted.status).toBe(303);
    const cohort = await teacher.agent.get(`/teach/exams/exam-${slug}/cohort`);
    expect(cohort.status).toBe(200);
    expect(cohort.text).toContain("Item statistics");
    expect(cohort.text).toMatch(new RegExp(`${slug}-[1-4]</a>`));

    // The outsider sees it on no page, cannot start the exam, cannot quiz on the topic.
    expect(await sees(outsider.agent, `Bank ${slug}`)).toEqual([]);
    expect(await sees(outsider.agent, `Private card ${slug}`)).toEqual([]);
    expect((await outsider.agent.get(`/exams/exam-${slug}/start`)).status).toBe(404);
    expect((await post(outsider.agent, `/exams/exam-${slug}/attempts`, { mode: "timed" }, "/exams")).status).toBe(404);
    const quiz = await post(
      outsider.agent,
      "/exams/custom",
      { topics: slug, questionCount: "2", minutes: "5", mode: "timed" },
      "/exams/custom",
    );
    expect(quiz.status).toBe(400);
    expect(await t.prisma.attempt.count({ where: { userId: outsider.user.id } })).toBe(0);
    // The public home page does not list it either.
    expect((await request(t.app).get("/")).text).not.toContain(`Bank ${slug}`);
  });

  it("removing a learner ends their access but keeps their attempts; leaving does the same", async () => {
    const teacher = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    const { id, code } = await createClass(teacher.agent, `Class ${slug}`);
    await post(teacher.agent, `/teach/classes/${id}/banks/${slug}/share`, { shared: "true" }, `/teach/classes/${id}`);
    const learner = await person();
    await post(learner.agent, "/classes/join", { code });
    const quiz = await post(
      learner.agent,
      "/exams/custom",
      { topics: slug, questionCount: "2", minutes: "5", mode: "timed" },
      "/exams/custom",
    );
    expect(quiz.status).toBe(303);
    const attemptId = /\/attempts\/([0-9a-f-]{36})/.exec(quiz.headers.location as string)![1]!;

    const removed = await post(
      teacher.agent,
      `/classes/${id}/members/${learner.user.id}/removal`,
      {},
      `/teach/classes/${id}`,
    );
    expect(removed.status).toBe(303);
    expect(await sees(learner.agent, `Bank ${slug}`)).toEqual([]);
    expect(await t.prisma.attempt.count({ where: { id: attemptId } })).toBe(1);
    expect((await learner.agent.get(`/attempts/${attemptId}`)).status).toBe(200);

    // Back in, then leaving by themselves.
    await post(learner.agent, "/classes/join", { code });
    expect((await learner.agent.get("/")).text).toContain(`Bank ${slug}`);
    expect((await post(learner.agent, `/classes/${id}/membership/deletion`)).status).toBe(303);
    expect(await sees(learner.agent, `Bank ${slug}`)).toEqual([]);
    expect(await t.prisma.attempt.count({ where: { userId: learner.user.id } })).toBe(1);
  });
});

describe("joining", () => {
  it("a wrong code gets a clear message, and guessing is rate-limited", async () => {
    const learner = await person();
    const wrong = await post(learner.agent, "/classes/join", { code: "ZZZZ-ZZZZ-ZZZZ" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("No class has this code");
    expect(wrong.text).toContain('value="ZZZZ-ZZZZ-ZZZZ"');
    for (let i = 0; i < 9; i += 1) await post(learner.agent, "/classes/join", { code: "ZZZZ-ZZZZ-ZZZ2" });
    const limited = await post(learner.agent, "/classes/join", { code: "ZZZZ-ZZZZ-ZZZ3" });
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();
    expect(await t.prisma.classMember.count({ where: { userId: learner.user.id } })).toBe(0);
  });

  it("invite links work until they expire or are withdrawn; a new code retires the old one", async () => {
    const teacher = await person("instructor");
    const { id, code } = await createClass(teacher.agent, `Invites ${randomUUID().slice(0, 6)}`);
    const made = await post(teacher.agent, `/classes/${id}/invites`, { days: "1" }, `/teach/classes/${id}`);
    expect(made.status).toBe(303);
    const shown = await teacher.agent.get(`/teach/classes/${id}`);
    const token = /\/join\/([A-Za-z0-9_-]{43})/.exec(shown.text)![1]!;
    // Stored only as a digest.
    expect(JSON.stringify(await t.prisma.classInvite.findMany({ where: { classId: id } }))).not.toContain(token);
    // Shown once: the next page no longer has it.
    expect((await teacher.agent.get(`/teach/classes/${id}`)).text).not.toContain(token);

    const a = await person();
    expect((await a.agent.get(`/join/${token}`)).text).toContain("Join Invites");
    expect((await post(a.agent, `/join/${token}`, {}, `/join/${token}`)).status).toBe(303);
    expect(await t.prisma.classMember.count({ where: { classId: id, userId: a.user.id } })).toBe(1);

    clock.advance(2 * 86_400_000);
    const b = await person();
    const expired = await b.agent.get(`/join/${token}`);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain("This invite link has expired");
    clock.set(new Date());

    await post(teacher.agent, `/classes/${id}/invites`, {}, `/teach/classes/${id}`);
    const second = /\/join\/([A-Za-z0-9_-]{43})/.exec((await teacher.agent.get(`/teach/classes/${id}`)).text)![1]!;
    const invite = await t.prisma.classInvite.findFirstOrThrow({
      where: { classId: id, revokedAt: null },
      orderBy: { createdAt: "desc" },
    });
    expect(
      (await post(teacher.agent, `/classes/${id}/invites/${invite.id}/revocation`, {}, `/teach/classes/${id}`)).status,
    ).toBe(303);
    const withdrawn = await b.agent.get(`/join/${second}`);
    expect(withdrawn.status).toBe(404);
    expect(withdrawn.text).toContain("withdrawn");

    await post(teacher.agent, `/classes/${id}/code`, {}, `/teach/classes/${id}`);
    const stale = await post(b.agent, "/classes/join", { code });
    expect(stale.status).toBe(400);
    expect(await t.prisma.classMember.count({ where: { classId: id, userId: b.user.id } })).toBe(0);
  });

  it("an instructor adds a learner by email; an unknown email gets a clear message", async () => {
    const teacher = await person("instructor");
    const { id } = await createClass(teacher.agent, `Email ${randomUUID().slice(0, 6)}`);
    const learner = await person();
    expect(
      (
        await post(
          teacher.agent,
          `/classes/${id}/members`,
          { email: learner.user.email.toUpperCase() },
          `/teach/classes/${id}`,
        )
      ).status,
    ).toBe(303);
    expect((await teacher.agent.get(`/teach/classes/${id}`)).text).toContain(learner.user.email);
    const unknown = await post(
      teacher.agent,
      `/classes/${id}/members`,
      { email: "nobody@example.test" },
      `/teach/classes/${id}`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("No account has this email");
  });
});

describe("deleting and archiving", () => {
  it("deleting a class asks for its name and keeps every learner's history", async () => {
    const teacher = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    const { id, code } = await createClass(teacher.agent, `Doomed ${slug}`);
    await post(teacher.agent, `/teach/classes/${id}/banks/${slug}/share`, { shared: "true" }, `/teach/classes/${id}`);
    const learner = await person();
    await post(learner.agent, "/classes/join", { code });
    await post(
      learner.agent,
      "/exams/custom",
      { topics: slug, questionCount: "2", minutes: "5", mode: "timed" },
      "/exams/custom",
    );

    const refused = await post(
      teacher.agent,
      `/classes/${id}/deletion`,
      { confirmName: "wrong" },
      `/classes/${id}/deletion`,
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`Type &#34;Doomed ${slug}&#34; exactly`);
    expect(await t.prisma.class.count({ where: { id } })).toBe(1);
    const deleted = await post(
      teacher.agent,
      `/classes/${id}/deletion`,
      { confirmName: `Doomed ${slug}` },
      `/classes/${id}/deletion`,
    );
    expect(deleted.status).toBe(303);
    expect(await t.prisma.class.count({ where: { id } })).toBe(0);
    expect(await t.prisma.attempt.count({ where: { userId: learner.user.id } })).toBe(1);
    expect(await sees(learner.agent, `Bank ${slug}`)).toEqual([]);
  });

  it("a bank renamed, archived and deleted: past attempts keep the versions they showed", async () => {
    const teacher = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    const { id, code } = await createClass(teacher.agent, `Bank life ${slug}`);
    await post(teacher.agent, `/teach/classes/${id}/banks/${slug}/share`, { shared: "true" }, `/teach/classes/${id}`);
    const learner = await person();
    await post(learner.agent, "/classes/join", { code });
    const quiz = await post(
      learner.agent,
      "/exams/custom",
      { topics: slug, questionCount: "2", minutes: "5", mode: "timed" },
      "/exams/custom",
    );
    const attemptPath = quiz.headers.location as string;
    const before = (await learner.agent.get(attemptPath)).text;
    expect(before).toContain(`Private stem ${slug}`);

    await post(
      teacher.agent,
      `/teach/banks/${slug}/settings`,
      { title: "Renamed bank", description: "New words" },
      `/teach/banks/${slug}`,
    );
    expect((await learner.agent.get("/")).text).toContain("Renamed bank");

    await post(teacher.agent, `/teach/banks/${slug}/archive`, { archived: "true" }, `/teach/banks/${slug}`);
    expect(await sees(learner.agent, "Renamed bank")).toEqual([]);
    await post(teacher.agent, `/teach/banks/${slug}/archive`, { archived: "false" }, `/teach/banks/${slug}`);
    expect((await learner.agent.get("/")).text).toContain("Renamed bank");

    const refused = await post(
      teacher.agent,
      `/teach/banks/${slug}/deletion`,
      { confirm: "nope" },
      `/teach/banks/${slug}/deletion`,
    );
    expect(refused.status).toBe(400);
    expect(
      (await post(teacher.agent, `/teach/banks/${slug}/deletion`, { confirm: slug }, `/teach/banks/${slug}/deletion`))
        .status,
    ).toBe(303);
    expect(await sees(learner.agent, "Renamed bank")).toEqual([]);
    expect((await teacher.agent.get(`/teach/banks/${slug}`)).status).toBe(404);
    expect((await teacher.agent.get("/teach")).text).not.toContain("Renamed bank");
    // The attempt still shows what it showed.
    expect((await learner.agent.get(attemptPath)).text).toContain(`Private stem ${slug}`);
    // The slug is free again.
    await uploadBank(teacher.agent, slug);
  });
});

describe("co-owners", () => {
  it("an editor edits, a viewer reads and builds exams; neither administers; others get 404", async () => {
    const owner = await person("instructor");
    const editor = await person("instructor");
    const viewer = await person("instructor");
    const other = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(owner.agent, slug);
    for (const [who, role] of [
      [editor, "editor"],
      [viewer, "viewer"],
    ] as const)
      expect(
        (
          await post(
            owner.agent,
            `/teach/banks/${slug}/collaborators`,
            { email: who.user.email, role },
            `/teach/banks/${slug}`,
          )
        ).status,
      ).toBe(303);
    const q = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${slug}-1` } });

    expect((await editor.agent.get("/teach")).text).toContain(`Bank ${slug}`);
    expect((await viewer.agent.get(`/teach/banks/${slug}`)).status).toBe(200);
    expect((await viewer.agent.get(`/teach/banks/${slug}/export`)).status).toBe(200);
    expect((await other.agent.get(`/teach/banks/${slug}`)).status).toBe(404);
    expect((await other.agent.get(`/teach/banks/${slug}/export`)).status).toBe(404);

    const retireBy = (who: Agent) => post(who, `/teach/questions/${q.id}/retirement`, { retired: "true" }, "/teach");
    expect((await retireBy(viewer.agent)).status).toBe(403);
    expect((await retireBy(other.agent)).status).toBe(404);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: q.id } })).retiredAt).toBeNull();
    expect((await retireBy(editor.agent)).status).toBe(303);
    expect((await t.prisma.question.findUniqueOrThrow({ where: { id: q.id } })).retiredAt).not.toBeNull();

    // Only the owner renames, archives, deletes or shares.
    for (const who of [editor, viewer])
      expect(
        (await post(who.agent, `/teach/banks/${slug}/settings`, { title: "Taken over", description: "" }, "/teach"))
          .status,
      ).toBe(403);
    expect((await t.prisma.bank.findUniqueOrThrow({ where: { slug } })).title).toBe(`Bank ${slug}`);

    // The viewer builds an exam on the bank's topic; the other instructor cannot.
    await createExam(viewer.agent, `v-${slug}`, slug);
    const refused = await post(
      other.agent,
      "/teach/exams",
      {
        title: "Peek",
        slug: `o-${slug}`,
        kind: "module",
        questionCount: "3",
        timeLimitMinutes: "10",
        passMarkPercent: "60",
        attempts: "",
        review: "after_submit",
        closesAt: "",
        topics: slug,
      },
      "/teach/exams/new",
    );
    expect(refused.status).toBe(400);
    expect(await t.prisma.exam.count({ where: { slug: `o-${slug}` } })).toBe(0);
  });
});

describe("class exams", () => {
  it("opens and closes when set, with its attempts allowed", async () => {
    const teacher = await person("instructor");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    const { id, code } = await createClass(teacher.agent, `Timed ${slug}`);
    const opens = new Date(clock.now().getTime() + 20 * 60_000).toISOString().slice(0, 16);
    await createExam(teacher.agent, `timed-${slug}`, slug, { opensAt: opens, attempts: "1" });
    await post(
      teacher.agent,
      `/teach/classes/${id}/exams/timed-${slug}/share`,
      { shared: "true" },
      `/teach/classes/${id}`,
    );
    const learner = await person();
    await post(learner.agent, "/classes/join", { code });
    const list = (await learner.agent.get("/exams")).text;
    expect(list).toContain(`Exam timed-${slug}`);
    expect(list).toContain(`Opens ${opens.replace("T", " ")} UTC`);
    const early = await post(learner.agent, `/exams/timed-${slug}/attempts`, { mode: "timed" }, "/exams");
    expect(early.status).toBe(409);
    expect(early.text).toContain("This exam opens at");
    clock.advance(25 * 60_000);
    const started = await post(learner.agent, `/exams/timed-${slug}/attempts`, { mode: "timed" }, "/exams");
    expect(started.status).toBe(303);
    clock.set(new Date());
  });
});

describe("the public catalogue", () => {
  it("an admin marks an instructor's exam and bank public: every learner sees them; an instructor cannot", async () => {
    const teacher = await person("instructor");
    const admin = await person("admin");
    const slug = `cls${randomUUID().slice(0, 6)}`;
    await uploadBank(teacher.agent, slug);
    await createExam(teacher.agent, `pub-${slug}`, slug);
    const learner = await person();
    expect((await learner.agent.get("/exams")).text).not.toContain(`Exam pub-${slug}`);
    expect((await post(teacher.agent, `/teach/exams/pub-${slug}/public`, { public: "true" }, "/teach")).status).toBe(
      403,
    );
    expect((await post(teacher.agent, `/teach/banks/${slug}/public`, { public: "true" }, "/teach")).status).toBe(403);
    expect((await post(admin.agent, `/teach/exams/pub-${slug}/public`, { public: "true" }, "/teach")).status).toBe(303);
    expect((await learner.agent.get("/exams")).text).toContain(`Exam pub-${slug}`);
    // The public exam draws from its owner's bank, so it can be taken.
    expect((await post(learner.agent, `/exams/pub-${slug}/attempts`, { mode: "timed" }, "/exams")).status).toBe(303);
    expect((await learner.agent.get("/")).text).not.toContain(`Bank ${slug}`);
    expect(
      (await post(admin.agent, `/teach/banks/${slug}/public`, { public: "true" }, `/teach/banks/${slug}`)).status,
    ).toBe(303);
    expect((await learner.agent.get("/")).text).toContain(`Bank ${slug}`);
  });
});
