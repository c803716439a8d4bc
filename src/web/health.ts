import { Router } from "express";

/** GET /healthz: 200 when the database answers, 503 when it does not. */
export function healthRoutes(ping: () => Promise<boolean>): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const up = await ping();
    res.set("Cache-Control", "no-store");
    res.status(up ? 200 : 503).json({ status: up ? "ok" : "degraded", database: up ? "up" : "down" });
  });
  return router;
}
