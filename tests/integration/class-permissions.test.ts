// Every class, sharing and bank-settings route and action, for each kind of person: the
// owner, a co-owner of the bank (editor), another instructor, a learner in the class, a
// learner outside it and a visitor. Each answer's status is asserted, and for every refusal
// that nothing changed and nothing of the class, bank or exam leaked into the page.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { createUser } from "../factories/users";
import { miniBank } from "../support/banks";
import { createTestApp, type TestApp } from "../support/app";
import { csrfFrom, login, tokenFor, type Agent } from "../support/http";
import { importService } from "../../src/modules/banks";
import { systemClock } from "../../src/clock";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Who = "owner" | "coowner" | "other" | "member" | "outsider" | "anonymous";
const PEOPLE: Who[] = ["owner", "coowner", "other", "member", "outsider", "anonymous"];

type Fixture = {
  agents: Record<Who, Agent>;
  csrf: Record<Who, string>;
  ids: { owner: string; coowner: string; member: string; outsider: string };
  classId: string;
  inviteId: string;
  slug: string;
  examSlug: string;
  secrets: string[];
};

async function fixture(): Promise<Fixture> {
  const slug = `perm${randomUUID().slice(0, 6)}`;
  const [owner, coowner, other, member, outsider] = await Promise.all([
    createUser(t.prisma, { role: "instructor" }),
    createUser(t.prisma, { role: "instructor" }),
    createUser(t.prisma, { role: "instructor" }),
    createUser(t.prisma),
    createUser(t.prisma),
  ]);
  const report = await importService({ prisma: t.prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [
      {
        name: `${slug}.yaml`,
        text: miniBank(
          slug,
          [1, 2, 3].map((n) => ({ id: `${slug}-${n}`, stem: `Secret stem ${slug} ${n}?` })),
          [{ id: `${slug}-c`, front: `Secret card ${slug}` }],
        ),
      },
    ],
    actor: { id: owner.id, role: "instructor" },
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const bank = await t.prisma.bank.findUniqueOrThrow({ where: { slug } });
  await t.prisma.bankCollaborator.create({ data: { bankId: bank.id, userId: coowner.id, role: "editor" } });
  const cls = await t.prisma.class.create({
    data: {
      name: `Secret class ${slug}`,
      ownerId: owner.id,
      joinCode: randomUUID()
        .replace(/[^0-9]/g, "")
        .slice(0, 12)
        .padEnd(12, "7"),
    },
  });
  await t.prisma.classMember.create({ data: { classId: cls.id, userId: member.id } });
  await t.prisma.bankShare.create({ data: { bankId: bank.id, classId: cls.id } });
  const invite = await t.prisma.classInvite.create({
    data: { classId: cls.id, tokenHash: "a".repeat(64), expiresAt: new Date(Date.now() + 86_400_000) },
  });
  const examSlug = `exam-${slug}`;
  const exam = await t.prisma.exam.create({
    data: {
      slug: examSlug,
      title: `Secret exam ${slug}`,
      kind: "module",
      questionCount: 2,
      timeLimitSeconds: 600,
      passMarkPercent: 50,
      topicPaths: [slug],
      ownerId: owner.id,
      published: true,
    },
  });
  await t.prisma.examShare.create({ data: { examId: exam.id, classId: cls.id } });
  const users = { owner: owner, coowner: coowner, other: other, member: member, outsider: outsider };
  const agents = {} as Record<Who, Agent>;
  const csrf = {} as Record<Who, string>;
  for (const who of PEOPLE) {
    if (who === "anonymous") {
      agents.anonymous = request.agent(t.app);
      csrf.anonymous = await tokenFor(agents.anonymous, "/login");
    } else {
      agents[who] = await login(t.app, users[who].email);
      csrf[who] = await tokenFor(agents[who], "/classes");
    }
  }
  return {
    agents,
    csrf,
    ids: { owner: owner.id, coowner: coowner.id, member: member.id, outsider: outsider.id },
    classId: cls.id,
    inviteId: invite.id,
    slug,
    examSlug,
    secrets: [
      `Secret class ${slug}`,
      `Secret stem ${slug}`,
      `Secret card ${slug}`,
      `Secret exam ${slug}`,
      cls.joinCode,
    ],
  };
}

/** What any of the actions could change, read straight from the tables. */
async function state(f: Fixture) {
  const bank = await t.prisma.bank.findFirst({
    where: { OR: [{ slug: f.slug }, { slug: { startsWith: `${f.slug}~` } }] },
    include: { shares: true, collaborators: true },
  });
  return JSON.stringify({
    cls: await t.prisma.class.findUnique({ where: { id: f.classId }, include: { members: true, invites: true } }),
    bank,
    questions: await t.prisma.question.findMany({
      where: { bankId: bank?.id ?? randomUUID() },
      select: { externalId: true, retiredAt: true, currentVersionId: true },
      orderBy: { externalId: "asc" },
    }),
    exam: await t.prisma.exam.findUnique({ where: { slug: f.examSlug }, include: { shares: true } }),
    attempts: await t.prisma.attempt.count({ where: { exam: { slug: f.examSlug } } }),
  });
}

type Action = {
  name: string;
  method: "get" | "post";
  path: (f: Fixture) => string;
  body?: (f: Fixture) => Record<string, string>;
  /** Expected status per person; a 2xx/3xx for those allowed. */
  expect: Record<Who, number>;
};

// Learners hitting /teach get 403 from the role guard; visitors are sent to sign in (GET) or
// told to sign in first (POST: 401). Instructors who may not see a
// class, bank or exam are told it does not exist (404); those who may see but not change it, 403.
const TEACH_GET = { member: 403, outsider: 403, anonymous: 303 };
const TEACH_POST = { member: 403, outsider: 403, anonymous: 401 };
const CLASS_POST = { member: 403, outsider: 404, anonymous: 401 };

// In order: once the member has left (leave class) and the co-owner was removed (remove
// co-owner), they are outsiders to what follows.
const ACTIONS: Action[] = [
  {
    name: "class page",
    method: "get",
    path: (f) => `/teach/classes/${f.classId}`,
    expect: { owner: 200, coowner: 404, other: 404, ...TEACH_GET },
  },
  {
    name: "rename class",
    method: "post",
    path: (f) => `/classes/${f.classId}/settings`,
    body: () => ({ name: "Renamed", description: "" }),
    expect: { owner: 303, coowner: 404, other: 404, ...CLASS_POST },
  },
  {
    name: "new code",
    method: "post",
    path: (f) => `/classes/${f.classId}/code`,
    expect: { owner: 303, coowner: 404, other: 404, ...CLASS_POST },
  },
  {
    name: "add member",
    method: "post",
    path: (f) => `/classes/${f.classId}/members`,
    body: () => ({ email: "someone@example.test" }),
    expect: { owner: 400, coowner: 404, other: 404, ...CLASS_POST },
  },
  {
    name: "create invite",
    method: "post",
    path: (f) => `/classes/${f.classId}/invites`,
    body: () => ({ days: "3" }),
    expect: { owner: 303, coowner: 404, other: 404, ...CLASS_POST },
  },
  {
    name: "withdraw invite",
    method: "post",
    path: (f) => `/classes/${f.classId}/invites/${f.inviteId}/revocation`,
    expect: { owner: 303, coowner: 404, other: 404, ...CLASS_POST },
  },
  {
    name: "share bank",
    method: "post",
    path: (f) => `/teach/classes/${f.classId}/banks/${f.slug}/share`,
    body: () => ({ shared: "true" }),
    expect: { owner: 303, coowner: 403, other: 404, ...TEACH_POST },
  },
  {
    name: "share exam",
    method: "post",
    path: (f) => `/teach/classes/${f.classId}/exams/${f.examSlug}/share`,
    body: () => ({ shared: "true" }),
    expect: { owner: 303, coowner: 404, other: 404, ...TEACH_POST },
  },
  {
    name: "bank page",
    method: "get",
    path: (f) => `/teach/banks/${f.slug}`,
    expect: { owner: 200, coowner: 200, other: 404, ...TEACH_GET },
  },
  {
    name: "bank export",
    method: "get",
    path: (f) => `/teach/banks/${f.slug}/export`,
    expect: { owner: 200, coowner: 200, other: 404, ...TEACH_GET },
  },
  {
    name: "rename bank",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/settings`,
    body: () => ({ title: "Taken", description: "" }),
    expect: { owner: 303, coowner: 403, other: 404, ...TEACH_POST },
  },
  {
    name: "archive bank",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/archive`,
    body: () => ({ archived: "false" }),
    expect: { owner: 303, coowner: 403, other: 404, ...TEACH_POST },
  },
  {
    name: "make bank public",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/public`,
    body: () => ({ public: "true" }),
    expect: { owner: 403, coowner: 403, other: 403, ...TEACH_POST },
  },
  {
    name: "add co-owner",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/collaborators`,
    body: () => ({ email: "nobody@example.test", role: "viewer" }),
    expect: { owner: 400, coowner: 403, other: 404, ...TEACH_POST },
  },
  {
    name: "remove co-owner",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/collaborators/${f.ids.coowner}/removal`,
    expect: { owner: 303, coowner: 403, other: 404, ...TEACH_POST },
  },
  {
    name: "exam start page",
    method: "get",
    path: (f) => `/exams/${f.examSlug}/start`,
    expect: { owner: 200, coowner: 404, other: 404, member: 200, outsider: 404, anonymous: 303 },
  },
  {
    name: "start exam",
    method: "post",
    path: (f) => `/exams/${f.examSlug}/attempts`,
    body: () => ({ mode: "timed" }),
    expect: { owner: 303, coowner: 404, other: 404, member: 303, outsider: 404, anonymous: 401 },
  },
  {
    name: "leave class",
    method: "post",
    path: (f) => `/classes/${f.classId}/membership/deletion`,
    expect: { owner: 404, coowner: 404, other: 404, member: 303, outsider: 404, anonymous: 401 },
  },
  {
    name: "remove member",
    method: "post",
    path: (f) => `/classes/${f.classId}/members/${f.ids.member}/removal`,
    expect: { owner: 404, coowner: 404, other: 404, ...CLASS_POST, member: 404 },
  },
  {
    name: "class deletion page",
    method: "get",
    path: (f) => `/classes/${f.classId}/deletion`,
    expect: { owner: 200, coowner: 404, other: 404, member: 404, outsider: 404, anonymous: 303 },
  },
  {
    name: "delete bank",
    method: "post",
    path: (f) => `/teach/banks/${f.slug}/deletion`,
    body: (f) => ({ confirm: f.slug }),
    expect: { owner: 303, coowner: 404, other: 404, ...TEACH_POST },
  },
  {
    name: "delete class",
    method: "post",
    path: (f) => `/classes/${f.classId}/deletion`,
    body: () => ({ confirmName: "Renamed" }),
    expect: { owner: 303, coowner: 404, other: 404, ...CLASS_POST, member: 404 },
  },
];

const send = (f: Fixture, who: Who, action: Action) => {
  const agent = f.agents[who];
  if (action.method === "get") return agent.get(action.path(f));
  return agent
    .post(action.path(f))
    .type("form")
    .send({ _csrf: f.csrf[who], ...(action.body?.(f) ?? {}) });
};

describe("classes, sharing and bank settings: every route for every person", () => {
  it("answers each as its policy says; refusals change nothing and show nothing", async () => {
    const f = await fixture();
    const observed: string[] = [];
    const expected: string[] = [];
    for (const action of ACTIONS) {
      // The refused first, each checked for changes and leaks; then the allowed ones, in order.
      const order = [...PEOPLE].sort((a, b) => Number(action.expect[a] < 400) - Number(action.expect[b] < 400));
      for (const who of order) {
        const before = await state(f);
        const res = await send(f, who, action);
        observed.push(`${action.name} / ${who}: ${res.status}`);
        expected.push(`${action.name} / ${who}: ${action.expect[who]}`);
        if (action.expect[who] >= 400) {
          expect([action.name, who, await state(f)]).toEqual([action.name, who, before]);
          const leaked = f.secrets.filter((s) => res.text.includes(s));
          expect([action.name, who, leaked]).toEqual([action.name, who, []]);
        }
      }
    }
    expect(observed).toEqual(expected);
  }, 240_000);

  it("the class's learner sees the bank and the exam on every catalogue page; nobody outside does", async () => {
    const f = await fixture();
    const pages = ["/", "/exams", "/exams/custom", "/progress", "/review", "/review/cards"];
    const shows = async (who: Who, text: string) => {
      const found: string[] = [];
      for (const p of pages) if ((await f.agents[who].get(p)).text.includes(text)) found.push(p);
      return found;
    };
    expect(await shows("member", `Secret exam ${f.slug}`)).toEqual(["/exams"]);
    expect((await shows("member", `Bank ${f.slug}`)).length).toBeGreaterThanOrEqual(2);
    for (const who of ["other", "outsider", "anonymous"] as Who[]) {
      expect([who, await shows(who, `Secret exam ${f.slug}`)]).toEqual([who, []]);
      expect([who, await shows(who, `Bank ${f.slug}`)]).toEqual([who, []]);
    }
    // Review: the class's deck cards come to the member, not to the outsider.
    const memberReview = (await f.agents.member.get(`/review?topic=${f.slug}`)).text;
    expect(memberReview).toContain(`Secret card ${f.slug}`);
    const outsiderReview = (await f.agents.outsider.get(`/review?topic=${f.slug}`)).text;
    expect(outsiderReview).not.toContain(`Secret card ${f.slug}`);
    // Grading a card of the class's deck is refused to the outsider.
    const card = await t.prisma.card.findFirstOrThrow({ where: { externalId: `${f.slug}-c` } });
    const graded = await f.agents.outsider
      .post("/review/grades")
      .type("form")
      .send({ _csrf: csrfFrom(outsiderReview), cardKey: `d:${card.id}`, rating: "3", version: "0-0" });
    expect(graded.status).toBe(404);
    expect(await t.prisma.reviewItem.count({ where: { userId: f.ids.outsider } })).toBe(0);
  });
});
