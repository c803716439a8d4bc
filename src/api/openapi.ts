// The OpenAPI 3.1 document of /api/v1, generated from the endpoint table (the same zod
// schemas that validate the requests), once per process.
import { createDocument } from "zod-openapi";
import { API_JSON_LIMIT_BYTES } from "./body";
import { operationOf, type Endpoint } from "./endpoint";

export const API_VERSION = "1.0.0";

export function openApiDocument(endpoints: Endpoint[], options: { serverUrl: string; rateLimitPerMinute: number }) {
  const paths: Record<string, Record<string, ReturnType<typeof operationOf>>> = {};
  for (const e of endpoints) (paths[e.path] ??= {})[e.method] = operationOf(e);
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Stackprep API",
      version: API_VERSION,
      description: [
        "Practice exams, progress, review and question banks over JSON.",
        "",
        "Authenticate every request with a personal access token (`Authorization: Bearer spat_...`), created on your account page or with `npm run user -- token`. Cookies are ignored: no session, no CSRF token.",
        "",
        `Errors are \`application/problem+json\` (RFC 9457) with a stable \`code\`. JSON bodies up to ${API_JSON_LIMIT_BYTES} bytes (413 beyond), \`Content-Type: application/json\` (415 otherwise); unknown fields are refused (400 naming them).`,
        "",
        `Reads carry a weak ETag (send If-None-Match for a 304). Lists are paginated by cursor. Each token may make ${options.rateLimitPerMinute} requests a minute (429 with Retry-After beyond).`,
      ].join("\n"),
    },
    servers: [{ url: options.serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A personal access token." } },
    },
    security: [{ bearer: [] }],
    paths,
  });
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
