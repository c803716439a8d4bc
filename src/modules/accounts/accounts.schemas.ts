import { z } from "zod";
import { ROLES } from "../../actor";
import { text, uuid } from "../../web/input";
import { PASSWORD_MAX } from "./password-policy";

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Use an email address of at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));

// Never trimmed or otherwise altered: every character counts.
const password = z.string().max(PASSWORD_MAX * 4, "That password is too long.");

export const signUpForm = z.object({
  email,
  displayName: text(400).trim().min(1, "Enter a display name.").max(80, "Use at most 80 characters."),
  password,
});

export const loginForm = z.object({ email: text(254).trim().toLowerCase(), password });

export const changePasswordForm = z.object({ currentPassword: password, newPassword: password });

export const roleName = z.enum(ROLES);

export const roleForm = z.object({ role: z.enum(roleName.options, { error: "Choose learner, instructor or admin." }) });

export const statusForm = z.object({
  status: z.enum(["enabled", "disabled"], { error: "Choose enabled or disabled." }),
});

export const userIdParam = z.object({ id: uuid });

export const nextParam = z
  .string()
  .regex(/^\/(?![/\\])[^\s]*$/)
  .optional()
  .catch(undefined);

/** Where to go after signing in: a path on this site only. */
export const loginQuery = z.object({ next: nextParam, expired: z.string().optional().catch(undefined) });

/** The signed-in user as the session stores it. */
export const sessionUser = z.object({ id: z.uuid(), email: z.string(), displayName: z.string(), role: roleName });

export const tokenForm = z.object({
  name: text(400).trim().min(1, "Give the token a name.").max(100, "Use at most 100 characters."),
  scope: z.enum(ROLES, { error: "Choose learner, instructor or admin." }),
  expiresInDays: z
    .union([z.literal(""), z.coerce.number().int().min(1, "At least 1 day.").max(3650, "At most 3650 days.")])
    .optional()
    .transform((v) => (v === "" ? undefined : v)),
});

export const tokenParams = z.object({ id: uuid });
export const resetRequestForm = z.object({ email });

/** A reset link's token (43 base64url characters); anything else is simply not a live link. */
export const resetTokenParam = z.object({ token: text(200) });

export const resetPasswordForm = z.object({ newPassword: password });
