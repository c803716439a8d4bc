// What the classes use cases are given.
import type { Clock } from "../../../clock";
import type { Db, Limiter } from "../../../db";

export type ClassesDeps = {
  prisma: Db;
  clock: Clock;
  /** Join attempts with a code: per learner and per address (shared across instances). */
  joinLimits: { user: Limiter; address: Limiter };
};
