// Use case: the learner's desired retention (what FSRS schedules for).
import { Invalid } from "../../../errors";
import { RETENTION_MAX, RETENTION_MIN } from "../scheduler";
import type { ReviewDeps } from "./deps";

export type SetRetentionOptions = { userId: string; retention: number };

export async function setRetention(deps: ReviewDeps, input: SetRetentionOptions): Promise<void> {
  if (!(input.retention >= RETENTION_MIN && input.retention <= RETENTION_MAX)) {
    throw new Invalid(`Choose a retention between ${RETENTION_MIN} and ${RETENTION_MAX}.`);
  }
  await deps.preferences.setDesiredRetention({ userId: input.userId, retention: input.retention });
}
