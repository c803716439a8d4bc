// Who may do what with classes, in one place; the classes use cases and every module that
// shares something with a class (banks, exams) or reads its learners (teach) ask here.
import { isTeacher, type Actor } from "../../actor";
import { Forbidden, NotFound } from "../../errors";

export type ClassAction =
  /** create a class */
  | "create"
  /** rename, manage members and invites, share with it, read its gradebook, delete it */
  | "manage"
  /** see the class's name and what it shares (its members and owner) */
  | "view";

type ClassRef = { ownerId: string };

export function canOnClass(actor: Actor, action: ClassAction, cls?: ClassRef | null, member = false): boolean {
  if (action === "create") return isTeacher(actor);
  if (!cls) return false;
  if (actor.role === "admin" || cls.ownerId === actor.id) return true;
  return action === "view" && member;
}

/**
 * Throws when the actor may not act on the class. Someone who may not even see it is told it
 * does not exist (a class's id says nothing to outsiders); a member asking to manage is refused.
 */
export function authorizeClass(actor: Actor, action: ClassAction, cls?: ClassRef | null, member = false): void {
  if (canOnClass(actor, action, cls, member)) return;
  if (action === "create") throw new Forbidden("Only instructors and admins can create classes.");
  if (cls && member) throw new Forbidden("Only the class's instructor can do that.");
  throw new NotFound("There is no such class.");
}

/** Whose classes a list shows: every class for admins (undefined), otherwise the actor's own. */
export const classOwnerScope = (actor: Actor): string | undefined => (actor.role === "admin" ? undefined : actor.id);
