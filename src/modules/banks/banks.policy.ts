// Who may do what with banks, in one place; every banks use case and every module that
// reaches a bank's content (teach, exams' setup) asks here.
import { isTeacher, type Actor, type Operator } from "../../actor";
import { Forbidden, NotYours } from "../../errors";

export type BankAction =
  /** upload a new bank or a new version of one's own */
  | "upload"
  /** see the list of banks one manages */
  | "list"
  /** read questions with their keys, edit, retire, export, see item statistics */
  | "manage"
  /** build exams over the bank's topics */
  | "use-topics";

type BankRef = { ownerId: string | null };

export function canOnBank(actor: Actor | Operator, action: BankAction, bank?: BankRef | null): boolean {
  if (actor === "operator" || actor.role === "admin") return true;
  if (!isTeacher(actor)) return false;
  switch (action) {
    case "upload":
    case "list":
      return true;
    case "manage":
      return bank?.ownerId === actor.id;
    case "use-topics":
      // The shipped banks (no owner) are everyone's to build exams on; others' banks are not.
      return bank !== undefined && bank !== null && (bank.ownerId === null || bank.ownerId === actor.id);
  }
}

/**
 * Whose banks a list shows the actor: every bank for admins (undefined), otherwise the
 * actor's own. The one place that says so for bank lists and topic choices.
 */
export function bankOwnerScope(actor: Actor): string | undefined {
  return actor.role === "admin" ? undefined : actor.id;
}

const REFUSALS: Record<BankAction, string> = {
  upload: "Only instructors and admins can upload banks.",
  list: "Only instructors and admins can use the teaching workspace.",
  manage: "This bank belongs to someone else.",
  "use-topics": "That topic belongs to someone else's bank.",
};

export function authorizeBank(actor: Actor | Operator, action: BankAction, bank?: BankRef | null): void {
  if (canOnBank(actor, action, bank)) return;
  // A teacher refused is refused by ownership: the bank is someone else's.
  const owned = actor !== "operator" && isTeacher(actor) && (action === "manage" || action === "use-topics");
  throw owned ? new NotYours(REFUSALS[action]) : new Forbidden(REFUSALS[action]);
}
