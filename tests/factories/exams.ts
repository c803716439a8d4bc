// A bank with one question of every type (explanations carry a marker the leak check looks
// for) and a module exam over it.
import { randomUUID } from "node:crypto";
import type { Db } from "../../src/db";
import { importService } from "../../src/modules/banks";
import { systemClock } from "../../src/clock";

export const LEAK = "SECRET-EXPLANATION";

function bankYaml(slug: string): string {
  const q = (n: number, body: string) => `  - id: ${slug}-${n}
    topic: ${slug}/core
    difficulty: 2
${body}
    explanation: |
      ${LEAK}-${n} explains the key. The rest are wrong.
`;
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Exam bank ${slug}
topics:
  ${slug}: Exam bank ${slug}
  ${slug}/core: Core
questions:
${q(
  1,
  `    type: single
    stem: Which status code means Not Found?
    options:
      - text: "404"
        correct: true
      - text: "500"
      - text: "302"`,
)}${q(
    2,
    `    type: multiple
    stem: Which methods are idempotent? Select all that apply.
    options:
      - text: PUT
        correct: true
      - text: DELETE
        correct: true
      - text: POST`,
  )}${q(
    3,
    `    type: truefalse
    stem: GET is a safe method.
    answer: true`,
  )}${q(
    4,
    `    type: short
    stem: Name the SQL keyword that removes duplicate rows from a result.
    accept: [ZEBRADISTINCT]`,
  )}${q(
    5,
    `    type: numeric
    stem: How many bits are in an IPv4 address?
    answer: { value: 32, tolerance: 0 }`,
  )}${q(
    6,
    `    type: ordering
    stem: Order the TCP handshake.
    items: [SYN, SYN-ACK, ACK]`,
  )}`;
}

export async function createExamFixture(
  prisma: Db,
  options: { timeLimitSeconds?: number; reviewPolicy?: "after_submit" | "never"; maxAttempts?: number | null } = {},
) {
  const slug = `x${randomUUID().slice(0, 8)}`;
  const report = await importService({ prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [{ name: `${slug}.yaml`, text: bankYaml(slug) }],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  const exam = await prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `Exam ${slug}`,
      kind: "module",
      questionCount: 6,
      timeLimitSeconds: options.timeLimitSeconds ?? 600,
      passMarkPercent: 70,
      shuffleQuestions: false,
      shuffleOptions: false,
      topicPaths: [slug],
      reviewPolicy: options.reviewPolicy ?? "after_submit",
      maxAttempts: options.maxAttempts ?? null,
    },
  });
  return { slug, exam };
}

/** The stored ids of fixture question n's options or items, in the order the bank file lists them. */
export async function storedChoiceIds(prisma: Db, slug: string, n: number | string): Promise<string[]> {
  const question = await prisma.question.findUniqueOrThrow({
    where: { externalId: `${slug}-${n}` },
    include: { currentVersion: true },
  });
  const body = question.currentVersion!.body as { options?: { id: string }[]; items?: { id: string }[] };
  return (body.options ?? body.items ?? []).map((o) => o.id);
}

/**
 * Tests name choices by letter in the file's order ("a" is the first option or item as
 * written); the stored ids are random (banks/choice-ids.ts). This puts the ids of fixture
 * question n in place of the letters of a response; anything else stays as it is.
 */
export async function withStoredIds<T>(prisma: Db, slug: string, n: number, response: T): Promise<T> {
  const r = response as { type?: string; optionId?: string; optionIds?: string[]; itemIds?: string[] } | null;
  if (!r || !["single", "multiple", "ordering"].includes(r.type ?? "")) return response;
  const ids = await storedChoiceIds(prisma, slug, n);
  const idOf = (letter: string) => (/^[a-z]$/.test(letter) ? (ids[letter.charCodeAt(0) - 97] ?? letter) : letter);
  if (r.type === "single") return { ...r, optionId: idOf(r.optionId ?? "") } as T;
  if (r.type === "multiple") return { ...r, optionIds: (r.optionIds ?? []).map(idOf) } as T;
  return { ...r, itemIds: (r.itemIds ?? []).map(idOf) } as T;
}

/** A wrong answer to each fixture question (by number), as the autosave sends it. */
const WRONG: Record<number, unknown> = {
  1: { type: "single", optionId: "b" },
  2: { type: "multiple", optionIds: ["c"] },
  3: { type: "truefalse", value: false },
  4: { type: "short", text: "UNIQUE" },
  5: { type: "numeric", value: 16 },
  6: { type: "ordering", itemIds: ["c", "b", "a"] },
};

/**
 * Wrong answers to fixture questions `numbers` at the same positions (the fixture module does
 * not shuffle): a question answered wrongly is missed; one left blank in a timed exam is not.
 */
export async function wrongAnswers(prisma: Db, slug: string, numbers = [1, 2, 3, 4, 5, 6]) {
  return Promise.all(
    numbers.map(async (n) => ({ position: n, response: await withStoredIds(prisma, slug, n, WRONG[n]) })),
  );
}
