// Which exams reach whom, and what an exam draws its questions from: the one place that says so.
//   A learner sees the public exams (the shipped ones, and those an admin marked public), the
//   exams shared with a class they are in, and their own; published ones only, except their own.
//   An exam draws from: the public banks (shipped and public exams), its instructor's usable
//   banks (an instructor's exam), the learner's reach (their own quizzes and retries).
import type { Db, Prisma } from "../../db";
import { bankReach, publicBankIds, usableBankIds } from "../banks";
import { classIdsOf } from "../classes";

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
