// Who may do what with exams and attempts, in one place.
import { isTeacher, type Actor } from "../../actor";
import { Forbidden, NotFound } from "../../errors";

/** publicise: mark an exam public, in every learner's catalogue (admins). */
export type ExamAction = "create" | "list-managed" | "manage" | "publicise";

type ExamRef = { ownerId: string | null; kind: string };

export function canOnExam(actor: Actor, action: ExamAction, exam?: ExamRef | null): boolean {
  if (!isTeacher(actor)) return false;
  if (action === "create" || action === "list-managed") return true;
  if (action === "publicise") return actor.role === "admin" && !!exam && exam.kind !== "custom";
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
  if (action === "publicise" && isTeacher(actor)) throw new Forbidden("Only admins can make an exam public.");
  if (isTeacher(actor)) throw new NotFound("There is no such exam.");
  throw new Forbidden("Only instructors and admins can set up exams.");
}

/** An attempt is its learner's alone. */
export function canOnAttempt(actor: { id: string }, attempt: { userId: string }): boolean {
  return attempt.userId === actor.id;
}

/** canOnAttempt, or NotFound: anyone else is told the attempt does not exist. */
export function authorizeAttempt(actor: { id: string }, attempt: { userId: string }): void {
  if (!canOnAttempt(actor, attempt)) throw new NotFound("There is no such attempt.");
}

/**
 * Whether the actor may read a learner's submitted attempt as an instructor: an admin, or the
 * owner of a class the learner is in when the attempt's exam reaches that class (shared with it,
 * or a public mock exam the class prepares for). `teachesIt` is that fact, read by the caller.
 * An open attempt is never shown to anyone but its learner.
 */
export function canReadLearnerAttempt(actor: Actor, attempt: { status: string }, teachesIt: boolean): boolean {
  if (attempt.status !== "submitted" || !isTeacher(actor)) return false;
  return actor.role === "admin" || teachesIt;
}

/** Throws NotFound unless canReadLearnerAttempt: to anyone else the attempt does not exist. */
export function authorizeLearnerAttempt(actor: Actor, attempt: { status: string }, teachesIt: boolean): void {
  if (!canReadLearnerAttempt(actor, attempt, teachesIt)) throw new NotFound("There is no such attempt.");
}

/**
 * Whose attempts an exam's cohort counts for the actor: everyone's for an admin or the exam's
 * owner ("all"); the learners of their own classes for an instructor looking at a public exam
 * ("own-learners"). Anyone else may not see it (authorizeExam says how they are told).
 */
export function cohortScope(
  actor: Actor,
  exam: { ownerId: string | null; kind: string; public: boolean },
): "all" | "own-learners" | null {
  if (canOnExam(actor, "manage", exam)) return "all";
  if (isTeacher(actor) && exam.kind !== "custom" && (exam.ownerId === null || exam.public)) return "own-learners";
  return null;
}
