// A new account: the password policy first, then one row; a taken email is a conflict.
import type { Role } from "../../../actor";
import { Conflict, Invalid } from "../../../errors";
import { hashPassword } from "../passwords";
import { passwordProblem } from "../password-policy";
import { sessionFields, type AccountsDeps, type SessionUser } from "./deps";

export type CreateAccountOptions = { email: string; displayName: string; password: string; role?: Role };

const taken = "An account with this email address already exists. Sign in instead.";

export async function createAccount(deps: AccountsDeps, input: CreateAccountOptions): Promise<SessionUser> {
  const { prisma } = deps;
  const problem = passwordProblem(input.password, { email: input.email });
  if (problem) throw new Invalid("Choose a different password.", [{ field: "password", message: problem }]);
  const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new Conflict(taken);
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.user.create({
      data: { email: input.email, displayName: input.displayName, passwordHash, role: input.role ?? "learner" },
      select: sessionFields,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new Conflict(taken);
    throw error;
  }
}

export type SignUpOptions = { email: string; displayName: string; password: string; ip: string };

/** Sign-up from the web form, limited per address (each one hashes a password). */
export async function signUp(deps: AccountsDeps, input: SignUpOptions): Promise<SessionUser> {
  await deps.throttle.admitSignUp(input.ip);
  return createAccount(deps, { email: input.email, displayName: input.displayName, password: input.password });
}
