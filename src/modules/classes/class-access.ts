// The one way to reach a class one manages, for this module's use cases and for the modules
// that share with a class or read its learners (banks, exams, teach): look it up, ask the
// class policy (outsiders are told there is none, members are refused), return it.
import type { Actor } from "../../actor";
import type { Db, Prisma } from "../../db";
import { authorizeClass } from "./classes.policy";
import { classFor } from "./classes.repo";

export async function managedClassOf(client: Db | Prisma.TransactionClient, actor: Actor, classId: string) {
  const found = await classFor(client, classId, actor.id);
  authorizeClass(actor, "manage", found?.cls, found?.member);
  return found!.cls;
}
