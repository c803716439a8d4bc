// Use case: start an attempt of an exam, or resume the learner's open one.
import { isUniqueViolation, retrying } from "../../../db";
import { Conflict, Invalid, NotFound } from "../../../errors";
import { insertAttempt, loadPool, typedExam } from "../attempts.repo";
import { examBanks, examReaches } from "../exam-access";
import { poolForStack, selectQuestions } from "../selection";
import { deadlineFor, isOverdue, PRACTICE_OPEN_SECONDS, type AttemptMode } from "../timer";
import type { AttemptsDeps } from "./deps";
import { heldQuestions } from "./held-questions";
import { stackChoices } from "./stack-choices";
import { submitAttempt } from "./submit-attempt";

export type StartAttemptOptions = {
  examSlug: string;
  userId: string;
  /** The subtopic chosen for the exam's stack section (e.g. "languages/go"); needed when it has one. */
  stack?: string;
  /** timed (the default) or practice: untimed, each answer checked as the learner goes. */
  mode?: AttemptMode;
};

/**
 * Starts an attempt, or resumes the open one (in the mode it was started in); an overdue open
 * one is submitted first. The mock exam is always timed.
 */
export async function startAttempt(
  deps: AttemptsDeps,
  input: StartAttemptOptions,
): Promise<{ id: string; resumed: boolean }> {
  const { prisma } = deps;
  const found = await examWithOwner(deps, input.examSlug);
  if (!found || !(await examReaches(prisma, found, input.userId))) throw new NotFound("There is no such exam.");
  const exam = typedExam(found);
  const mode = input.mode ?? "timed";
  if (mode === "practice" && exam.kind === "mock")
    throw new Conflict("The mock exam is always timed: practise with a topic module or your own quiz.");
  const now = deps.clock.now();
  if (exam.opensAt && exam.opensAt > now)
    throw new Conflict(
      `This exam opens at ${exam.opensAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      "not_open",
    );
  if (exam.closesAt && exam.closesAt <= now) throw new Conflict("This exam has closed.");
  const open = await prisma.attempt.findUnique({ where: { openKey: `${exam.id}:${input.userId}` } });
  if (open && !isOverdue(open.deadlineAt, now)) return { id: open.id, resumed: true };
  if (open) await submitAttempt(deps, { attemptId: open.id, by: "deadline" });
  if (exam.maxAttempts !== null) {
    const used = await prisma.attempt.count({ where: { examId: exam.id, userId: input.userId } });
    if (used >= exam.maxAttempts) throw new Conflict(`You have used all ${exam.maxAttempts} attempt(s) of this exam.`);
  }
  // A stack section draws only from the chosen subtopic: a start without a valid choice is refused.
  const stacks = await stackChoices(deps, exam);
  let stack: string | null = null;
  if (stacks) {
    if (stacks.length === 0)
      throw new Conflict("No language has enough questions for this exam's languages section yet.");
    if (!input.stack || !stacks.some((s) => s.path === input.stack))
      throw new Invalid("Choose the language you work in.", [
        { field: "stack", message: `Choose one of: ${stacks.map((s) => `${s.path} (${s.title})`).join(", ")}.` },
      ]);
    stack = input.stack;
  }
  try {
    return { id: (await createAttempt(deps, exam, input.userId, stack, mode)).id, resumed: false };
  } catch (error) {
    // Another request started it a moment ago: resume that one.
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma.attempt.findUniqueOrThrow({ where: { openKey: `${exam.id}:${input.userId}` } });
    return { id: winner.id, resumed: true };
  }
}

type StartingExam = ReturnType<typeof typedExam<NonNullable<Awaited<ReturnType<typeof examWithOwner>>>>>;
const examWithOwner = (deps: AttemptsDeps, slug: string) =>
  deps.prisma.exam.findUnique({ where: { slug }, include: { owner: { select: { role: true } } } });

async function createAttempt(
  deps: AttemptsDeps,
  exam: StartingExam,
  userId: string,
  stack: string | null,
  mode: AttemptMode,
) {
  const { prisma } = deps;
  const examId = exam.id;
  // Practice (modules, custom quizzes) drawn during an open attempt leaves out its questions:
  // submitting the practice at once would otherwise show their keys. A mock keeps its whole
  // pool, so its blueprint stays the exam's; what it shares with an open practice attempt is
  // held back on that attempt's result instead (attempt-result.ts).
  // An open attempt of this same exam is not practice beside it: a concurrent start of the
  // same exam resumes it (the open-key conflict above), so it must not empty the pool first.
  const heldBack = exam.kind === "mock" ? new Set<string>() : await heldQuestions(deps, { userId, exceptExam: examId });
  // Essays come only into practice: a timed attempt (and every mock exam) is scored, an essay never.
  const banks = await examBanks(prisma, exam);
  const loaded = (await loadPool(prisma, banks, { essays: mode === "practice" })).filter(
    (q) => !heldBack.has(q.questionId),
  );
  const pool = exam.stackChoice && stack ? poolForStack(loaded, exam.stackChoice, stack) : loaded;
  const selected = selectQuestions({
    pool,
    count: exam.questionCount,
    blueprint: exam.blueprint,
    difficultyQuota: exam.difficultyQuota,
    typeQuota: exam.typeQuota,
    tieSeed: exam.slug,
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
  const id = await retrying(() =>
    insertAttempt(prisma, {
      examId,
      userId,
      stack,
      mode,
      startedAt: now,
      deadlineAt: deadlineFor(now, mode === "practice" ? PRACTICE_OPEN_SECONDS : exam.timeLimitSeconds, exam.closesAt),
      items: selected.map((s) => ({ versionId: s.versionId, topicPath: s.topicPath, displayOrder: s.displayOrder })),
    }),
  );
  return { id };
}
