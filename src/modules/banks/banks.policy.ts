// Who may do what with banks, in one place; every banks use case and every module that
// reaches a bank's content (teach, exams' setup, classes' sharing) asks here.
import { isTeacher, type Actor, type Operator } from "../../actor";
import { Forbidden, NotFound } from "../../errors";

export type BankAction =
  /** upload a new bank or a new version of one's own */
  | "upload"
  /** see the list of banks one owns or shares */
  | "list"
  /** read questions with their keys, export, see item statistics (owner, editors, viewers) */
  | "read"
  /** edit questions, retire them, upload a new version (owner and editors) */
  | "manage"
  /** build exams over the bank's topics (the public banks, and those one may read) */
  | "use-topics"
  /** rename, archive, delete, share with classes and instructors (the owner) */
  | "administer"
  /** mark a bank public for every learner (admins) */
  | "publicise";

/** A bank as the policy needs it; `role` is the actor's collaborator role on it, if any. */
export type BankRef = { ownerId: string | null; public?: boolean; role?: "editor" | "viewer" | null };

export function canOnBank(actor: Actor | Operator, action: BankAction, bank?: BankRef | null): boolean {
  if (actor === "operator" || actor.role === "admin") return true;
  if (!isTeacher(actor)) return false;
  const own = bank !== undefined && bank !== null && bank.ownerId !== null && bank.ownerId === actor.id;
  switch (action) {
    case "upload":
    case "list":
      return true;
    case "manage":
      return own || bank?.role === "editor";
    case "read":
      return own || bank?.role === "editor" || bank?.role === "viewer";
    case "use-topics":
      // The shipped and public banks are everyone's to build exams on; others' private banks are not.
      return (
        bank !== undefined && bank !== null && (bank.ownerId === null || bank.public === true || own || !!bank.role)
      );
    case "administer":
      return own;
    case "publicise":
      return false;
  }
}

/**
 * Whose banks a list shows the actor: every bank for admins (undefined), otherwise the
 * actor's own and those shared with them. The one place that says so for bank lists.
 */
export function bankOwnerScope(actor: Actor): string | undefined {
  return actor.role === "admin" ? undefined : actor.id;
}

const REFUSALS: Record<BankAction, string> = {
  upload: "Only instructors and admins can upload banks.",
  list: "Only instructors and admins can use the teaching workspace.",
  read: "This bank belongs to someone else.",
  manage: "You may read this bank but not change it: ask its owner to make you an editor.",
  "use-topics": "That topic belongs to someone else's bank.",
  administer: "Only the bank's owner can do that.",
  publicise: "Only admins can make a bank public.",
};

/**
 * Throws when the actor may not act on the bank. An instructor who may not even read it is
 * told it does not exist (its slug says nothing to them); one who may read it is refused.
 */
export function authorizeBank(actor: Actor | Operator, action: BankAction, bank?: BankRef | null): void {
  if (canOnBank(actor, action, bank)) return;
  if (
    bank &&
    actor !== "operator" &&
    isTeacher(actor) &&
    !["upload", "list", "use-topics", "publicise"].includes(action) &&
    !canOnBank(actor, "read", bank)
  )
    throw new NotFound("There is no such bank.");
  throw new Forbidden(REFUSALS[action]);
}
