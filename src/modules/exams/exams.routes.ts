// The learner's exam list, starting attempts, and custom quizzes.
import { Router } from "express";
import { Conflict } from "../../errors";
import { requireUser } from "../../web/auth";
import { route } from "../../web/pipeline";
import type { AttemptsService } from "./attempts.service";
import type { ExamsService } from "./exams.service";
import { customQuizForm, examParams } from "./attempts.schemas";
import { presentExamList } from "./exams.presenter";

/** What the app knows of the shipped banks' first load (web/content-state.ts). */
type Content = { loading(): boolean };

const STILL_LOADING =
  "The question banks are still loading after the first start. This takes about a minute; try again then.";

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

  const customForm = async (values: Record<string, unknown>, errors: Record<string, string>) => ({
    title: "Build a quiz",
    topics: await exams.topicChoices(),
    errors,
    values,
  });

  router.get("/exams/custom", async (_req, res) => {
    res.render("exams/custom", await customForm({ questionCount: 10, minutes: 15 }, {}));
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
        const attempt = await attempts.startAttempt({ examSlug: exam.slug, userId: req.user!.id });
        res.redirect(303, `/attempts/${attempt.id}`);
      },
      {
        invalid: async (errors, req, res) =>
          res.render("exams/custom", await customForm(req.body as Record<string, unknown>, errors)),
      },
    ),
  );

  router.post(
    "/exams/:slug/attempts",
    route({ params: examParams }, async ({ params: { slug } }, req, res) => {
      if (content.loading()) throw new Conflict(STILL_LOADING, "banks_loading");
      const attempt = await attempts.startAttempt({ examSlug: slug, userId: req.user!.id });
      res.redirect(303, `/attempts/${attempt.id}`);
    }),
  );

  return router;
}
