// The learner's exam list, starting attempts, and custom quizzes.
import { Router } from "express";
import { requireUser } from "../../web/auth";
import { parseForm } from "../../web/forms";
import type { AttemptsService } from "./attempts.service";
import type { ExamsService } from "./exams.service";
import { customQuizForm, examParams } from "./attempts.schemas";
import { presentExamList } from "./exams.presenter";

export function examsRoutes(deps: { exams: ExamsService; attempts: AttemptsService }): Router {
  const { exams, attempts } = deps;
  const router = Router();
  router.use("/exams", requireUser);

  router.get("/exams", async (req, res) => {
    res.render("exams/list", {
      title: "Exams and practice",
      ...presentExamList(await exams.listForLearner({ userId: req.user!.id })),
    });
  });

  router.get("/exams/custom", async (_req, res) => {
    res.render("exams/custom", {
      title: "Build a quiz",
      topics: await exams.topicChoices(),
      errors: {},
      values: { questionCount: 10, minutes: 15 },
    });
  });

  router.post("/exams/custom", async (req, res) => {
    const form = parseForm(customQuizForm, req.body);
    if (!form.ok) {
      return res.status(400).render("exams/custom", {
        title: "Build a quiz",
        topics: await exams.topicChoices(),
        errors: form.errors,
        values: req.body as Record<string, unknown>,
      });
    }
    const exam = await exams.createCustomQuiz({
      userId: req.user!.id,
      topicPaths: form.data.topics,
      questionCount: form.data.questionCount,
      minutes: form.data.minutes,
    });
    const attempt = await attempts.startAttempt({ examSlug: exam.slug, userId: req.user!.id });
    res.redirect(303, `/attempts/${attempt.id}`);
  });

  router.post("/exams/:slug/attempts", async (req, res) => {
    const { slug } = examParams.parse(req.params);
    const attempt = await attempts.startAttempt({ examSlug: slug, userId: req.user!.id });
    res.redirect(303, `/attempts/${attempt.id}`);
  });

  return router;
}
