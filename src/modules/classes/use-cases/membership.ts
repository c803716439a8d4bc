// Use cases: joining a class (by its code or an invite link), adding a learner by email,
// removing a member, and leaving. A learner may be in several classes.
import type { Actor } from "../../../actor";
import { activeAccountByEmail } from "../../accounts";
import { Invalid, NotFound, TooManyRequests } from "../../../errors";
import { authorizeClass } from "../classes.policy";
import { classFor } from "../classes.repo";
import { INVITE_TOKEN_PATTERN, inviteTokenHash, normaliseJoinCode } from "../codes";
import type { ClassesDeps } from "./deps";
import { managedClass } from "./manage-class";

const wrongCode = () =>
  new Invalid("That code does not match any class.", [
    {
      field: "code",
      message: "No class has this code. Check it with your instructor: it may have been replaced by a new one.",
    },
  ]);

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

async function addMember(deps: ClassesDeps, classId: string, userId: string): Promise<boolean> {
  const added = await deps.prisma.classMember.createMany({ data: [{ classId, userId }], skipDuplicates: true });
  return added.count > 0;
}

/**
 * Joins the class whose code this is. Every attempt is counted per learner and per address
 * before the code is looked up, so codes cannot be guessed by trying them; a right code
 * takes its point back.
 */
export async function joinWithCode(deps: ClassesDeps, input: { actor: Actor; code: string; ip: string }) {
  for (const [limiter, key] of [
    [deps.joinLimits.user, input.actor.id],
    [deps.joinLimits.address, input.ip],
  ] as const) {
    const result = await limiter.consume(key);
    if (!result.allowed)
      throw new TooManyRequests(
        `Too many join attempts. Try again in ${minutes(result.retryAfterSeconds)} minute(s).`,
        result.retryAfterSeconds,
      );
  }
  const code = normaliseJoinCode(input.code);
  const cls =
    code && (await deps.prisma.class.findUnique({ where: { joinCode: code }, select: { id: true, name: true } }));
  if (!cls) throw wrongCode();
  await deps.joinLimits.user.refund(input.actor.id);
  await deps.joinLimits.address.refund(input.ip);
  return { ...cls, joined: await addMember(deps, cls.id, input.actor.id) };
}

/** The class an invite link leads to, or why it does not (expired, revoked, unknown). */
export async function inviteTarget(deps: ClassesDeps, input: { token: string }) {
  const invite = INVITE_TOKEN_PATTERN.test(input.token)
    ? await deps.prisma.classInvite.findUnique({
        where: { tokenHash: inviteTokenHash(input.token) },
        include: { class: { select: { id: true, name: true, description: true } } },
      })
    : null;
  if (!invite) throw new NotFound("This invite link is not valid. Ask your instructor for a new one.");
  if (invite.revokedAt) throw new NotFound("This invite link was withdrawn. Ask your instructor for a new one.");
  if (invite.expiresAt <= deps.clock.now())
    throw new NotFound("This invite link has expired. Ask your instructor for a new one.");
  return invite.class;
}

export async function joinWithInvite(deps: ClassesDeps, input: { actor: Actor; token: string }) {
  const cls = await inviteTarget(deps, input);
  return { ...cls, joined: await addMember(deps, cls.id, input.actor.id) };
}

/** The instructor adds an existing account by its email. */
export async function addMemberByEmail(deps: ClassesDeps, input: { actor: Actor; classId: string; email: string }) {
  await managedClass(deps, input);
  const user = await activeAccountByEmail(deps.prisma, input.email);
  if (!user)
    throw new Invalid("There is no account with that email.", [
      {
        field: "email",
        message: "No account has this email. Send the person an invite link or the join code instead.",
      },
    ]);
  return { displayName: user.displayName, added: await addMember(deps, input.classId, user.id) };
}

/**
 * Removes a learner from the class: what the class shares is out of their reach from the next
 * request; their attempts, progress and cards stay theirs.
 */
export async function removeMember(deps: ClassesDeps, input: { actor: Actor; classId: string; userId: string }) {
  await managedClass(deps, input);
  const removed = await deps.prisma.classMember.deleteMany({ where: { classId: input.classId, userId: input.userId } });
  if (removed.count === 0) throw new NotFound("That learner is not in this class.");
}

export async function leaveClass(deps: ClassesDeps, input: { actor: Actor; classId: string }) {
  const found = await classFor(deps.prisma, input.classId, input.actor.id);
  authorizeClass(input.actor, "view", found?.cls, found?.member);
  if (!found?.member) throw new NotFound("You are not in this class.");
  await deps.prisma.classMember.delete({
    where: { classId_userId: { classId: input.classId, userId: input.actor.id } },
  });
  return { name: found.cls.name };
}
