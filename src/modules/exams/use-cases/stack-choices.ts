// Use case: the stacks (subtopics) a learner may choose for an exam's stack section, and what
// the start page shows. A stack is offered when its subtopic alone holds enough active
// questions to fill the section.
import { NotFound } from "../../../errors";
import { topicTitles } from "../../banks";
import { activeCountsUnder, typedExam } from "../attempts.repo";
import { allocate } from "../blueprint";
import { examReaches } from "../exam-access";
import type { StackChoice } from "../selection";
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
  const needed = allocate(exam.questionCount, exam.blueprint, exam.slug)[choice.topic] ?? 0;
  const counts = await activeCountsUnder(deps.prisma, choice.topic);
  const offered = [...counts]
    .filter(([path, n]) => !choice.neutral.includes(path) && n >= Math.max(1, needed))
    .map(([path]) => path);
  const topics = await topicTitles(deps.prisma, offered);
  return topics
    .map((t) => ({ path: t.path, title: t.title, questions: counts.get(t.path) ?? 0 }))
    .sort((a, b) => a.title.localeCompare(b.title, "en"));
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
