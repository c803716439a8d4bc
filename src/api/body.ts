// Request bodies of /api: JSON only (a raw file where an endpoint says so), of a documented
// size. A body of another type is 415, a larger one 413, malformed JSON 400, each as problem
// details naming what was wrong.
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { DomainError, Invalid } from "../errors";
import { refuseUnstorableText } from "../web/pipeline";

/** The largest JSON body accepted (answers, exam settings, question versions). */
export const API_JSON_LIMIT_BYTES = 64 * 1024;

export class UnsupportedMediaType extends DomainError {
  override readonly status = 415;
}
export class PayloadTooLarge extends DomainError {
  override readonly status = 413;
}

const hasBody = (req: Parameters<RequestHandler>[0]) =>
  req.headers["transfer-encoding"] !== undefined ||
  (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");

/** Accepts a body only of the given media types (415 otherwise, naming Content-Type). */
export function requireType(types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req) || req.is(types)) return next();
    const sent = req.headers["content-type"] ?? "none";
    next(
      Object.assign(new UnsupportedMediaType(`Send the body as ${types.join(" or ")} (Content-Type was ${sent}).`), {
        details: [{ field: "Content-Type", message: `must be ${types.join(" or ")}` }],
      }),
    );
  };
}

export const jsonBody: RequestHandler[] = [
  requireType(["application/json"]),
  express.json({ limit: API_JSON_LIMIT_BYTES, type: "application/json" }),
  refuseUnstorableText,
];

export function rawBody(types: string[], limitBytes: number): RequestHandler[] {
  return [requireType(types), express.raw({ type: types, limit: limitBytes })];
}

/** body-parser's errors, in the words of this API. */
export const bodyErrors: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  const e = error as { type?: string; limit?: number };
  if (e.type === "entity.too.large")
    return next(
      Object.assign(
        new PayloadTooLarge(`The body is larger than the limit of ${e.limit ?? API_JSON_LIMIT_BYTES} bytes.`),
        {
          code: "too_large",
        },
      ),
    );
  if (e.type === "entity.parse.failed")
    return next(new Invalid("The request body is not valid JSON.", [{ field: "body", message: "malformed JSON" }]));
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported")
    return next(new UnsupportedMediaType("Send the body as UTF-8."));
  next(error);
};
