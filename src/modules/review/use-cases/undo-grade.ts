// Use case: undo the learner's last grade, as Anki's Undo does. Each grade's log row keeps
// the item's state before it (`prior`); undoing puts that state back and removes the log
// row, so the card is shown again as it was. Only the latest grade is undone each time;
// grades logged before undo existed carry no prior state and cannot be undone.
import { Conflict } from "../../../errors";
import type { SchedulingState } from "../scheduler";
import type { ReviewDeps } from "./deps";

type Prior = Omit<SchedulingState, "due" | "lastReview"> & { due: string; lastReview: string | null };

/** The state a log row keeps (JSON: dates as ISO strings). */
export const priorState = (s: SchedulingState): Prior => ({
  due: s.due.toISOString(),
  stability: s.stability,
  difficulty: s.difficulty,
  elapsedDays: s.elapsedDays,
  scheduledDays: s.scheduledDays,
  learningSteps: s.learningSteps,
  reps: s.reps,
  lapses: s.lapses,
  state: s.state,
  lastReview: s.lastReview ? s.lastReview.toISOString() : null,
});

export type UndoGradeOptions = { userId: string };

/** Undoes the latest grade; Conflict when there is none to undo. Returns the card's key. */
export async function undoGrade(deps: ReviewDeps, input: UndoGradeOptions): Promise<{ cardKey: string }> {
  return deps.prisma.$transaction(async (tx) => {
    const last = await tx.reviewLog.findFirst({
      where: { userId: input.userId },
      orderBy: { id: "desc" },
      include: { reviewItem: { select: { cardKey: true } } },
    });
    if (!last?.prior) throw new Conflict("There is no grade to undo.", "nothing_to_undo");
    const prior = last.prior as unknown as Prior;
    await tx.reviewLog.delete({ where: { id: last.id } });
    await tx.reviewItem.update({
      where: { id: last.reviewItemId },
      data: {
        ...prior,
        due: new Date(prior.due),
        lastReview: prior.lastReview ? new Date(prior.lastReview) : null,
      },
    });
    return { cardKey: last.reviewItem.cardKey };
  });
}

/** Whether the learner has a grade that undo would take back. */
export async function canUndo(deps: ReviewDeps, input: UndoGradeOptions): Promise<boolean> {
  const last = await deps.prisma.reviewLog.findFirst({
    where: { userId: input.userId },
    orderBy: { id: "desc" },
    select: { prior: true },
  });
  return Boolean(last?.prior);
}
