// Use case: the stacks (subtopics) a learner may choose for an exam's stack section, and what
// the start page shows. A stack is offered when its subtopic alone holds enough active
// questions to fill the section.
import { NotFound } from "../../../errors";
import { topicTitles } from "../../banks";
import { activeCountsUnder, typedExam } from "../attempts.repo";
import { allocate } from "../blueprint";
import { examReaches } from "../exam-access";
import type { PoolQuestion, StackChoice } from "../selection";
import type { AttemptsDeps } from "./deps";

export type StackOption = { path: string; title: string; questions: number };

export type StartOptionsOptions = { examSlug: string; userId: string };

type ExamRow = {
  slug: string;
  questionCount: number;
  blueprint: Record<string, number> | null;
  stackChoice: StackChoice | null;
};

/** The choices of a typed exam; null when it has no stack section. */
export async function stackChoices(deps: AttemptsDeps, exam: ExamRow): Promise<StackOption[] | null> {
  const choice = exam.stackChoice;
  if (!choice || !exam.blueprint) return null;
  const counts = await activeCountsUnder(deps.prisma, choice.topic);
  const topics = await topicTitles(deps.prisma, offeredStacks(exam, choice, counts));
  return topics
    .map((t) => ({ path: t.path, title: t.title, questions: counts.get(t.path) ?? 0 }))
    .sort((a, b) => a.title.localeCompare(b.title, "en"));
}

/** The subtopics with enough questions (per subtopic path) to fill the exam's stack section. */
function offeredStacks(exam: ExamRow, choice: StackChoice, counts: Map<string, number>): string[] {
  const needed = allocate(exam.questionCount, exam.blueprint ?? {}, exam.slug)[choice.topic] ?? 0;
  return [...counts]
    .filter(([path, n]) => !choice.neutral.includes(path) && n >= Math.max(1, needed))
    .map(([path]) => path);
}

/**
 * The stacks offered, counted in a loaded (timed: essays left out) pool instead of every bank:
 * what a start drawn from a kept pool accepts without asking (a subset of stackChoices's).
 */
export function stacksInPool(exam: ExamRow, pool: readonly PoolQuestion[]): ReadonlySet<string> | null {
  const choice = exam.stackChoice;
  if (!choice || !exam.blueprint) return null;
  const counts = new Map<string, number>();
  for (const q of pool)
    if (q.topicPath.startsWith(`${choice.topic}/`)) counts.set(q.topicPath, (counts.get(q.topicPath) ?? 0) + 1);
  return new Set(offeredStacks(exam, choice, counts));
}

/** What the start page of an exam shows: the exam, the learner's open attempt, the stack choices. */
export async function startOptions(deps: AttemptsDeps, input: StartOptionsOptions) {
  const found = await deps.prisma.exam.findUnique({ where: { slug: input.examSlug } });
  if (!found || found.kind === "custom" || !(await examReaches(deps.prisma, found, input.userId)))
    throw new NotFound("There is no such exam.");
  const exam = typedExam(found);
  const open = await deps.prisma.attempt.findUnique({ where: { openKey: `${exam.id}:${input.userId}` } });
  return {
    exam,
    openAttemptId: open?.id ?? null,
    stackTopic: exam.stackChoice?.topic ?? null,
    stacks: await stackChoices(deps, exam),
  };
}
