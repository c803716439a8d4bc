// Who may manage accounts: admins, for others; everyone, for their own password and sessions.
import type { Actor } from "../../actor";
import { Forbidden } from "../../errors";

export type AccountAction = "list-users" | "change-role" | "disable";

export function authorizeAccounts(actor: Actor, _action: AccountAction): void {
  if (actor.role !== "admin") throw new Forbidden("Only admins can manage accounts.");
}
