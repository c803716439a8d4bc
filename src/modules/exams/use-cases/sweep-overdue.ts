// Use case: submit every overdue attempt (exactly once, whichever instance gets there).
import { overdueAttemptIds } from "../attempts.repo";
import { SAVE_GRACE_MS } from "../timer";
import type { AttemptsDeps } from "./deps";
import { submitAttempt } from "./submit-attempt";

export type SweepOverdueOptions = { signal?: AbortSignal; batch?: number };

/** Submits overdue attempts, each in its own transaction; `signal` stops it between two. Returns how many. */
export async function sweepOverdue(deps: AttemptsDeps, options: SweepOverdueOptions = {}): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - SAVE_GRACE_MS);
  let done = 0;
  for (;;) {
    if (options.signal?.aborted) return done;
    const ids = await overdueAttemptIds(deps.prisma, before, options.batch ?? 20);
    if (ids.length === 0) return done;
    for (const id of ids) {
      if (options.signal?.aborted) return done;
      await submitAttempt(deps, { attemptId: id, by: "deadline" });
      done += 1;
    }
  }
}
