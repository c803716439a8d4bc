// The learner's exam list, starting attempts, and custom quizzes.
import { Router, type Request, type RequestHandler } from "express";
import { Conflict } from "../../errors";
import { requireUser } from "../../web/auth";
import { flash } from "../../web/flash";
import { route } from "../../web/pipeline";
import type { SessionProof } from "../../web/session";

import type { AttemptsService } from "./attempts.service";
import type { ExamsService } from "./exams.service";
import { customQuizForm, examParams, missedQuizForm, startAttemptForm, startForm } from "./attempts.schemas";
import { presentExamList, presentStart } from "./exams.presenter";

/** What the app knows of the shipped banks' first load (web/content-state.ts). */
type Content = { loading(): boolean };

const STILL_LOADING =
  "The question banks are still loading after the first start. This takes about a minute; try again then.";

/**
 * The start of an exam on exam day, when a cohort presses Start in the same second: mounted
 * before the session middleware, as the autosave is, it starts from the exam's kept pool in one
 * statement that also proves the session (signed cookie, live row, the form's CSRF token,
 * timeouts). Whatever it cannot settle that way (no kept pool, a practice start, a stack it does
 * not offer, a session that proves nothing, an open attempt to resume, the attempt limit, a
 * changed exam or pool) writes nothing and goes on to the ordinary route, which checks
 * everything again and answers as always.
 */
const START_PATH = /^\/exams\/([^/]+)\/attempts\/?$/;

export function startInSessionRoute(deps: {
  attempts: AttemptsService;
  content: Content;
  proof: (req: Request) => SessionProof | undefined;
}): RequestHandler {
  const body = startForm.extend(startAttemptForm.shape);
  return async (req, res, next) => {
    if (req.method !== "POST") return next();
    const path = START_PATH.exec(req.path);
    if (!path || req.is("application/x-www-form-urlencoded") !== "application/x-www-form-urlencoded") return next();
    if (deps.content.loading()) return next();
    const params = examParams.safeParse({ slug: path[1] });
    const form = body.safeParse(req.body ?? {});
    if (!params.success || !form.success) return next();
    const proof = deps.proof(req);
    if (!proof) return next();
    const id = await deps.attempts.startAttemptInSession({
      examSlug: params.data.slug,
      stack: form.data.stack,
      mode: form.data.mode,
      session: proof.sql,
    });
    if (!id) return next();
    res.redirect(303, `/attempts/${id}`);
  };
}

export function examsRoutes(deps: { exams: ExamsService; attempts: AttemptsService; content: Content }): Router {
  const { exams, attempts, content } = deps;
  const router = Router();
  router.use("/exams", requireUser);

  router.get("/exams", async (req, res) => {
    res.render("exams/list", {
      title: "Exams and practice",
      loading: content.loading(),
      ...presentExamList(await exams.listForLearner({ userId: req.user!.id })),
    });
  });

  const customForm = async (userId: string, values: Record<string, unknown>, errors: Record<string, string>) => ({
    title: "Build a quiz",
    topics: await exams.topicChoices({ userId }),
    errors,
    values,
  });

  router.get("/exams/custom", async (req, res) => {
    res.render("exams/custom", await customForm(req.user!.id, { questionCount: 10, minutes: 15 }, {}));
  });

  router.post(
    "/exams/custom",
    route(
      { body: customQuizForm },
      async ({ body }, req, res) => {
        const exam = await exams.createCustomQuiz({
          userId: req.user!.id,
          topicPaths: body.topics,
          questionCount: body.questionCount,
          minutes: body.minutes,
        });
        const attempt = await attempts.startAttempt({ examSlug: exam.slug, userId: req.user!.id, mode: body.mode });
        res.redirect(303, `/attempts/${attempt.id}`);
      },
      {
        invalid: async (errors, req, res) =>
          res.render("exams/custom", await customForm(req.user!.id, req.body as Record<string, unknown>, errors)),
      },
    ),
  );

  const startPage = async (
    slug: string,
    userId: string,
    values: Record<string, unknown>,
    errors: Record<string, string>,
  ) => {
    const options = await attempts.startOptions({ examSlug: slug, userId });
    return { title: options.exam.title, start: presentStart(options), values, errors };
  };

  router.get(
    "/exams/:slug/start",
    route({ params: examParams }, async ({ params: { slug } }, req, res) => {
      res.render("exams/start", await startPage(slug, req.user!.id, {}, {}));
    }),
  );

  // The learner's missed questions, practised (or timed) again.
  router.post(
    "/exams/missed/attempts",
    route({ body: missedQuizForm }, async ({ body: { mode } }, req, res) => {
      const exam = await exams.createMissedQuiz({ userId: req.user!.id });
      if (!exam) {
        flash(req, "info", "No missed questions yet: questions you answer wrongly in an exam or quiz come back here.");
        return res.redirect(303, "/exams");
      }
      const attempt = await attempts.startAttempt({ examSlug: exam.slug, userId: req.user!.id, mode });
      res.redirect(303, `/attempts/${attempt.id}`);
    }),
  );

  router.post(
    "/exams/:slug/attempts",
    route(
      { params: examParams, body: startForm.extend(startAttemptForm.shape) },
      async ({ params: { slug }, body }, req, res) => {
        if (content.loading()) throw new Conflict(STILL_LOADING, "banks_loading");
        // An exam with a stack section needs one of the stacks it offers: the use case refuses a
        // start without a valid one (an open attempt resumes as drawn, whatever is sent), and
        // the form comes back below with the choices listed on it.
        const attempt = await attempts.startAttempt({
          examSlug: slug,
          userId: req.user!.id,
          stack: body.stack,
          mode: body.mode,
        });
        res.redirect(303, `/attempts/${attempt.id}`);
      },
      {
        invalid: async (errors, req, res) =>
          res.render(
            "exams/start",
            await startPage(
              String(req.params.slug),
              req.user!.id,
              req.body as Record<string, unknown>,
              // The page lists the languages by name; the use case's message names them for API clients.
              errors.stack ? { ...errors, stack: "Choose one of the languages listed." } : errors,
            ),
          ),
      },
    ),
  );

  return router;
}
