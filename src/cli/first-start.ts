// What a start does to the data: the shipped exam definitions follow exams.yaml (upsert by
// slug); on an empty embedded database a demo learner is created and its password printed
// once on standard output (not through the logger, so any log level shows it); and, when no question exists yet, the shipped banks are loaded. Loading the banks
// runs after the server listens, so the app and /healthz are up within seconds while the
// banks (one transaction: all or nothing) arrive. A shutdown meanwhile cancels the load: the
// transaction rolls back and the next start loads them again.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { systemClock } from "../clock";
import type { Config } from "../config";
import { limiterFactory, type Database } from "../db";
import { accountsService, signInThrottle } from "../modules/accounts";
import { catalogueService, EXAMS_FILE, importService, listBankFiles, readSources } from "../modules/banks";
import { examsService, parseExamDefinitions } from "../modules/exams";
import type { Logger } from "../web/logger";
import { createSqlSandbox } from "../sql-sandbox";

export const DEMO_EMAIL = "demo@stackprep.local";

type Options = { config: Config; db: Database; logger: Logger };

export async function prepareData(options: Options): Promise<void> {
  const { config, db } = options;
  const examsFile = path.join(config.rootDir, "question-banks", EXAMS_FILE);
  const definitions = parseExamDefinitions(await readFile(examsFile, "utf8"), examsFile);
  await examsService({ prisma: db.prisma }).syncDefinitions({ definitions });
  if (db.embedded && (await db.prisma.user.count()) === 0) {
    const password = randomBytes(12).toString("base64url");
    const accounts = accountsService({
      prisma: db.prisma,
      clock: systemClock,
      throttle: signInThrottle(limiterFactory(db.pool)),
    });
    await accounts.createUser({ email: DEMO_EMAIL, displayName: "Demo Learner", password, role: "learner" });
    // Straight to stdout, whatever the log level: the only time anyone can read this password.
    process.stdout.write(
      `created a demo learner: sign in as ${DEMO_EMAIL} with the password ${password} (shown once)\n`,
    );
  }
}

/** Resolves "cancelled" when `signal` stopped it, with nothing written. */
export async function loadShippedBanks(
  options: Options & { signal?: AbortSignal; onLoading?: () => void },
): Promise<"loaded" | "present" | "cancelled"> {
  const { config, db, logger, signal } = options;
  try {
    return await loadBanks(config, db, logger, signal, options.onLoading);
  } catch (error) {
    if (signal?.aborted) {
      logger.info("loading the shipped question banks was cancelled by the shutdown; the next start loads them");
      return "cancelled";
    }
    throw error;
  }
}

async function loadBanks(
  config: Config,
  db: Database,
  logger: Logger,
  signal: AbortSignal | undefined,
  onLoading: (() => void) | undefined,
) {
  if (!config.loadShippedBanks) return "present";
  if (await catalogueService({ prisma: db.prisma }).hasQuestions()) {
    logger.info("the shipped question banks are already loaded");
    return "present";
  }
  onLoading?.(); // from here the pages say the banks are loading and starts wait
  const started = Date.now();
  const files = await listBankFiles([path.join(config.rootDir, "question-banks")]);
  const sandbox = createSqlSandbox(db, config);
  const service = importService({
    prisma: db.prisma,
    clock: systemClock,
    maxBytes: config.importMaxBytes,
    prepareSql: (exercise) => sandbox.prepare(exercise),
  });
  const report = await service
    .importBanks({
      sources: await readSources(files, config.importMaxBytes),
      // The shipped banks must be clean: any error at all stops the load.
      strict: true,
      actor: "operator",
      ...(signal ? { signal } : {}),
    })
    .finally(() => sandbox.close());
  if (!report.ok) throw new Error(`the shipped question banks did not load:\n${report.errors.join("\n")}`);
  logger.info(
    `loaded the shipped question banks in ${Date.now() - started} ms: ${report.banks.length} banks, ${report.questions} questions, ${report.cards} flashcards`,
  );
  return "loaded";
}
