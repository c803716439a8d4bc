// Which exams reach whom, and what an exam draws its questions from: the one place that says so.
//   A learner sees the public exams (the shipped ones, and those an admin marked public), the
//   exams shared with a class they are in, and their own; published ones only, except their own.
//   An exam draws from: the public banks (shipped and public exams), its instructor's usable
//   banks (an instructor's exam), the learner's reach (their own quizzes and retries).
import type { Db, Prisma } from "../../db";
import { bankReach, publicBankIds, publicBanks, usableBankIds } from "../banks";
import { classIdsOf, classIdsTaughtBy } from "../classes";

type Client = Db | Prisma.TransactionClient;

/** The learner catalogue's filter (published mock exams and modules that reach the learner). */
export async function visibleExamsWhere(client: Client, userId: string): Promise<Prisma.ExamWhereInput> {
  const classIds = await classIdsOf(client, userId);
  return {
    published: true,
    kind: { in: ["mock", "module"] },
    OR: [
      { ownerId: null },
      { public: true },
      { ownerId: userId },
      ...(classIds.length ? [{ shares: { some: { classId: { in: classIds } } } }] : []),
    ],
  };
}

type ExamRow = { id: string; kind: string; ownerId: string | null; published: boolean; public: boolean };

/** Whether the exam reaches the learner (an exam that does not is, to them, not there). */
export async function examReaches(client: Client, exam: ExamRow, userId: string): Promise<boolean> {
  if (exam.ownerId === userId) return true;
  if (!exam.published || exam.kind === "custom") return false;
  if (exam.ownerId === null || exam.public) return true;
  const classIds = await classIdsOf(client, userId);
  if (!classIds.length) return false;
  return (await client.examShare.count({ where: { examId: exam.id, classId: { in: classIds } } })) > 0;
}

/** The banks an exam's forms are drawn from. */
export async function examBanks(
  client: Db,
  exam: { kind: string; ownerId: string | null; owner?: { role: "learner" | "instructor" | "admin" } | null },
): Promise<string[]> {
  if (exam.ownerId === null) return publicBankIds(client);
  if (exam.kind === "custom") return bankReach(client, exam.ownerId);
  return usableBankIds(client, { id: exam.ownerId, role: exam.owner?.role ?? "instructor" });
}

/**
 * examBanks, with the public banks' pool token when the exam draws from them (the shipped
 * exams): a pool read under it may be kept while the token stays the same (start-attempt.ts).
 */
export async function examBankSet(
  client: Db,
  exam: Parameters<typeof examBanks>[1],
): Promise<{ ids: string[]; poolToken: string | null }> {
  if (exam.ownerId !== null) return { ids: await examBanks(client, exam), poolToken: null };
  const { ids, token } = await publicBanks(client);
  return { ids, poolToken: token };
}

/** A public mock exam: the shipped one and those an admin marked public, published. */
const PUBLIC_MOCK: Prisma.ExamWhereInput = { kind: "mock", published: true, OR: [{ ownerId: null }, { public: true }] };

/**
 * A class's exams, as its gradebook lists them: those shared with it (published or not), and the
 * public mock exams its learners prepare for; by title.
 */
export function classExams(client: Client, classId: string) {
  return client.exam.findMany({
    where: { kind: { not: "custom" }, OR: [{ shares: { some: { classId } } }, PUBLIC_MOCK] },
    orderBy: [{ title: "asc" }, { slug: "asc" }],
    select: {
      id: true,
      slug: true,
      title: true,
      kind: true,
      passMarkPercent: true,
      ownerId: true,
      public: true,
      blueprint: true,
      topicPaths: true,
    },
  });
}

/**
 * Whether `ownerId` teaches the attempt's learner for the attempt's exam: owns a class the
 * learner is in, and the exam is shared with that class or is a public mock exam.
 */
export async function teachesAttempt(
  client: Client,
  ownerId: string,
  attempt: {
    userId: string;
    exam: { id: string; kind: string; ownerId: string | null; public: boolean; published: boolean };
  },
): Promise<boolean> {
  const classIds = await classIdsTaughtBy(client, { learnerId: attempt.userId, ownerId });
  if (!classIds.length) return false;
  const exam = attempt.exam;
  if (exam.kind === "mock" && exam.published && (exam.ownerId === null || exam.public)) return true;
  return (await client.examShare.count({ where: { examId: exam.id, classId: { in: classIds } } })) > 0;
}
