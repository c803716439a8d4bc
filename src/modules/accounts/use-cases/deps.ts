// What the accounts use cases are given, and the account fields a session carries.
import type { Role } from "../../../actor";
import type { Clock } from "../../../clock";
import type { Db } from "../../../db";
import type { Mailer } from "../../../mail";
import type { SignInThrottle } from "../sign-in-throttle";
import type { TokenLeases } from "../token-leases";

export type AccountsDeps = {
  prisma: Db;
  clock: Clock;
  throttle: SignInThrottle;
  /** Where reset links point (the site's base URL), and the mailer, when SMTP is configured. */
  links?: { baseUrl: string; mailer?: Mailer | undefined };
  /** This process's leased rate-limit points of tokens (the API's answer save). */
  leases: TokenLeases;
};

export type SessionUser = { id: string; email: string; displayName: string; role: Role };

export const sessionFields = { id: true, email: true, displayName: true, role: true } as const;
