// passport-local on our own Passport instance: sign-in checks go through the service
// (throttling, timing), and each request reloads the user so a disabled account is
// signed out on its next request.
import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { AccountsService } from "./accounts.service";
import { loginForm } from "./accounts.schemas";

export function createPassport(accounts: AccountsService) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: "email", passwordField: "password", passReqToCallback: true },
      (req, _email, _password, done) => {
        const form = loginForm.safeParse(req.body);
        if (!form.success) return done(null, false);
        accounts.authenticate({ email: form.data.email, password: form.data.password, ip: req.ip ?? "unknown" }).then(
          (user) => done(null, user ?? false),
          (error: unknown) => done(error),
        );
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    accounts.findSessionUser({ id }).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  });
  return passport;
}
