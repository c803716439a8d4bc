// Route guards. Services check roles and ownership again; these give the right page early.
import type { RequestHandler } from "express";
import { Forbidden } from "../errors";

import type { Role } from "../actor";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User {
      id: string;
      email: string;
      displayName: string;
      role: Role;
    }
  }
}

export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === "GET") return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  res.status(401);
  next(Object.assign(new Error("Sign in first."), { status: 401, expose: true }));
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireUser(req, res, next);
    if (!roles.includes(req.user.role)) return next(new Forbidden("Your role does not allow this page."));
    next();
  };
}
