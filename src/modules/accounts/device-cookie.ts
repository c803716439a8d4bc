// The device cookie (OWASP's defence against lockout by brute force): a browser that signed
// in to an account gets a signed cookie naming that account and a random device id. Its
// later sign-ins to that account are throttled on their own, not with the address and the
// account's other attempts, so an attacker cannot lock its owner out.
import { randomBytes } from "node:crypto";
import { parse as parseCookies } from "cookie";
import { sign, unsign } from "cookie-signature";
import { accountKey } from "./throttle";

const LIFETIME_MS = 180 * 24 * 3600_000;

export type DeviceCookie = ReturnType<typeof deviceCookie>;

export function deviceCookie(options: { secret: string; secure: boolean }) {
  const name = options.secure ? "__Host-stackprep-device" : "stackprep-device";
  return {
    name,
    /** The device id the request's cookie vouches for, when it was issued for `email`. */
    deviceFor(cookieHeader: string | undefined, email: string): string | undefined {
      const raw = cookieHeader ? parseCookies(cookieHeader)[name] : undefined;
      const value = raw ? unsign(raw, options.secret) : false;
      if (!value) return undefined;
      const [account, device] = value.split(".");
      return account === accountKey(email) && device ? device : undefined;
    },
    /** A new cookie for a browser that has just signed in to `email`. */
    issue(email: string) {
      const value = sign(`${accountKey(email)}.${randomBytes(16).toString("base64url")}`, options.secret);
      return {
        name,
        value,
        options: {
          httpOnly: true,
          sameSite: "lax" as const,
          secure: options.secure,
          path: "/",
          maxAge: LIFETIME_MS,
        },
      };
    },
  };
}
