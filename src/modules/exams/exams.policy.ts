// Who may do what with exams and attempts, in one place.
import { isTeacher, type Actor } from "../../actor";
import { Forbidden, NotFound } from "../../errors";

export type ExamAction = "create" | "list-managed" | "manage";

type ExamRef = { ownerId: string | null; kind: string };

export function canOnExam(actor: Actor, action: ExamAction, exam?: ExamRef | null): boolean {
  if (!isTeacher(actor)) return false;
  if (action === "create" || action === "list-managed") return true;
  if (!exam || exam.kind === "custom") return false;
  return actor.role === "admin" || exam.ownerId === actor.id;
}

/** Whose exams a list of managed exams shows: every one for admins (undefined), otherwise the actor's own. */
export function examOwnerScope(actor: Actor): string | undefined {
  return actor.role === "admin" ? undefined : actor.id;
}

export function authorizeExam(actor: Actor, action: ExamAction, exam?: ExamRef | null): void {
  if (canOnExam(actor, action, exam)) return;
  // Another instructor's exam is, to them, not there (its slug says nothing of it).
  if (isTeacher(actor)) throw new NotFound("There is no such exam.");
  throw new Forbidden("Only instructors and admins can set up exams.");
}

/** An attempt is its learner's alone: anyone else is told it does not exist. */
export function authorizeAttempt(actor: { id: string }, attempt: { userId: string }): void {
  if (attempt.userId !== actor.id) throw new NotFound("There is no such attempt.");
}
