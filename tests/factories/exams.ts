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
