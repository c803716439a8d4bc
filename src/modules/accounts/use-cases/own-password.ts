// A learner's own password and sessions: changing the password ends every other session;
// signing out everywhere ends them all.
import { Invalid, NotFound } from "../../../errors";
import { endSessionsOf } from "../../sessions";
import { hashPassword, verifyPassword } from "../passwords";
import { passwordProblem } from "../password-policy";
import type { AccountsDeps } from "./deps";

export type ChangePasswordOptions = {
  userId: string;
  currentPassword: string;
  newPassword: string;
  keepSessionId: string;
};

export async function changePassword(deps: AccountsDeps, input: ChangePasswordOptions): Promise<void> {
  const { prisma } = deps;
  const user = await prisma.user.findUnique({ where: { id: input.userId } });
  if (!user) throw new NotFound();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new Invalid("Your current password was not right.", [
      { field: "currentPassword", message: "This is not your current password." },
    ]);
  }
  const problem = passwordProblem(input.newPassword, { email: user.email });
  if (problem) throw new Invalid("Choose a different password.", [{ field: "newPassword", message: problem }]);
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { passwordHash } }),
    endSessionsOf(prisma, user.id, input.keepSessionId),
  ]);
}

export type SignOutEverywhereOptions = { userId: string };

/** Ends every session of the user, including the current one. */
export const signOutEverywhere = (deps: AccountsDeps, input: SignOutEverywhereOptions): Promise<number> =>
  endSessionsOf(deps.prisma, input.userId);
