// Domain errors: services throw these; one middleware (web/errors.ts) maps them to
// status codes and pages. Shared by every module, depending on nothing.
export class DomainError extends Error {
  readonly status: number = 500;
  /** A stable code for clients, where the status alone does not say enough (e.g. "stale_answer"). */
  code?: string;
}

export class NotFound extends DomainError {
  override readonly status = 404;
  constructor(message = "Not found") {
    super(message);
  }
}

export class Forbidden extends DomainError {
  override readonly status = 403;
  constructor(message = "You are not allowed to do that") {
    super(message);
  }
}

/**
 * Forbidden because the resource is someone else's (not because of the actor's role). Pages
 * say so (403); the API answers as if it did not exist (404), so ids cannot be probed.
 */
export class NotYours extends Forbidden {
  constructor(message: string) {
    super(message);
    this.code = "not_owner";
  }
}

export class Conflict extends DomainError {
  override readonly status = 409;
  constructor(message: string, code?: string) {
    super(message);
    if (code) this.code = code;
  }
}

export type InvalidDetail = { field?: string; message: string };

export class Invalid extends DomainError {
  override readonly status = 400;
  constructor(
    message: string,
    readonly details: InvalidDetail[] = [],
  ) {
    super(message);
  }
}

export class TooManyRequests extends DomainError {
  override readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
