import { Router } from "express";

export function homeRoutes(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.render("pages/home");
  });
  return router;
}
