// Use cases: invite links to a class. The link's token is returned once, at creation; only
// its digest is kept. Links expire and can be withdrawn.
import type { Actor } from "../../../actor";
import { NotFound } from "../../../errors";
import { INVITE_DAYS_DEFAULT, inviteTokenHash, newInviteToken } from "../codes";
import type { ClassesDeps } from "./deps";
import { managedClass } from "./manage-class";

export async function createInvite(
  deps: ClassesDeps,
  input: { actor: Actor; classId: string; days?: number | undefined },
) {
  await managedClass(deps, input);
  const token = newInviteToken();
  const expiresAt = new Date(deps.clock.now().getTime() + (input.days ?? INVITE_DAYS_DEFAULT) * 86_400_000);
  await deps.prisma.classInvite.create({
    data: { classId: input.classId, tokenHash: inviteTokenHash(token), expiresAt },
  });
  return { token, expiresAt };
}

export async function revokeInvite(deps: ClassesDeps, input: { actor: Actor; classId: string; inviteId: string }) {
  await managedClass(deps, input);
  const revoked = await deps.prisma.classInvite.updateMany({
    where: { id: input.inviteId, classId: input.classId, revokedAt: null },
    data: { revokedAt: deps.clock.now() },
  });
  if (revoked.count === 0) throw new NotFound("There is no such invite link, or it was already withdrawn.");
}
