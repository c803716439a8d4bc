// Use case: which questions' keys must not be shown to a learner now.
import { heldQuestionIds } from "../attempts.repo";
import { SAVE_GRACE_MS } from "../timer";
import type { AttemptsDeps } from "./deps";

export type HeldQuestionsOptions = {
  userId: string;
  /** Leave out this attempt (the one being read). */
  exceptAttempt?: string;
  /** Leave out the attempts of this exam (the one being started). */
  exceptExam?: string;
};

/** Questions of the learner's other open attempts (attempts.repo.ts heldQuestionIds). */
export async function heldQuestions(deps: AttemptsDeps, input: HeldQuestionsOptions): Promise<Set<string>> {
  const ids = await heldQuestionIds(deps.prisma, {
    userId: input.userId,
    now: deps.clock.now(),
    graceMs: SAVE_GRACE_MS,
    ...(input.exceptAttempt ? { except: input.exceptAttempt } : {}),
    ...(input.exceptExam ? { exceptExam: input.exceptExam } : {}),
  });
  return new Set(ids);
}
