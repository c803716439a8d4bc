import type { Request, RequestHandler, Response } from "express";

type NavItem = { href: string; label: string; roles?: string[] };

const NAV: NavItem[] = [
  { href: "/exams", label: "Exams" },
  { href: "/review", label: "Review" },
  { href: "/progress", label: "Progress" },
  { href: "/classes", label: "Classes" },
  { href: "/teach", label: "Teach", roles: ["instructor", "admin"] },
  { href: "/admin/users", label: "Users", roles: ["admin"] },
  { href: "/account", label: "Account" },
];

/** What every page's layout needs: the signed-in user and the navigation for their role. */
export const viewLocals: RequestHandler = (req, res, next) => {
  setViewLocals(req, res);
  next();
};

/** viewLocals for a page served before the middleware (a sitting's question page, attempts.routes.ts). */
export function setViewLocals(req: Request, res: Response): void {
  const user = req.user;
  res.locals.currentUser = user ? { displayName: user.displayName, email: user.email, role: user.role } : undefined;
  res.locals.nav = user
    ? NAV.filter((item) => !item.roles || item.roles.includes(user.role)).map((item) => ({
        ...item,
        current: req.path === item.href || req.path.startsWith(`${item.href}/`),
      }))
    : [];
}

/**
 * The number of review cards due, beside Review in the navigation: one count per page
 * (signed-in GET requests for HTML only; autosaves and posts pay nothing), kept in
 * res.locals for the rest of the request. Pages whose path matches `uncounted` show Review
 * without a count: a sitting's question pages are most of an exam day's requests, and a
 * learner in an exam has no use for the count (four reads a page saved).
 */
export function navDueCount(dueCount: (userId: string) => Promise<number>, uncounted?: RegExp): RequestHandler {
  return async (req, res, next) => {
    const user = req.user;
    if (!user || req.method !== "GET" || res.locals.dueCount !== undefined || !req.accepts("html")) return next();
    if (uncounted?.test(req.path)) return next();
    const due = await dueCount(user.id);
    res.locals.dueCount = due;
    if (due > 0) {
      const nav = res.locals.nav as { href: string; label: string }[];
      res.locals.nav = nav.map((item) => (item.href === "/review" ? { ...item, label: `Review (${due} due)` } : item));
    }
    next();
  };
}
