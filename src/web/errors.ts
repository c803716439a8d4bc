// The one error path: domain errors become statuses; HTML gets a page, JSON gets problem
// details (RFC 9457) with a stable `code`. Nothing internal (stack, SQL) reaches a user;
// 5xx are logged with the request id.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { isDatabaseUnavailable } from "../db";
import { DomainError, Invalid, TooManyRequests, type InvalidDetail } from "../errors";

const TITLES: Record<number, string> = {
  400: "That request could not be used",
  401: "Sign in first",
  403: "Not allowed",
  404: "Page not found",
  409: "That cannot be done now",
  413: "That is too large",
  415: "That content type is not accepted",
  429: "Too many attempts",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/** Stable machine-readable codes; clients branch on these, never on the wording. */
const CODES: Record<number, string> = {
  400: "invalid_input",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  500: "internal_error",
  503: "unavailable",
};

export function wantsJson(req: Request): boolean {
  return (
    req.path.endsWith(".json") ||
    req.path.startsWith("/api/") ||
    req.is("application/json") === "application/json" ||
    req.accepts(["html", "json"]) === "json"
  );
}

type Problem = { status: number; message: string; details: InvalidDetail[]; code?: string };

export type NextStep = { href: string; label: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a learner can go from an error: the way on for what they were doing, then the start page. */
export function nextSteps(req: Request, status: number): NextStep[] {
  const steps: NextStep[] = [];
  const path = req.path;
  const section = path.split("/")[1] ?? "";
  const get = req.method === "GET" || req.method === "HEAD";
  if (status === 401)
    steps.push({ href: `/login?next=${encodeURIComponent(get ? req.originalUrl : "/")}`, label: "Sign in" });
  if (status === 503 || status === 429) {
    if (get) steps.push({ href: req.originalUrl, label: "Try again" });
  }
  const attempt = /^\/attempts\/([^/]+)/.exec(path)?.[1];
  if (attempt && UUID.test(attempt) && status !== 404 && status !== 403) {
    steps.push({ href: `/attempts/${attempt}/result`, label: "See this attempt's result" });
    steps.push({ href: `/attempts/${attempt}`, label: "Back to the attempt" });
  }
  const sections: Record<string, NextStep> = {
    exams: { href: "/exams", label: "Back to exams" },
    attempts: { href: "/exams", label: "Back to exams" },
    review: { href: "/review", label: "Back to review" },
    progress: { href: "/progress", label: "Back to your progress" },
    teach: { href: "/teach", label: "Back to teaching" },
    admin: { href: "/admin/users", label: "Back to users" },
    account: { href: "/account", label: "Back to your account" },
  };
  const own = sections[section];
  if (own && !(status === 403 && (section === "teach" || section === "admin"))) steps.push(own);
  if (status === 403 && !req.user) steps.push({ href: "/login", label: "Sign in" });
  steps.push({ href: "/", label: "Back to the start page" });
  return steps.filter((s, i) => steps.findIndex((t) => t.href === s.href) === i);
}

/** Sends a problem as problem+json or as the error page, whichever the client asked for. */
export function sendProblem(req: Request, res: Response, problem: Problem): void {
  const { status, message, details } = problem;
  const title = TITLES[status] ?? "Error";
  res.status(status);
  if (wantsJson(req)) {
    const body = {
      type: "about:blank",
      title,
      status,
      detail: message,
      code: problem.code ?? CODES[status] ?? (status >= 500 ? "internal_error" : "invalid_input"),
      error: message,
      ...(details.length ? { errors: details } : {}),
    };
    res.type("application/problem+json").send(JSON.stringify(body));
  } else res.render("errors/error", { title, status, message, details, next: nextSteps(req, status) });
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(req, res, { status: 404, message: "There is no page at this address.", details: [] });
};

// While PostgreSQL is away (restarting, failing over) the app keeps answering: 503 says "try
// again shortly", and the pool reconnects by itself once the database is back.
const RETRY_AFTER_SECONDS = 5;
const UNAVAILABLE = "The service is briefly unavailable. Please try again in a few seconds.";

/** Status of errors thrown by libraries (body-parser, multer) and by our own code. */
function classify(error: unknown): { status: number; message?: string; unavailable?: true } {
  if (error instanceof DomainError) return { status: error.status, message: error.message };
  if (isDatabaseUnavailable(error)) return { status: 503, message: UNAVAILABLE, unavailable: true };
  const e = error as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown; name?: unknown };
  if (e.name === "MulterError") {
    const tooLarge = e.code === "LIMIT_FILE_SIZE" || e.code === "LIMIT_FIELD_VALUE" || e.code === "LIMIT_PART_COUNT";
    return tooLarge
      ? { status: 413, message: "The upload is larger than the limit." }
      : { status: 400, message: "Send one bank file in the field named “file”, with the form's other fields." };
  }
  if (e.type === "entity.parse.failed") return { status: 400, message: "The request body is not valid JSON." };
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported")
    return { status: 415, message: "Send the body as UTF-8." };
  const status = e.status ?? e.statusCode;
  return { status: typeof status === "number" && status >= 400 && status < 600 ? status : 500 };
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const classified = classify(error);
  const { status } = classified;
  if (classified.unavailable) {
    req.log.warn({ req: { id: req.id, method: req.method, url: req.originalUrl } }, "database unavailable");
    res.set("Retry-After", String(RETRY_AFTER_SECONDS));
  } else if (status >= 500)
    req.log.error({ err: error, req: { id: req.id, method: req.method, url: req.originalUrl } }, "request failed");
  const expose = status < 500 && error instanceof Error && (error as { expose?: boolean }).expose;
  const message =
    classified.message ??
    (expose
      ? error.message
      : status >= 500
        ? "The server could not finish this request. Please try again."
        : (TITLES[status] ?? "Request failed"));
  const details = error instanceof Invalid ? error.details : [];
  if (error instanceof TooManyRequests) res.set("Retry-After", String(error.retryAfterSeconds));
  sendProblem(req, res, {
    status,
    message,
    details,
    ...(error instanceof DomainError && error.code ? { code: error.code } : {}),
  });
};
