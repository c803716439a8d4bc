// /api/v1: the public JSON API. Mounted before the session middleware: requests are
// authenticated by a bearer token alone (auth.ts), bodies are parsed here (body.ts), and every
// endpoint runs through route() with its zod schemas, the ones the OpenAPI document shows.
import { Router, type RequestHandler } from "express";
import type { Limiter } from "../db";
import type { AccountsService } from "../modules/accounts";
import { NotFound } from "../errors";
import { answerFastPath } from "./answer-fast-path";
import { bearerAuth } from "./auth";
import { bodyErrors, jsonBody, rawBody } from "./body";
import { conditionalGet } from "./conditional";
import { expressPath, handlerOf } from "./endpoint";
import { learnerEndpoints, type LearnerDeps } from "./learner";
import { instructorEndpoints, type InstructorDeps } from "./instructor";
import { openApiDocument, type OpenApiDocument } from "./openapi";

export { apiLimitPolicy } from "./auth";
export { apiDocsRoutes } from "./docs.routes";
export type { OpenApiDocument } from "./openapi";

export type ApiDeps = LearnerDeps &
  InstructorDeps & {
    accounts: AccountsService;
    limiter: Limiter;
    baseUrl: string;
    importMaxBytes: number;
  };

// Passed on to the app's error handler, which sees the whole /api/... path and answers problem+json.
const notFound: RequestHandler = (_req, _res, next) => next(new NotFound("There is no such API endpoint."));

export function apiV1(deps: ApiDeps): { router: Router; document: OpenApiDocument } {
  const endpoints = [...learnerEndpoints(deps), ...instructorEndpoints(deps)];
  const document = openApiDocument(endpoints, {
    serverUrl: `${deps.baseUrl.replace(/\/$/, "")}/api/v1`,
    rateLimitPerMinute: deps.limiter.policy.points,
  });
  const documentJson = JSON.stringify(document);
  const router = Router();
  router.use((req, res, next) => {
    // Revalidate every time (ETag), keep out of shared caches; answers differ by token.
    res.set("Cache-Control", "private, no-cache");
    res.vary("Authorization");
    if (req.method === "GET") conditionalGet(req, res);
    next();
  });
  router.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(documentJson);
  });
  router.put(
    "/attempts/:id/answers/:position",
    ...answerFastPath({ accounts: deps.accounts, attempts: deps.attempts, limit: deps.limiter.policy }),
  );
  router.use(bearerAuth({ authenticate: (input) => deps.accounts.authenticateToken(input), limiter: deps.limiter }));
  for (const e of endpoints) {
    const body = e.schemas.body ? jsonBody : e.rawBody ? rawBody(e.rawBody, deps.importMaxBytes) : [];
    router[e.method](expressPath(e.path), ...body, handlerOf(e));
  }
  router.use(notFound);
  router.use(bodyErrors);
  return { router, document };
}
