// What a start against a fresh database does: load the shipped question banks (when none
// are loaded) and, only on the embedded default, create a demo learner and print its
// credentials once.
import { randomBytes } from "node:crypto";
import { systemClock } from "../clock";
import type { Config } from "../config";
import type { Database } from "../db";
import path from "node:path";
import { accountsService } from "../modules/accounts";
import { readFile } from "node:fs/promises";
import { catalogueService, EXAMS_FILE, importService, listBankFiles, readSources } from "../modules/banks";
import { examsService, parseExamDefinitions } from "../modules/exams";
import type { Logger } from "../web/logger";

export const DEMO_EMAIL = "demo@stackprep.local";

export async function seedOnFirstStart(options: { config: Config; db: Database; logger: Logger }): Promise<void> {
  const { config, db, logger } = options;
  if (config.loadShippedBanks && !(await catalogueService({ prisma: db.prisma }).hasQuestions())) {
    const files = await listBankFiles([path.join(config.rootDir, "question-banks")]);
    const service = importService({ prisma: db.prisma, clock: systemClock, maxBytes: config.importMaxBytes });
    const report = await service.importBanks({
      sources: await readSources(files, config.importMaxBytes),
      actor: "operator",
    });
    if (!report.ok) throw new Error(`the shipped question banks did not load:\n${report.errors.join("\n")}`);
    logger.info(
      `loaded the shipped question banks: ${report.banks.length} banks, ${report.questions} questions, ${report.cards} flashcards`,
    );
  }
  // The shipped exam definitions follow the file on every start (upsert by slug).
  const examsFile = path.join(config.rootDir, "question-banks", EXAMS_FILE);
  const definitions = parseExamDefinitions(await readFile(examsFile, "utf8"), examsFile);
  await examsService({ prisma: db.prisma }).syncDefinitions({ definitions });
  if (db.embedded && (await db.prisma.user.count()) === 0) {
    const password = randomBytes(12).toString("base64url");
    const accounts = accountsService({ prisma: db.prisma, clock: systemClock });
    await accounts.createUser({ email: DEMO_EMAIL, displayName: "Demo Learner", password, role: "learner" });
    logger.info(`created a demo learner: sign in as ${DEMO_EMAIL} with the password ${password} (shown once)`);
  }
}
