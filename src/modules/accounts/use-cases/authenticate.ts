// Checking a sign-in. The attempt is counted before the password is checked (throttling
// throws TooManyRequests past the limits; docs/security.md). Unknown email and wrong
// password take the same path and time and give the same answer (null).
import type { SignInAttempt } from "../sign-in-throttle";
import { spendVerifyTime, verifyPassword } from "../passwords";
import type { AccountsDeps, SessionUser } from "./deps";

export type AuthenticateOptions = SignInAttempt & { password: string };

export async function authenticate(deps: AccountsDeps, input: AuthenticateOptions): Promise<SessionUser | null> {
  const attempt = await deps.throttle.admit(input);
  const user = await deps.prisma.user.findUnique({ where: { email: input.email } });
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await spendVerifyTime(input.password), false);
  if (!user || !ok || user.disabledAt) return null;
  await attempt.succeeded();
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}
