// The one way into a route: params, query and body are parsed with zod before the handler
// runs, so a malformed value is a 400 with field messages (an HTML page, or a form
// re-rendered with its values; problem+json for JSON), and handlers see only typed input.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import { Invalid, type InvalidDetail } from "../errors";
import { findUnstorableText } from "./input";

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
export type RouteInput<S extends Schemas> = { params: Out<S["params"]>; query: Out<S["query"]>; body: Out<S["body"]> };

/** Field messages keyed by field name (the first message per field), for re-rendering forms. */
export type FieldErrors = Record<string, string>;

export type RouteOptions = {
  /** Re-render the form with its messages and the values kept, instead of the error page. */
  invalid?: (errors: FieldErrors, req: Request, res: Response) => unknown;
};

function detailsOf(where: string, error: z.ZodError): InvalidDetail[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // A strict object's unknown fields: one detail per field, named.
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({ field: [...path, key].join("."), message: "This field is not accepted." }));
    return [{ field: path.length ? path.join(".") : where, message: issue.message }];
  });
}

/** Parses every part of the request that has a schema; throws Invalid with all field issues. */
export function parseRequest<S extends Schemas>(schemas: S, req: Request): RouteInput<S> {
  const details: InvalidDetail[] = [];
  const out: Record<string, unknown> = {};
  for (const part of ["params", "query", "body"] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(req[part] ?? {});
    if (result.success) out[part] = result.data;
    else details.push(...detailsOf(part, result.error));
  }
  if (details.length) throw new Invalid("Some of what was sent could not be used.", details);
  return out as RouteInput<S>;
}

export const fieldErrors = (details: InvalidDetail[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const d of details) errors[d.field?.split(".")[0] ?? "form"] ??= d.message;
  return errors;
};

/**
 * Refuses text no column can store (NUL, unpaired surrogates) anywhere in params, query or
 * body, before any route or the autosave sees it; mounted once after each body parser.
 */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  for (const part of ["query", "body"] as const) {
    const found = findUnstorableText(req[part], [part]);
    if (found) return next(new Invalid("Some of what was sent could not be used.", [found]));
  }
  const path = findUnstorableText(safeDecode(req.path), ["path"]);
  if (path) return next(new Invalid("That address could not be used.", [path]));
  next();
};

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "";
  }
}

/** A route handler with validated input: `route({ params, query, body }, handler, options)`. */
export function route<S extends Schemas>(
  schemas: S,
  handler: (input: RouteInput<S>, req: Request, res: Response, next: NextFunction) => unknown,
  options: RouteOptions = {},
): RequestHandler {
  return async (req, res, next) => {
    let input: RouteInput<S>;
    try {
      input = parseRequest(schemas, req);
    } catch (error) {
      if (options.invalid && error instanceof Invalid) {
        res.status(400);
        return void (await options.invalid(fieldErrors(error.details), req, res));
      }
      throw error;
    }
    try {
      await handler(input, req, res, next);
    } catch (error) {
      // A use case's refusal of a field (a wrong code, a taken name) re-renders the form too.
      if (options.invalid && error instanceof Invalid && error.details.length > 0 && !res.headersSent) {
        res.status(400);
        return void (await options.invalid(fieldErrors(error.details), req, res));
      }
      throw error;
    }
  };
}
