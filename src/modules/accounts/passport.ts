// passport-local on our own Passport instance: sign-in checks go through the service
// (throttling, timing).
import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { AccountsService } from "./accounts.service";
import type { SessionUser } from "./use-cases/deps";
import type { DeviceCookie } from "./device-cookie";
import { loginForm, sessionUser } from "./accounts.schemas";

export function createPassport(accounts: AccountsService, device: DeviceCookie) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: "email", passwordField: "password", passReqToCallback: true },
      (req, _email, _password, done) => {
        const form = loginForm.safeParse(req.body);
        if (!form.success) return done(null, false);
        const { email, password } = form.data;
        const ip = req.ip ?? "unknown";
        accounts.authenticate({ email, password, ip, device: device.deviceFor(req.headers.cookie, email) }).then(
          (user) => done(null, user ?? false),
          (error: unknown) => done(error),
        );
      },
    ),
  );
  // The session keeps the signed-in user's id, email, name and role, so a request needs no
  // user query. Whatever changes them (a role change, disabling, a password change, "sign out
  // everywhere") deletes the user's session rows, so a stale copy cannot outlive the change.
  passport.serializeUser((user, done) => done(null, storedSessionUser(user)));
  passport.deserializeUser((stored: unknown, done) => done(null, sessionUserOf(stored) ?? false));
  return passport;
}

/** What a session keeps of its signed-in user (under passport's key, as `passport.user`). */
export function storedSessionUser(user: Express.User): SessionUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

/** The user a session holds (what serializeUser stored), or null when it is not well formed. */
export function sessionUserOf(stored: unknown): SessionUser | null {
  const parsed = sessionUser.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
