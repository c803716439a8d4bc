// The one error path: domain errors become statuses; HTML gets a page, JSON gets {error}.
// Nothing internal (stack, SQL) reaches a user; 5xx are logged with the request id.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { DomainError, Invalid, TooManyRequests } from "../errors";

const TITLES: Record<number, string> = {
  400: "That request could not be used",
  403: "Not allowed",
  404: "Page not found",
  409: "That conflicts with the current state",
  413: "That upload is too large",
  429: "Too many attempts",
  500: "Something went wrong",
};

function wantsJson(req: Parameters<RequestHandler>[0]): boolean {
  return (
    req.path.endsWith(".json") ||
    req.is("application/json") === "application/json" ||
    req.accepts(["html", "json"]) === "json"
  );
}

export const notFoundHandler: RequestHandler = (req, res) => {
  const message = "There is no page at this address.";
  res.status(404);
  if (wantsJson(req)) res.json({ error: message });
  else res.render("errors/error", { title: TITLES[404], status: 404, message, details: [] });
};

function statusOf(error: unknown): number {
  if (error instanceof DomainError) return error.status;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = statusOf(error);
  if (status >= 500)
    req.log.error({ err: error, req: { id: req.id, method: req.method, url: req.originalUrl } }, "request failed");
  const expose =
    error instanceof DomainError || (status < 500 && error instanceof Error && (error as { expose?: boolean }).expose);
  const message =
    expose && error instanceof Error
      ? error.message
      : status >= 500
        ? "The server could not finish this request. Please try again."
        : (TITLES[status] ?? "Request failed");
  const details = error instanceof Invalid ? error.details : [];
  if (error instanceof TooManyRequests) res.set("Retry-After", String(error.retryAfterSeconds));
  res.status(status);
  if (wantsJson(req)) res.json(details.length ? { error: message, details } : { error: message });
  else res.render("errors/error", { title: TITLES[status] ?? "Error", status, message, details });
};
