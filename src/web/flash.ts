import type { Request, RequestHandler } from "express";

type Kind = "info" | "success" | "error";

/** A one-time message shown on the next page (kept in the session). */
export function flash(req: Request, kind: Kind, message: string): void {
  (req.session.flash ??= []).push({ kind, message });
}

export const flashMessages: RequestHandler = (req, res, next) => {
  if (req.session?.flash?.length) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
