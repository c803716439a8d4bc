// Use case: start an attempt of an exam, or resume the learner's open one.
import { retryingTransaction } from "../../../db";
import { Conflict, NotFound } from "../../../errors";
import { examById, loadPool } from "../attempts.repo";
import { selectQuestions } from "../selection";
import { deadlineFor, isOverdue } from "../timer";
import type { AttemptsDeps } from "./deps";
import { heldQuestions } from "./held-questions";
import { submitAttempt } from "./submit-attempt";

export type StartAttemptOptions = { examSlug: string; userId: string };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

/** Starts an attempt, or resumes the open one; an overdue open one is submitted first. */
export async function startAttempt(
  deps: AttemptsDeps,
  input: StartAttemptOptions,
): Promise<{ id: string; resumed: boolean }> {
  const { prisma } = deps;
  const exam = await prisma.exam.findUnique({ where: { slug: input.examSlug } });
  if (!exam || (!exam.published && exam.ownerId !== input.userId)) throw new NotFound("There is no such exam.");
  const now = deps.clock.now();
  if (exam.closesAt && exam.closesAt <= now) throw new Conflict("This exam has closed.");
  const open = await prisma.attempt.findUnique({ where: { openKey: `${exam.id}:${input.userId}` } });
  if (open && !isOverdue(open.deadlineAt, now)) return { id: open.id, resumed: true };
  if (open) await submitAttempt(deps, { attemptId: open.id, by: "deadline" });
  if (exam.maxAttempts !== null) {
    const used = await prisma.attempt.count({ where: { examId: exam.id, userId: input.userId } });
    if (used >= exam.maxAttempts) throw new Conflict(`You have used all ${exam.maxAttempts} attempt(s) of this exam.`);
  }
  try {
    return { id: (await createAttempt(deps, exam.id, input.userId)).id, resumed: false };
  } catch (error) {
    // Another request started it a moment ago: resume that one.
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma.attempt.findUniqueOrThrow({ where: { openKey: `${exam.id}:${input.userId}` } });
    return { id: winner.id, resumed: true };
  }
}

async function createAttempt(deps: AttemptsDeps, examId: string, userId: string) {
  const { prisma } = deps;
  const exam = await examById(prisma, examId);
  // Practice (modules, custom quizzes) drawn during an open attempt leaves out its questions:
  // submitting the practice at once would otherwise show their keys. A mock keeps its whole
  // pool, so its blueprint stays the exam's; what it shares with an open practice attempt is
  // held back on that attempt's result instead (attempt-result.ts).
  // An open attempt of this same exam is not practice beside it: a concurrent start of the
  // same exam resumes it (the open-key conflict above), so it must not empty the pool first.
  const heldBack = exam.kind === "mock" ? new Set<string>() : await heldQuestions(deps, { userId, exceptExam: examId });
  const pool = (await loadPool(prisma)).filter((q) => !heldBack.has(q.questionId));
  const selected = selectQuestions({
    pool,
    count: exam.questionCount,
    blueprint: exam.blueprint,
    topicPaths: exam.topicPaths,
    questionIds: exam.questionIds,
    shuffleQuestions: exam.shuffleQuestions,
    shuffleOptions: exam.shuffleOptions,
    rng: deps.newRng(),
  });
  if (selected.length === 0)
    throw new Conflict(
      heldBack.size
        ? "Every question on these topics is in an attempt you have open. Finish that attempt first, or choose other topics."
        : "This exam has no questions to draw from yet.",
    );
  const now = deps.clock.now();
  return retryingTransaction(prisma, async (tx) => {
    const attempt = await tx.attempt.create({
      data: {
        examId,
        userId,
        openKey: `${examId}:${userId}`,
        startedAt: now,
        deadlineAt: deadlineFor(now, exam.timeLimitSeconds, exam.closesAt),
      },
    });
    await tx.attemptItem.createMany({
      data: selected.map((s, i) => ({
        attemptId: attempt.id,
        position: i + 1,
        questionVersionId: s.versionId,
        topicPath: s.topicPath,
        displayOrder: s.displayOrder,
      })),
    });
    return attempt;
  });
}
