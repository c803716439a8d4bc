// One table of endpoints drives both the Express routes and the OpenAPI document: the zod
// schemas that validate a request (through route(), the pipeline of every page) are the ones
// the document describes, and each endpoint lists its responses with their schemas. Endpoints
// are declared once each, in groups that give their tag and scope (endpointGroup).
import type { Request, Response } from "express";
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from "zod-openapi";
import type { Role } from "../actor";
import { Forbidden, NotFound, NotYours } from "../errors";
import { route, type RouteInput } from "../web/pipeline";
import { Problem } from "./schemas";

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

/** Who is calling: the token's user, acting with the token's scope. */
export type ApiActor = { id: string; role: Role; tokenId: string };

type Sent =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string | Buffer; type: string; headers?: Record<string, string> };

/** A reply other than the endpoint's usual one: another status, headers, or a file. */
export class ApiReply {
  constructor(readonly sent: Sent) {}
}

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

/** A JSON reply with another status than the endpoint's usual one, or with headers. */
export const reply = (status: number, json: unknown, headers?: Record<string, string>): ApiReply =>
  new ApiReply(headers ? { status, json, headers } : { status, json });

/** A file download. */
export const file = (text: string | Buffer, type: string, headers: Record<string, string>): ApiReply =>
  new ApiReply({ status: 200, text, type, headers });

/** 201 Created (or another status: 200 for an attempt resumed) with the resource's address. */
export const created = (json: unknown, location: string, status = 201): ApiReply =>
  reply(status, json, { Location: location });

type Method = "get" | "post" | "put" | "delete";

export type Endpoint<S extends Schemas = Schemas> = {
  method: Method;
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
  /** Returns the JSON body of the endpoint's (lowest) success status, or an ApiReply. */
  handler: (input: RouteInput<S>, actor: ApiActor, req: Request) => Promise<unknown>;
};

/**
 * One endpoint as a group declares it: the group gives the tag and the scope; responses may be
 * written short: a string is an error (problem details) with that description, `[description,
 * schema]` a JSON body. GET successes carry an ETag (res.json adds it), documented here once.
 */
type Short = string | [description: string, schema: z.ZodType] | ResponseSpec;
type Declared<S extends Schemas> = Omit<Endpoint<S>, "tag" | "scope" | "responses" | "method" | "path"> & {
  responses: Record<number, Short>;
  tag?: string;
  scope?: Role;
};

const specOf = (short: Short): ResponseSpec =>
  typeof short === "string"
    ? problemOf(short)
    : Array.isArray(short)
      ? { description: short[0], schema: short[1] }
      : short;

/** Endpoints of one tag and scope, each declared once: `api.get(path, { ...schemas, responses, handler })`. */
export function endpointGroup(defaults: { tag: string; scope: Role }) {
  const list: Endpoint[] = [];
  const add =
    (method: Method) =>
    <S extends Schemas>(path: string, declared: Declared<S>): void => {
      const responses: Record<number, ResponseSpec> = {};
      for (const [status, short] of Object.entries(declared.responses)) {
        const spec = specOf(short);
        const success = Number(status) < 300 && spec.schema && !spec.headers?.includes("ETag");
        responses[Number(status)] =
          method === "get" && success ? { ...spec, headers: [...(spec.headers ?? []), "ETag"] } : spec;
      }
      list.push({ ...defaults, ...declared, method, path, responses });
    };
  return { get: add("get"), post: add("post"), put: add("put"), delete: add("delete"), list };
}

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
    let result: unknown;
    try {
      result = await e.handler(input, actor, req);
    } catch (error) {
      // Another user's bank, exam or question does not exist as far as the API says.
      if (error instanceof NotYours) throw new NotFound(e.responses[404]?.description ?? "There is no such resource.");
      throw error;
    }
    send(res, result instanceof ApiReply ? result.sent : { status: successOf(e), json: result });
  });
}

/** The status of a plain body: the endpoint's lowest documented success. */
const successOf = (e: Endpoint) =>
  Math.min(
    ...Object.keys(e.responses)
      .map(Number)
      .filter((s) => s < 300),
  );

function send(res: Response, reply: Sent): void {
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
  "X-Export-Left-Out": z.string().meta({
    description:
      "How many questions the format cannot express and the file leaves out (the file names them where it can hold comments).",
  }),
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
