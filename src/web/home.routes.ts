import { Router } from "express";
import type { CatalogueService } from "../modules/banks";

export function homeRoutes(deps: {
  catalogue: CatalogueService;
  hasAttempts: (userId: string) => Promise<boolean>;
}): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const [topics, started] = await Promise.all([
      deps.catalogue.topicSummaries(),
      req.user ? deps.hasAttempts(req.user.id) : Promise.resolve(false),
    ]);
    res.render("pages/home", { topics, started });
  });
  return router;
}
