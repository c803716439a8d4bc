import { z } from "zod";
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
  displayName: z.string().trim().min(1, "Enter a display name.").max(80, "Use at most 80 characters."),
  password,
});

export const loginForm = z.object({ email: z.string().trim().toLowerCase().max(254), password });

export const changePasswordForm = z.object({ currentPassword: password, newPassword: password });

export const roleName = z.enum(["learner", "instructor", "admin"]);

export const roleForm = z.object({ role: roleName });

export const statusForm = z.object({ status: z.enum(["enabled", "disabled"]) });

export const userIdParam = z.object({ id: z.uuid() });

export const nextParam = z
  .string()
  .regex(/^\/(?![/\\])[^\s]*$/)
  .optional()
  .catch(undefined);

/** The signed-in user as the session stores it. */
export const sessionUser = z.object({ id: z.uuid(), email: z.string(), displayName: z.string(), role: roleName });
