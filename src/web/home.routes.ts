import { Router } from "express";
import type { CatalogueService } from "../modules/banks";

export function homeRoutes(deps: { catalogue: CatalogueService }): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    res.render("pages/home", { topics: await deps.catalogue.topicSummaries() });
  });
  return router;
}
