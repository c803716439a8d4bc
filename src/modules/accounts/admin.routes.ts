// Admin: list users, change roles, disable and enable accounts, issue password-reset links.
import { Router, type Request, type Response } from "express";
import { requireRole } from "../../web/auth";
import { flash } from "../../web/flash";
import { route } from "../../web/pipeline";
import type { AccountsService, ResetLink } from "./accounts.service";
import { roleForm, statusForm, userIdParam } from "./accounts.schemas";
import { presentResetLink, presentUserList } from "./accounts.presenter";

export function adminRoutes(deps: { accounts: AccountsService }): Router {
  const { accounts } = deps;
  const router = Router();
  router.use("/admin", requireRole("admin"));

  const usersPage = async (req: Request, res: Response, resetLink?: ResetLink) => {
    const users = await accounts.listUsers({ actor: req.user! });
    res.render("admin/users", {
      title: "Users",
      users: presentUserList(users, req.user!.id),
      resetLink: resetLink && presentResetLink(resetLink),
    });
  };

  router.get("/admin/users", (req, res) => usersPage(req, res));

  // The link is shown in this response only: it is not kept anywhere it could be read again.
  router.post(
    "/admin/users/:id/reset-link",
    route({ params: userIdParam }, async ({ params: { id } }, req, res) => {
      const link = await accounts.issueResetLink({ actor: req.user!, userId: id });
      await usersPage(req, res, link);
    }),
  );

  router.post(
    "/admin/users/:id/role",
    route({ params: userIdParam, body: roleForm }, async ({ params: { id }, body: { role } }, req, res) => {
      await accounts.setRole({ actor: req.user!, userId: id, role });
      flash(req, "success", `Role changed to ${role}; that user's sessions were ended.`);
      res.redirect(303, "/admin/users");
    }),
  );

  router.post(
    "/admin/users/:id/status",
    route({ params: userIdParam, body: statusForm }, async ({ params: { id }, body: { status } }, req, res) => {
      await accounts.setDisabled({ actor: req.user!, userId: id, disabled: status === "disabled" });
      flash(req, "success", status === "disabled" ? "Account disabled; its sessions were ended." : "Account enabled.");
      res.redirect(303, "/admin/users");
    }),
  );

  return router;
}
