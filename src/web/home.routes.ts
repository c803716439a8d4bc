import { Router } from "express";
import type { CatalogueService } from "../modules/banks";
import type { ContentState } from "./content-state";
import { presentHome, type HomeInput } from "./home";

export type LearnerHome = (userId: string, now: Date) => Promise<Omit<HomeInput, "now" | "started">>;

export function homeRoutes(deps: {
  catalogue: CatalogueService;
  hasAttempts: (userId: string) => Promise<boolean>;
  learnerHome: LearnerHome;
  content: ContentState;
  now: () => Date;
}): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const now = deps.now();
    const [topics, started, learner] = await Promise.all([
      deps.catalogue.topicSummaries({ userId: req.user?.id ?? null }),
      req.user ? deps.hasAttempts(req.user.id) : Promise.resolve(false),
      req.user ? deps.learnerHome(req.user.id, now) : Promise.resolve(null),
    ]);
    res.render("pages/home", {
      topics,
      started,
      loading: deps.content.loading(),
      home: learner && presentHome({ ...learner, now, started }),
    });
  });
  return router;
}
