// Reads over the classes' tables that other modules ask for through index.ts, and the
// statements the use cases share.
import type { Db, Prisma } from "../../db";
import { Conflict } from "../../errors";
import { newJoinCode } from "./codes";

type Client = Db | Prisma.TransactionClient;

/** The classes a user is a member of (what they see shared). */
export async function classIdsOf(client: Client, userId: string): Promise<string[]> {
  const rows = await client.classMember.findMany({ where: { userId }, select: { classId: true } });
  return rows.map((r) => r.classId);
}

/** Whether the user is a member of the class. */
export async function isMember(client: Client, classId: string, userId: string): Promise<boolean> {
  return (await client.classMember.count({ where: { classId, userId } })) > 0;
}

/** A class by id, with whether the user is a member; null when there is none. */
export async function classFor(client: Client, classId: string, userId: string) {
  const cls = await client.class.findUnique({ where: { id: classId } });
  return cls && { cls, member: await isMember(client, classId, userId) };
}

/** The members of some classes (each learner once), with their names, for gradebooks and cohorts. */
export async function membersOf(client: Client, classIds: string[]) {
  const rows = await client.classMember.findMany({
    where: { classId: { in: classIds } },
    select: { user: { select: { id: true, displayName: true, email: true } } },
    distinct: ["userId"],
  });
  return rows.map((r) => r.user);
}

/** The classes an instructor owns (every class for an admin: `ownerId` undefined), by name. */
export function classesOwnedBy(client: Client, ownerId: string | undefined) {
  return client.class.findMany({
    where: ownerId ? { ownerId } : {},
    orderBy: [{ name: "asc" }, { createdAt: "asc" }],
    select: { id: true, name: true, description: true, ownerId: true, _count: { select: { members: true } } },
  });
}

/** A class row with a fresh join code; a collision with another class's code draws again. */
export async function withFreshCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let i = 0; i < 5; i += 1) {
    try {
      return await write(newJoinCode());
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new Conflict("Could not draw a new join code; try again.");
}
