// The API reference page: the OpenAPI document rendered by our own template (no script, no
// CDN), under the site's strict CSP.
import { Router } from "express";
import type { OpenApiDocument } from "./openapi";
import { presentReference } from "./docs.presenter";

export function apiDocsRoutes(deps: { document: OpenApiDocument }): Router {
  const reference = presentReference(deps.document);
  const router = Router();
  router.get("/api/docs", (_req, res) => {
    res.render("api/docs", { title: "API reference", reference });
  });
  return router;
}
