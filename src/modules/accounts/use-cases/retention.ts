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

export type DailyLimits = { newCards: number; reviews: number };

export async function dailyLimits(deps: AccountsDeps, input: RetentionOptions): Promise<DailyLimits> {
  const user = await deps.prisma.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { dailyNewCards: true, dailyReviews: true },
  });
  return { newCards: user.dailyNewCards, reviews: user.dailyReviews };
}

export async function setDailyLimits(deps: AccountsDeps, input: RetentionOptions & DailyLimits): Promise<void> {
  await deps.prisma.user.update({
    where: { id: input.userId },
    data: { dailyNewCards: input.newCards, dailyReviews: input.reviews },
  });
}
