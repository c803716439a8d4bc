// Admins manage other accounts (accounts.policy.ts says who may); role changes and
// disabling end the user's sessions in the same transaction, so the next request of that
// user meets the new rule. The command line acts as the trusted operator.
import type { Actor, Role } from "../../../actor";
import { Conflict, NotFound } from "../../../errors";
import { endSessionsOf } from "../../sessions";
import { authorizeAccounts } from "../accounts.policy";
import { sessionFields, type AccountsDeps } from "./deps";

export type ListUsersOptions = { actor: Actor };

export async function listUsers(deps: AccountsDeps, input: ListUsersOptions) {
  authorizeAccounts(input.actor, "list-users");
  return deps.prisma.user.findMany({
    orderBy: [{ role: "desc" }, { email: "asc" }],
    select: { ...sessionFields, disabledAt: true, createdAt: true },
  });
}

export type SetRoleOptions = { actor: Actor; userId: string; role: Role };

/** Changes a role; the user's sessions end, so the next sign-in gets a new session id. */
export async function setRole(deps: AccountsDeps, input: SetRoleOptions): Promise<void> {
  authorizeAccounts(input.actor, "change-role");
  if (input.actor.id === input.userId) throw new Conflict("You cannot change your own role.");
  await deps.prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: input.userId }, data: { role: input.role } });
    if (updated.count === 0) throw new NotFound("No such user.");
    await endSessionsOf(tx, input.userId);
  });
}

export type SetDisabledOptions = { actor: Actor; userId: string; disabled: boolean };

/** Disabling ends the user's sessions at once. */
export async function setDisabled(deps: AccountsDeps, input: SetDisabledOptions): Promise<void> {
  authorizeAccounts(input.actor, "disable");
  if (input.actor.id === input.userId) throw new Conflict("You cannot disable your own account.");
  await deps.prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({
      where: { id: input.userId },
      data: { disabledAt: input.disabled ? deps.clock.now() : null },
    });
    if (updated.count === 0) throw new NotFound("No such user.");
    if (input.disabled) await endSessionsOf(tx, input.userId);
  });
}

export type SetRoleByEmailOptions = { email: string; role: Role };

/** For the command line: set a role by email (no acting user: the operator is trusted). */
export async function setRoleByEmail(deps: AccountsDeps, input: SetRoleByEmailOptions): Promise<void> {
  const { prisma } = deps;
  const user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (!user) throw new NotFound(`No user with the email ${input.email}.`);
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { role: input.role } }),
    endSessionsOf(prisma, user.id),
  ]);
}
