// Sign-up, sign-in, sign-out and the account page.
import { Router, type Request, type Response, type NextFunction } from "express";
import { storedSessionUser, type createPassport } from "./passport";
import type { Clock } from "../../clock";
import { Invalid, Conflict } from "../../errors";
import { requireUser } from "../../web/auth";
import { newCsrfToken } from "../../web/csrf";
import { flash } from "../../web/flash";
import { signInSession } from "../../web/session";
import { textField } from "../../web/forms";
import { route, type FieldErrors } from "../../web/pipeline";
import type { AccountsService, SessionUser } from "./accounts.service";
import type { DeviceCookie } from "./device-cookie";
import { changePasswordForm, loginQuery, nextParam, signUpForm } from "./accounts.schemas";
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from "./password-policy";

const WRONG_CREDENTIALS = "The email or password is not right.";
export const hint = `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A passphrase of several words works well.`;

/**
 * Signs the user in on a new session id, written once (signInSession): the user, the timeouts
 * and a new CSRF token, so the first page after it writes nothing.
 */
async function signIn(req: Request, user: SessionUser, clock: Clock): Promise<void> {
  const now = clock.now().getTime();
  await signInSession(req, {
    passport: { user: storedSessionUser(user) },
    authAt: now,
    seenAt: now,
    csrfToken: newCsrfToken(),
  });
  req.user = user;
}

export function accountsRoutes(deps: {
  accounts: AccountsService;
  passport: ReturnType<typeof createPassport>;
  device: DeviceCookie;
  clock: Clock;
}): Router {
  const { accounts, passport, device, clock } = deps;
  /** Signs in and marks the browser as one this account signed in with (device-cookie.ts). */
  const signInBrowser = async (req: Request, res: Response, user: SessionUser) => {
    await signIn(req, user, clock);
    const cookie = device.issue(user.email);
    res.cookie(cookie.name, cookie.value, cookie.options);
  };
  const router = Router();

  router.get("/signup", (_req, res) => {
    res.render("accounts/signup", { title: "Create your account", values: {}, errors: {}, hint });
  });

  const signUpPage = (req: Request, errors: FieldErrors) => ({
    title: "Create your account",
    values: { email: textField(req.body, "email"), displayName: textField(req.body, "displayName") },
    errors,
    hint,
  });

  router.post(
    "/signup",
    route(
      { body: signUpForm },
      async ({ body }, req, res) => {
        try {
          const user = await accounts.signUp({ ...body, ip: req.ip ?? "unknown" });
          await signInBrowser(req, res, user);
          flash(req, "success", `Welcome to Stackprep, ${user.displayName}.`);
          res.redirect(303, "/");
        } catch (error) {
          if (error instanceof Invalid || error instanceof Conflict) {
            const errors =
              error instanceof Invalid
                ? Object.fromEntries(error.details.map((d) => [d.field ?? "form", d.message]))
                : { email: error.message };
            return res.status(error.status).render("accounts/signup", signUpPage(req, errors));
          }
          throw error;
        }
      },
      { invalid: (errors, req, res) => res.render("accounts/signup", signUpPage(req, errors)) },
    ),
  );

  router.get(
    "/login",
    route({ query: loginQuery }, ({ query: { next, expired } }, _req, res) => {
      const notice = expired ? "Your session ended. Sign in again to continue." : undefined;
      res.render("accounts/login", { title: "Sign in", email: "", error: undefined, notice, next });
    }),
  );

  router.post("/login", (req: Request, res: Response, nextFn: NextFunction) => {
    const next = nextParam.parse(textField(req.body, "next") || undefined);
    const authenticate = passport.authenticate("local", (error: unknown, user: SessionUser | false) => {
      if (error) return nextFn(error);
      if (!user) {
        return res.status(401).render("accounts/login", {
          title: "Sign in",
          email: textField(req.body, "email"),
          error: WRONG_CREDENTIALS,
          notice: undefined,
          next,
        });
      }
      signInBrowser(req, res, user).then(() => res.redirect(303, next ?? "/"), nextFn);
    }) as (req: Request, res: Response, next: NextFunction) => void;
    authenticate(req, res, nextFn);
  });

  router.post("/logout", (req, res, next) => {
    req.logOut((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.redirect(303, "/"));
    });
  });

  // GET /account (with the tokens) is in tokens.routes.ts.

  router.post(
    "/account/password",
    requireUser,
    route(
      { body: changePasswordForm },
      async ({ body }, req, res) => {
        try {
          await accounts.changePassword({ userId: req.user!.id, ...body, keepSessionId: req.sessionID });
        } catch (error) {
          if (!(error instanceof Invalid)) throw error;
          const errors = Object.fromEntries(error.details.map((d) => [d.field ?? "form", d.message]));
          return res.status(400).render("accounts/account", { title: "Your account", errors, hint });
        }
        flash(req, "success", "Your password was changed. Every other session was signed out.");
        res.redirect(303, "/account");
      },
      { invalid: (errors, _req, res) => res.render("accounts/account", { title: "Your account", errors, hint }) },
    ),
  );

  router.post("/account/sessions/deletion", requireUser, async (req, res) => {
    await accounts.signOutEverywhere({ userId: req.user!.id });
    req.session.destroy(() => res.redirect(303, "/login"));
  });

  return router;
}
