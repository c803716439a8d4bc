// createApp(deps): the whole Express app without listen(), so tests drive it directly.
import path from "node:path";
import express, { type Express } from "express";
import type { Clock } from "./clock";
import type { Config } from "./config";
import { limiterFactory, type Database } from "./db";
import {
  accountsRoutes,
  accountsService,
  tokensRoutes,
  accountHint,
  adminRoutes,
  createPassport,
  deviceCookie,
  passwordResetRoutes,
  sessionUserOf,
  signInThrottle,
} from "./modules/accounts";
import { createMailer } from "./mail";
import { randomUUID } from "node:crypto";
import {
  bankAdminService,
  bankReach,
  catalogueService,
  importService,
  isolatedParser,
  manageService,
} from "./modules/banks";
import {
  gradebookService,
  teachClassesRoutes,
  teachRoutes,
  teachService,
  PREVIEW_POLICY,
  UPLOAD_POLICY,
  uploadParser,
} from "./modules/teach";
import {
  attemptsRoutes,
  attemptsService,
  autosaveRoute,
  autosaveSignedOut,
  createRng,
  examSetupService,
  examsRoutes,
  examsService,
  questionPageInSession,
  SQL_RUN_POLICY,
  startInSessionRoute,
  statisticsService,
} from "./modules/exams";
import { progressRoutes, progressService } from "./modules/progress";
import { classesRoutes, classesService } from "./modules/classes";
import { reviewRoutes, reviewService } from "./modules/review";
import { apiDocsRoutes, apiLimitPolicy, apiV1 } from "./api";
import { csrfProtection } from "./web/csrf";
import { errorHandler, notFoundHandler } from "./web/errors";
import { flashMessages } from "./web/flash";
import { privateResponses, securityHeaders } from "./web/headers";
import { healthRoutes } from "./web/health";
import { contentState, type ContentState } from "./web/content-state";
import { heatmapStart } from "./web/home";
import { homeRoutes } from "./web/home.routes";
import { navDueCount, viewLocals } from "./web/locals";
import { refuseUnstorableText } from "./web/pipeline";
import { httpLogger, type Logger } from "./web/logger";
import { pageSession, saveSessionBeforeRedirect, sessionMiddleware, sessionTimeouts } from "./web/session";
import { staticFiles } from "./web/static";
import { createSqlSandbox } from "./sql-sandbox";

export type AppDeps = {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  /** Whether the shipped banks are loading (server.ts shares it with main.ts's background load). */
  content?: ContentState;
};

export type App = {
  app: Express;
  close(): Promise<void>;
  sweepOverdue(options?: { signal?: AbortSignal }): Promise<number>;
  content: ContentState;
};

export function createApp(deps: AppDeps): App {
  const { config, db, clock } = deps;
  const content = deps.content ?? contentState();
  const limiter = limiterFactory(db.pool, { sweep: config.env !== "test" });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger: deps.logger });
  const accounts = accountsService({
    prisma: db.prisma,
    clock,
    throttle: signInThrottle(limiter),
    links: { baseUrl: config.baseUrl, mailer },
  });
  const device = deviceCookie({ secret: config.sessionSecret, secure: config.secureCookies });
  const passport = createPassport(accounts, device);
  const exams = examsService({ prisma: db.prisma });
  const classes = classesService({ prisma: db.prisma, clock, limiter });
  // Learners' SQL runs here (docs/security.md); made on first use, closed with the app.
  const sandbox = createSqlSandbox(db, config, (message) => deps.logger.warn(message));
  // Called per request, after `attempts` below exists: cards of questions in an open attempt wait.
  const review = reviewService({
    prisma: db.prisma,
    clock,
    preferences: accounts,
    heldQuestionIds: (userId) => attempts.heldQuestionIds({ userId }),
    bankReach: (userId) => bankReach(db.prisma, userId),
  });
  const progress = progressService({ prisma: db.prisma, clock });
  const attempts = attemptsService({
    prisma: db.prisma,
    pool: db.pool,
    clock,
    newRng: () => createRng(randomUUID()),
    sandbox,
    sqlRunLimit: limiter(SQL_RUN_POLICY),
    onGraded: [
      (tx, graded) => progress.recordGradedAttempt(tx, graded),
      (tx, graded) => review.cardsFromGradedAttempt(tx, graded),
    ],
    onSelfAssessed: [(tx, assessed) => review.cardFromSelfAssessment(tx, assessed)],
  });
  const catalogue = catalogueService({ prisma: db.prisma });
  const setup = examSetupService({
    prisma: db.prisma,
    usableTopics: async (actor) =>
      (await catalogue.usableTopics({ actor }))
        .filter((t) => t.questionCount > 0)
        .map((t) => ({ path: t.path, title: t.title, questions: t.questionCount })),
  });
  const teach = teachService({
    prisma: db.prisma,
    clock,
    // Instructors' files are parsed in a worker thread: see banks/parse.isolated.ts.
    imports: importService({
      prisma: db.prisma,
      clock,
      maxBytes: config.importMaxBytes,
      parse: isolatedParser(config.importParse),
      prepareSql: (exercise) => sandbox.prepare(exercise),
    }),
    manage: manageService({ prisma: db.prisma, clock }),
    statistics: statisticsService({ prisma: db.prisma }),
    setup,
    uploadLimit: limiter(UPLOAD_POLICY),
    previewLimit: limiter(PREVIEW_POLICY),
  });
  const bankAdmin = bankAdminService({ prisma: db.prisma, clock });
  const gradebook = gradebookService({
    prisma: db.prisma,
    statistics: statisticsService({ prisma: db.prisma }),
    learnersProgress: (input) => progress.learnersProgress(input),
    learnersCards: (input) => review.learnersCards(input),
  });
  const api = apiV1({
    accounts,
    exams,
    attempts,
    progress,
    review,
    teach,
    setup,
    catalogue,
    gradebook,
    limiter: limiter(apiLimitPolicy(config.apiRateLimitPerMinute)),
    baseUrl: config.baseUrl,
    importMaxBytes: config.importMaxBytes,
  });
  const sessions = sessionMiddleware({
    pool: db.pool,
    secret: config.sessionSecret,
    secure: config.secureCookies,
    prune: config.env !== "test",
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy ? 1 : false);
  app.set("views", path.join(config.rootDir, "views"));
  app.set("view engine", "ejs");
  if (config.env === "production") app.enable("view cache");

  app.use(httpLogger(deps.logger));
  app.use(securityHeaders({ https: config.secureCookies }));
  app.use(staticFiles(config.rootDir));
  app.use(healthRoutes(() => db.ping()));
  // Before the body parsers and sessions: the API parses its own bodies and reads no cookie.
  app.use("/api/v1", api.router);
  app.use(express.urlencoded({ extended: false, limit: "256kb" }));
  app.use(express.json({ limit: "256kb" }));
  app.use(refuseUnstorableText);
  app.use(privateResponses({ cookieName: sessions.cookieName }));
  // Before the session middleware: the autosave, the exam-day start and a sitting's question
  // pages read or prove the session in their own statement.
  app.use(autosaveRoute({ attempts, proof: (req) => sessions.proof(req, clock.now()) }));
  app.use(startInSessionRoute({ attempts, content, proof: (req) => sessions.proof(req, clock.now()) }));
  app.use(
    questionPageInSession({
      attempts,
      read: (req) => sessions.read(req, clock.now()),
      accept: (stored) => pageSession(stored, sessionUserOf),
    }),
  );
  app.use(sessions.middleware);
  app.use(saveSessionBeforeRedirect);
  app.use(passport.session());
  app.use(sessionTimeouts(clock, sessions.cookieName));
  app.use(autosaveSignedOut);
  // Multipart bodies are parsed before the CSRF check so its form field can be read.
  app.post("/teach/banks/imports", ...uploadParser(config.importMaxBytes), refuseUnstorableText);
  app.use(csrfProtection());
  app.use(flashMessages);
  app.use(viewLocals);
  // An attempt's question pages and summary (not its result, where new cards appear).
  app.use(navDueCount((userId) => review.dueCount({ userId }), /^\/attempts\/[^/]+(\/summary)?\/?$/));

  app.use(
    homeRoutes({
      catalogue,
      hasAttempts: (userId) => exams.hasAttempts({ userId }),
      content,
      now: () => clock.now(),
      learnerHome: async (userId, now) => {
        const since = heatmapStart(now);
        const [open, due, summary, reviews] = await Promise.all([
          exams.openAttempts({ userId }),
          review.dueByTopic({ userId }),
          progress.homeSummary({ userId, since }),
          review.reviewDays({ userId, since }),
        ]);
        return {
          open,
          due: due.reduce((sum, d) => sum + d.due, 0),
          readiness: summary.readiness,
          passMark: summary.passMark,
          weakest: summary.weakest,
          activity: [...summary.answeredAt, ...reviews],
        };
      },
    }),
  );
  app.use(tokensRoutes({ accounts, hint: accountHint }));
  app.use(accountsRoutes({ accounts, passport, device, clock }));
  app.use(apiDocsRoutes({ document: api.document }));
  app.use(passwordResetRoutes({ accounts }));
  app.use(adminRoutes({ accounts }));
  app.use(examsRoutes({ exams, attempts, content }));
  app.use(attemptsRoutes({ attempts }));
  app.use(classesRoutes({ classes, baseUrl: config.baseUrl }));
  app.use(teachRoutes({ teach, bankAdmin, setup, clock }));
  app.use(teachClassesRoutes({ classes, bankAdmin, setup, gradebook }));
  app.use(progressRoutes({ progress, exams, attempts, dueByTopic: (userId) => review.dueByTopic({ userId }) }));
  app.use(reviewRoutes({ review, topicChoices: (userId) => exams.topicChoices({ userId }) }));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return {
    app,
    close: async () => {
      await mailer?.idle();
      mailer?.close();
      await Promise.all([Promise.resolve(sessions.close()), sandbox.close()]);
    },
    sweepOverdue: (options) => attempts.sweepOverdue(options ?? {}),
    content,
  };
}
