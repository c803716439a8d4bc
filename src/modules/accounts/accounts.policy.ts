// Who may manage accounts: admins, for others; everyone, for their own password and sessions.
import type { Actor } from "../../actor";
import { Forbidden } from "../../errors";
import { scopeWithin } from "./tokens";

export type AccountAction = "list-users" | "change-role" | "disable" | "issue-reset-link";

export function authorizeAccounts(actor: Actor, _action: AccountAction): void {
  if (actor.role !== "admin") throw new Forbidden("Only admins can manage accounts.");
}

/** A token's scope may be no wider than its user's role. */
export function authorizeTokenScope(actor: Actor, scope: Actor["role"]): void {
  if (!scopeWithin(scope, actor.role))
    throw new Forbidden(
      `A ${actor.role} can create tokens with the scope learner${actor.role === "instructor" ? " or instructor" : ""} only.`,
    );
}
