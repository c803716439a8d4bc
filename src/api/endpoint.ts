// One table of endpoints drives both the Express routes and the OpenAPI document: the zod
// schemas that validate a request (through route(), the pipeline of every page) are the ones
// the document describes, and each endpoint lists its responses with their schemas.
import type { Request, Response } from "express";
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from "zod-openapi";
import type { Role } from "../actor";
import { Forbidden } from "../errors";
import { route, type RouteInput } from "../web/pipeline";
import { Problem } from "./schemas";

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

/** Who is calling: the token's user, acting with the token's scope. */
export type ApiActor = { id: string; role: Role; tokenId: string };

export type ApiReply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string | Buffer; type: string; headers?: Record<string, string> };

export type ResponseSpec = {
  description: string;
  schema?: z.ZodType;
  /** Media type of `schema` (application/json unless said). */
  type?: string;
  headers?: string[];
  /** An error answer: problem details. */
  problem?: true;
};

/** An error response of an endpoint, documented with its own description. */
export const problemOf = (description: string): ResponseSpec => ({ description, problem: true });

export type Endpoint<S extends Schemas = Schemas> = {
  method: "get" | "post" | "put" | "delete";
  /** OpenAPI form, under /api/v1: `/attempts/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The narrowest scope that may call it. */
  scope: Role;
  schemas: S;
  /** A raw body (bank files) instead of JSON: the accepted media types. */
  rawBody?: string[];
  responses: Record<number, ResponseSpec>;
  handler: (input: RouteInput<S>, actor: ApiActor, req: Request) => Promise<ApiReply>;
};

export const endpoint = <S extends Schemas>(e: Endpoint<S>): Endpoint => e;

const RANK: Record<Role, number> = { learner: 0, instructor: 1, admin: 2 };

export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

/** The Express handler of one endpoint: scope check, route() parsing, the handler, the reply. */
export function handlerOf(e: Endpoint) {
  return route(e.schemas, async (input, req, res) => {
    const actor = res.locals.apiActor as ApiActor;
    if (RANK[actor.role] < RANK[e.scope])
      throw Object.assign(new Forbidden(`This needs a token with the scope ${e.scope} (or wider).`), {
        code: "insufficient_scope",
      });
    send(res, await e.handler(input, actor, req));
  });
}

function send(res: Response, reply: ApiReply): void {
  res.status(reply.status);
  if (reply.headers) res.set(reply.headers);
  // res.json/res.send compute a weak ETag and answer a matching If-None-Match with 304.
  if ("json" in reply) res.json(reply.json);
  else res.type(reply.type).send(reply.text);
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

const COMMON_ERRORS: Record<number, string> = {
  400: "Invalid input: `errors` names each field (`invalid_input`).",
  401: "No valid token: missing, malformed, unknown, revoked or expired (`unauthenticated`).",
  403: "The token's scope or the user's role does not allow this (`insufficient_scope`, `forbidden`).",
  429: "Too many requests for this token (`rate_limited`); see Retry-After.",
};

const HEADERS: Record<string, z.ZodType> = {
  ETag: z.string().meta({ description: "Weak validator of the body; send it back as If-None-Match." }),
  Location: z.string().meta({ description: "The resource's address." }),
  "Retry-After": z.string().meta({ description: "Seconds to wait." }),
  "Content-Disposition": z.string().meta({ description: "The file name of the download." }),
};

/** The OpenAPI operation of an endpoint. */
export function operationOf(e: Endpoint): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, spec] of Object.entries(e.responses)) {
    const headers = z.object(Object.fromEntries((spec.headers ?? []).map((h) => [h, HEADERS[h]!])));
    responses[status as `2${string}`] = {
      description: spec.description,
      ...(spec.headers ? { headers } : {}),
      ...(spec.problem
        ? { content: { "application/problem+json": { schema: Problem } } }
        : spec.schema
          ? { content: { [spec.type ?? "application/json"]: { schema: spec.schema } } }
          : {}),
    };
  }
  if (e.method === "get" && !responses["304"])
    responses["304"] = { description: "Not modified (If-None-Match matched the ETag)." };
  if (e.schemas.body || e.rawBody) {
    responses["413"] ??= problem("The body is larger than the documented limit (`too_large`).");
    responses["415"] ??= problem("The body's Content-Type is not accepted (`unsupported_media_type`).");
  }
  for (const [status, description] of Object.entries(COMMON_ERRORS))
    responses[status as `4${string}`] ??= problem(description);
  const { params, query, body } = e.schemas;
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    security: [{ bearer: [] }],
    "x-scope": e.scope,
    ...(params || query
      ? {
          requestParams: {
            ...(params ? { path: params as z.ZodObject } : {}),
            ...(query ? { query: query as z.ZodObject } : {}),
          },
        }
      : {}),
    ...(body
      ? { requestBody: { required: true, content: { "application/json": { schema: body } } } }
      : e.rawBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(e.rawBody.map((t) => [t, { schema: z.string().meta({ format: "binary" }) }])),
            },
          }
        : {}),
    responses,
  };
}
