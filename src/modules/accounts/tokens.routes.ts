// Personal access tokens on the account page: create (the token is shown once, on the page
// that answers the form) and revoke.
import { Router, type Request } from "express";
import { requireUser } from "../../web/auth";
import { flash } from "../../web/flash";
import { route, type FieldErrors } from "../../web/pipeline";
import type { AccountsService } from "./accounts.service";
import { tokenForm, tokenParams } from "./accounts.schemas";
import { presentTokens } from "./accounts.presenter";

export function tokensRoutes(deps: { accounts: AccountsService; hint: string }): Router {
  const { accounts, hint } = deps;
  const router = Router();
  const accountPage = async (req: Request, extra: { errors?: FieldErrors; newToken?: string } = {}) => ({
    title: "Your account",
    errors: {},
    hint,
    tokens: presentTokens(await accounts.listTokens({ userId: req.user!.id })),
    tokenErrors: extra.errors ?? {},
    newToken: extra.newToken,
  });

  router.get("/account", requireUser, async (req, res) => {
    res.render("accounts/account", await accountPage(req));
  });

  router.post(
    "/account/tokens",
    requireUser,
    route(
      { body: tokenForm },
      async ({ body }, req, res) => {
        const created = await accounts.createToken({ userId: req.user!.id, ...body });
        // Rendered, not redirected: the token is shown this once and kept nowhere (no-store page).
        res.status(201).render("accounts/account", await accountPage(req, { newToken: created.token }));
      },
      { invalid: async (errors, req, res) => res.render("accounts/account", await accountPage(req, { errors })) },
    ),
  );

  router.post(
    "/account/tokens/:id/revocation",
    requireUser,
    route({ params: tokenParams }, async ({ params: { id } }, req, res) => {
      await accounts.revokeToken({ userId: req.user!.id, tokenId: id });
      flash(req, "success", "The token was revoked. Requests with it are refused from now on.");
      res.redirect(303, "/account");
    }),
  );

  return router;
}
