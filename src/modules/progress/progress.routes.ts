// The learner's dashboard, its CSV export, and one-click drills on a topic.
import { Router } from "express";
import { z } from "zod";
import { requireUser } from "../../web/auth";
import { slug } from "../../web/input";
import { route } from "../../web/pipeline";
import type { AttemptsService, ExamsService } from "../exams";
import type { ProgressService } from "./progress.service";
import { presentDashboard, progressCsv } from "./progress.presenter";

const drillForm = z.object({ topic: slug, mode: z.enum(["timed", "practice"]).default("practice") });

export function progressRoutes(deps: {
  progress: ProgressService;
  exams: ExamsService;
  attempts: AttemptsService;
  dueByTopic: (userId: string) => Promise<{ topic: string; due: number }[]>;
}): Router {
  const router = Router();

  router.get("/progress", requireUser, async (req, res) => {
    const [dashboard, due] = await Promise.all([
      deps.progress.dashboard({ userId: req.user!.id }),
      deps.dueByTopic(req.user!.id),
    ]);
    res.render("progress/dashboard", { title: "Your progress", dashboard: presentDashboard(dashboard, due) });
  });

  router.get("/progress.csv", requireUser, async (req, res) => {
    const dashboard = await deps.progress.dashboard({ userId: req.user!.id });
    res.attachment("stackprep-progress.csv").type("text/csv; charset=utf-8").send(progressCsv(dashboard));
  });

  router.post(
    "/progress/drills",
    requireUser,
    route({ body: drillForm }, async ({ body: { topic, mode } }, req, res) => {
      const exam = await deps.exams.createCustomQuiz({
        userId: req.user!.id,
        topicPaths: [topic],
        questionCount: 10,
        minutes: 15,
      });
      const attempt = await deps.attempts.startAttempt({ examSlug: exam.slug, userId: req.user!.id, mode });
      res.redirect(303, `/attempts/${attempt.id}`);
    }),
  );

  return router;
}
