// Cursor pages of the API's lists, paged by the database (keyset on createdAt and id, newest
// first): walking the pages while rows are inserted neither repeats nor skips a row that was
// there when the walk began; cursors are opaque, and a forged one is a 400 naming `cursor`.
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

async function tokenOf(role: "learner" | "instructor") {
  const user = await createUser(t.prisma, { role });
  return { user, token: (await createToken(t.prisma, user.id)).token };
}

/** Walks every page of `path` (limit 2), calling `between` after each page; the slugs in order. */
async function walk(path: string, token: string, between: (page: number) => Promise<void>) {
  const seen: string[] = [];
  let cursor: string | null = null;
  // Other files share the worker's database: there may be a few hundred exams before these.
  for (let page = 1; page < 2000; page++) {
    const res = await api.call("get", `${path}?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...(res.body.items as { slug: string }[]).map((i) => i.slug));
    cursor = res.body.nextCursor as string | null;
    if (!cursor) return seen;
    await between(page);
  }
  throw new Error("too many pages");
}

let n = 0;
/** Rows with distinct creation times a second apart (ties on createdAt are ordered by id). */
const at = (base: string) => new Date(new Date(base).getTime() + 1000 * n++);

const newExam = (data: { ownerId?: string; published?: boolean; createdAt: Date }) =>
  t.prisma.exam.create({
    data: {
      slug: `page-${randomUUID().slice(0, 8)}`,
      title: "Paged",
      kind: "module",
      questionCount: 1,
      timeLimitSeconds: 60,
      topicPaths: ["nowhere"],
      published: data.published ?? false,
      ownerId: data.ownerId ?? null,
      createdAt: data.createdAt,
    },
  });

describe("cursor pages", () => {
  it("walks an instructor's exams newest first, stable while exams are added", async () => {
    const { user, token } = await tokenOf("instructor");
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newExam({ ownerId: user.id, createdAt: at("2026-01-01T00:00:00Z") }));
    // Two exams with the same creation time: the id decides their order.
    const tie = new Date("2026-01-01T00:00:02Z");
    made.push(await newExam({ ownerId: user.id, createdAt: tie }), await newExam({ ownerId: user.id, createdAt: tie }));
    const expected = made
      .toSorted((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((e) => e.slug);

    const added: string[] = [];
    const seen = await walk("/managed-exams", token, async () => {
      // A newer exam lands before the cursor: later pages do not shift.
      added.push((await newExam({ ownerId: user.id, createdAt: new Date() })).slug);
    });
    expect(seen).toEqual(expected);
    expect(added.length).toBeGreaterThanOrEqual(3);
    const first = await api.call("get", "/managed-exams?limit=2", { token });
    expect(first.body.items.map((e: { slug: string }) => e.slug)).toEqual(added.toReversed().slice(0, 2));
  });

  it("walks the learner's exams and the instructor's banks without repeating or skipping", async () => {
    const { token } = await tokenOf("learner");
    for (let i = 0; i < 3; i++) await newExam({ published: true, createdAt: at("2025-06-01T00:00:00Z") });
    // The learner's catalogue: the public exams (instructors' exams reach only their classes).
    const before = (
      await t.prisma.exam.findMany({
        where: { published: true, kind: { in: ["mock", "module"] }, OR: [{ ownerId: null }, { public: true }] },
      })
    ).map((e) => e.slug);
    const added: string[] = [];
    const seen = await walk("/exams", token, async () => {
      added.push((await newExam({ published: true, createdAt: new Date() })).slug);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.toSorted()).toEqual(before.toSorted());

    const teacher = await tokenOf("instructor");
    for (let i = 0; i < 5; i++)
      await t.prisma.bank.create({
        data: {
          slug: `pb${randomUUID().slice(0, 8)}`,
          title: "Paged bank",
          sourceFormat: "yaml",
          ownerId: teacher.user.id,
          createdAt: at("2025-01-01T00:00:00Z"),
        },
      });
    const banks = await t.prisma.bank.findMany({
      where: { ownerId: teacher.user.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    const walked = await walk("/banks", teacher.token, async () => {
      await t.prisma.bank.create({
        data: { slug: `pb${randomUUID().slice(0, 8)}`, title: "Late", sourceFormat: "yaml", ownerId: teacher.user.id },
      });
    });
    expect(walked).toEqual(banks.map((b) => b.slug));
  });

  it("refuses a cursor it did not make", async () => {
    const { token } = await tokenOf("instructor");
    const forged = Buffer.from(JSON.stringify({ t: "yesterday", id: "1" })).toString("base64url");
    for (const cursor of ["bm9wZQ", forged, "eyJ"]) {
      const res = await api.call("get", `/managed-exams?cursor=${cursor}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe("cursor");
    }
  });
});
