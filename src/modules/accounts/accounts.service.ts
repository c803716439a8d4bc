// Accounts use cases: sign-up, sign-in with throttling, passwords, sessions, roles.
// Authorisation is checked here, not only in routes.
import type { Actor, Role } from "../../actor";
import type { Clock } from "../../clock";
import type { Db } from "../../db";
import { Conflict, Forbidden, Invalid, NotFound } from "../../errors";
import { endSessionsOf } from "../sessions";
import { hashPassword, spendVerifyTime, verifyPassword } from "./passwords";
import { passwordProblem } from "./password-policy";
import type { SignInAttempt, SignInThrottle } from "./sign-in-throttle";

export type { Actor, Role };
export type SessionUser = { id: string; email: string; displayName: string; role: Role };

const sessionFields = { id: true, email: true, displayName: true, role: true } as const;

export function accountsService(deps: { prisma: Db; clock: Clock; throttle: SignInThrottle }) {
  const { prisma, clock, throttle } = deps;

  async function createAccount(input: {
    email: string;
    displayName: string;
    password: string;
    role?: Role;
  }): Promise<SessionUser> {
    const problem = passwordProblem(input.password, { email: input.email });
    if (problem) throw new Invalid("Choose a different password.", [{ field: "password", message: problem }]);
    const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) {
      throw new Conflict("An account with this email address already exists. Sign in instead.");
    }
    const passwordHash = await hashPassword(input.password);
    try {
      return await prisma.user.create({
        data: { email: input.email, displayName: input.displayName, passwordHash, role: input.role ?? "learner" },
        select: sessionFields,
      });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002")
        throw new Conflict("An account with this email address already exists. Sign in instead.");
      throw error;
    }
  }

  return {
    /** Sign-up from the web form, limited per address (each one hashes a password). */
    async signUp(input: { email: string; displayName: string; password: string; ip: string }): Promise<SessionUser> {
      await throttle.admitSignUp(input.ip);
      return createAccount({ email: input.email, displayName: input.displayName, password: input.password });
    },

    createUser: (input: { email: string; displayName: string; password: string; role: Role }) => createAccount(input),

    /**
     * Checks a sign-in. The attempt is counted before the password is checked (throttling
     * throws TooManyRequests past the limits; docs/security.md). Unknown email and wrong
     * password take the same path and time and give the same answer (null).
     */
    async authenticate(input: SignInAttempt & { password: string }): Promise<SessionUser | null> {
      const attempt = await throttle.admit(input);
      const user = await prisma.user.findUnique({ where: { email: input.email } });
      const ok = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await spendVerifyTime(input.password), false);
      if (!user || !ok || user.disabledAt) return null;
      await attempt.succeeded();
      return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
    },

    /** The limit for the password-reset flow to call before it sends anything. */
    allowPasswordReset: (input: { email: string; ip: string }) => throttle.admitPasswordReset(input),

    async changePassword(input: {
      userId: string;
      currentPassword: string;
      newPassword: string;
      keepSessionId: string;
    }): Promise<void> {
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
    },

    /** Ends every session of the user, including the current one. */
    async signOutEverywhere(input: { userId: string }): Promise<number> {
      return endSessionsOf(prisma, input.userId);
    },

    async listUsers(input: { actor: Actor }) {
      if (input.actor.role !== "admin") throw new Forbidden();
      return prisma.user.findMany({
        orderBy: [{ role: "desc" }, { email: "asc" }],
        select: { ...sessionFields, disabledAt: true, createdAt: true },
      });
    },

    /** Changes a role; the user's sessions end, so the next sign-in gets a new session id. */
    async setRole(input: { actor: Actor; userId: string; role: Role }): Promise<void> {
      if (input.actor.role !== "admin") throw new Forbidden();
      if (input.actor.id === input.userId) throw new Conflict("You cannot change your own role.");
      await prisma.$transaction(async (tx) => {
        const updated = await tx.user.updateMany({ where: { id: input.userId }, data: { role: input.role } });
        if (updated.count === 0) throw new NotFound("No such user.");
        await endSessionsOf(tx, input.userId);
      });
    },

    /** Disabling ends the user's sessions at once. */
    async setDisabled(input: { actor: Actor; userId: string; disabled: boolean }): Promise<void> {
      if (input.actor.role !== "admin") throw new Forbidden();
      if (input.actor.id === input.userId) throw new Conflict("You cannot disable your own account.");
      await prisma.$transaction(async (tx) => {
        const updated = await tx.user.updateMany({
          where: { id: input.userId },
          data: { disabledAt: input.disabled ? clock.now() : null },
        });
        if (updated.count === 0) throw new NotFound("No such user.");
        if (input.disabled) await endSessionsOf(tx, input.userId);
      });
    },

    /** For the command line: set a role by email (no acting user: the operator is trusted). */
    async setRoleByEmail(input: { email: string; role: Role }): Promise<void> {
      const user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
      if (!user) throw new NotFound(`No user with the email ${input.email}.`);
      await prisma.$transaction([
        prisma.user.update({ where: { id: user.id }, data: { role: input.role } }),
        endSessionsOf(prisma, user.id),
      ]);
    },

    /** The learner's desired retention for spaced repetition (kept on the account). */
    async desiredRetention(input: { userId: string }): Promise<number> {
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: input.userId },
        select: { desiredRetention: true },
      });
      return user.desiredRetention;
    },

    async setDesiredRetention(input: { userId: string; retention: number }): Promise<void> {
      await prisma.user.update({ where: { id: input.userId }, data: { desiredRetention: input.retention } });
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
