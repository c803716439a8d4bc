// The learner's desired retention for spaced repetition, kept on the account (review asks
// through accounts' index).
import type { AccountsDeps } from "./deps";

export type RetentionOptions = { userId: string };

export async function desiredRetention(deps: AccountsDeps, input: RetentionOptions): Promise<number> {
  const user = await deps.prisma.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { desiredRetention: true },
  });
  return user.desiredRetention;
}

export type SetDesiredRetentionOptions = { userId: string; retention: number };

export async function setDesiredRetention(deps: AccountsDeps, input: SetDesiredRetentionOptions): Promise<void> {
  await deps.prisma.user.update({ where: { id: input.userId }, data: { desiredRetention: input.retention } });
}
