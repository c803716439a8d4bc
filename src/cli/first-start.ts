// What a start against a fresh database does: load the shipped question banks (when none
// are loaded) and, only on the embedded default, create a demo learner and print its
// credentials once.
import { randomBytes } from "node:crypto";
import { systemClock } from "../clock";
import type { Config } from "../config";
import type { Database } from "../db";
import { accountsService } from "../modules/accounts";
import type { Logger } from "../web/logger";

export const DEMO_EMAIL = "demo@stackprep.local";

export async function seedOnFirstStart(options: { config: Config; db: Database; logger: Logger }): Promise<void> {
  const { db, logger } = options;
  if (db.embedded && (await db.prisma.user.count()) === 0) {
    const password = randomBytes(12).toString("base64url");
    const accounts = accountsService({ prisma: db.prisma, clock: systemClock });
    await accounts.createUser({ email: DEMO_EMAIL, displayName: "Demo Learner", password, role: "learner" });
    logger.info(`created a demo learner: sign in as ${DEMO_EMAIL} with the password ${password} (shown once)`);
  }
}
