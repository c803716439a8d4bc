// Use cases: create a class, change its name and description, draw a new join code, delete it.
import type { Actor } from "../../../actor";
import { Invalid } from "../../../errors";
import { authorizeClass } from "../classes.policy";
import { managedClassOf } from "../class-access";
import { withFreshCode } from "../classes.repo";
import type { ClassesDeps } from "./deps";

export type ClassFields = { name: string; description: string };

export async function createClass(deps: ClassesDeps, input: { actor: Actor } & ClassFields) {
  authorizeClass(input.actor, "create");
  return withFreshCode((joinCode) =>
    deps.prisma.class.create({
      data: { name: input.name, description: input.description, ownerId: input.actor.id, joinCode },
      select: { id: true },
    }),
  );
}

/** The class, once the actor may manage it (outsiders are told there is none). */
export async function managedClass(deps: ClassesDeps, input: { actor: Actor; classId: string }) {
  return managedClassOf(deps.prisma, input.actor, input.classId);
}

export async function updateClass(deps: ClassesDeps, input: { actor: Actor; classId: string } & ClassFields) {
  await managedClass(deps, input);
  await deps.prisma.class.update({
    where: { id: input.classId },
    data: { name: input.name, description: input.description },
  });
}

/** A new join code; the old one stops working at once (learners who joined stay). */
export async function newClassCode(deps: ClassesDeps, input: { actor: Actor; classId: string }) {
  await managedClass(deps, input);
  await withFreshCode((joinCode) => deps.prisma.class.update({ where: { id: input.classId }, data: { joinCode } }));
}

/**
 * Deletes the class, its memberships, invites and shares, once the actor typed its name. No
 * learner's attempts, progress or cards are touched: they belong to the learner.
 */
export async function deleteClass(deps: ClassesDeps, input: { actor: Actor; classId: string; confirmName: string }) {
  const cls = await managedClass(deps, input);
  if (input.confirmName.trim() !== cls.name)
    throw new Invalid("Type the class's name to confirm.", [
      { field: "confirmName", message: `Type "${cls.name}" exactly to delete this class.` },
    ]);
  await deps.prisma.class.delete({ where: { id: cls.id } });
  return { name: cls.name };
}
