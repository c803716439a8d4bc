// Use cases: the classes a person sees (owned ones for instructors, every one for admins,
// joined ones for everyone) and one class's page for its instructor.
import type { Actor } from "../../../actor";
import { isTeacher } from "../../../actor";
import { classesOwnedBy } from "../classes.repo";
import { classOwnerScope } from "../classes.policy";
import type { ClassesDeps } from "./deps";
import { managedClass } from "./manage-class";

export async function listClasses(deps: ClassesDeps, input: { actor: Actor }) {
  const [owned, joined] = await Promise.all([
    isTeacher(input.actor) ? classesOwnedBy(deps.prisma, classOwnerScope(input.actor)) : Promise.resolve([]),
    deps.prisma.classMember.findMany({
      where: { userId: input.actor.id },
      orderBy: { joinedAt: "asc" },
      select: {
        joinedAt: true,
        class: { select: { id: true, name: true, description: true, owner: { select: { displayName: true } } } },
      },
    }),
  ]);
  return {
    owned: owned.map((c) => ({ id: c.id, name: c.name, description: c.description, members: c._count.members })),
    joined: joined.map((m) => ({ ...m.class, instructor: m.class.owner.displayName, joinedAt: m.joinedAt })),
  };
}

/** A class with its members and live invite links, for whoever manages it. */
export async function classRoster(deps: ClassesDeps, input: { actor: Actor; classId: string }) {
  const cls = await managedClass(deps, input);
  const now = deps.clock.now();
  const [members, invites, owner] = await Promise.all([
    deps.prisma.classMember.findMany({
      where: { classId: cls.id },
      orderBy: { joinedAt: "asc" },
      select: { joinedAt: true, user: { select: { id: true, displayName: true, email: true } } },
    }),
    deps.prisma.classInvite.findMany({
      where: { classId: cls.id, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      select: { id: true, createdAt: true, expiresAt: true },
    }),
    deps.prisma.class.findUniqueOrThrow({
      where: { id: cls.id },
      select: { owner: { select: { displayName: true } } },
    }),
  ]);
  return {
    cls,
    owner: owner.owner.displayName,
    members: members.map((m) => ({ ...m.user, joinedAt: m.joinedAt })),
    invites,
  };
}
