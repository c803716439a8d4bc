// Password reset: asking for a link by email (when SMTP is configured) and using a link.
// The token is in the path; the request log shows it redacted (web/logger.ts) and the
// Referrer-Policy header (no-referrer) keeps it from leaving with a followed link.
import { Router, type Request, type Response } from "express";
import { Conflict, Invalid, NotFound, TooManyRequests } from "../../errors";
import { flash } from "../../web/flash";
import { textField } from "../../web/forms";
import { route, type FieldErrors } from "../../web/pipeline";
import type { AccountsService } from "./accounts.service";
import { resetPasswordForm, resetRequestForm, resetTokenParam } from "./accounts.schemas";
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from "./password-policy";

const hint = `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A passphrase of several words works well.`;

export function passwordResetRoutes(deps: { accounts: AccountsService }): Router {
  const { accounts } = deps;
  const router = Router();

  const requestPage = (res: Response, view: { email?: string; errors?: FieldErrors; sent?: boolean }) =>
    res.render("accounts/reset-request", {
      title: "Reset your password",
      byMail: accounts.resetByMail(),
      email: view.email ?? "",
      errors: view.errors ?? {},
      sent: view.sent ?? false,
    });

  router.get("/password-reset", (_req, res) => requestPage(res, {}));

  router.post(
    "/password-reset",
    route(
      { body: resetRequestForm },
      async ({ body: { email } }, req, res) => {
        try {
          await accounts.requestPasswordReset({ email, ip: req.ip ?? "unknown" });
        } catch (error) {
          if (error instanceof TooManyRequests || error instanceof Conflict) {
            if (error instanceof TooManyRequests) res.set("Retry-After", String(error.retryAfterSeconds));
            return requestPage(res.status(error.status), { email, errors: { form: error.message } });
          }
          throw error;
        }
        requestPage(res, { sent: true });
      },
      { invalid: (errors, req, res) => requestPage(res, { email: textField(req.body, "email"), errors }) },
    ),
  );

  const choosePage = (res: Response, view: { email?: string; errors?: FieldErrors; invalid?: string }) =>
    res.render("accounts/reset-password", {
      title: "Choose a new password",
      email: view.email ?? "",
      errors: view.errors ?? {},
      invalid: view.invalid,
      hint,
    });

  /** Runs `action`; a dead link renders its page (404) with the way to a new one. */
  const withLink = async (res: Response, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      if (error instanceof NotFound) return choosePage(res.status(404), { invalid: error.message });
      throw error;
    }
  };

  router.get(
    "/password-reset/:token",
    route({ params: resetTokenParam }, ({ params: { token } }, _req, res) =>
      withLink(res, async () => {
        const { email } = await accounts.resetLinkAccount({ token });
        choosePage(res, { email });
      }),
    ),
  );

  router.post(
    "/password-reset/:token",
    route(
      { params: resetTokenParam, body: resetPasswordForm },
      ({ params: { token }, body: { newPassword } }, req: Request, res) =>
        withLink(res, async () => {
          try {
            await accounts.resetPassword({ token, newPassword });
          } catch (error) {
            if (!(error instanceof Invalid)) throw error;
            const errors = Object.fromEntries(error.details.map((d) => [d.field ?? "form", d.message]));
            const { email } = await accounts.resetLinkAccount({ token });
            return choosePage(res.status(400), { email, errors });
          }
          // The reset ended every session of the account, this browser's included.
          await new Promise<void>((resolve) => req.logOut(() => resolve()));
          flash(
            req,
            "success",
            "Your password was changed and every session of the account was ended. Sign in with the new password.",
          );
          res.redirect(303, "/login");
        }),
      { invalid: (errors, _req, res) => choosePage(res, { errors }) },
    ),
  );

  return router;
}
