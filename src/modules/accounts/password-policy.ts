// ASVS 5.0 V6.2: length is what counts. At least 8 characters (15 recommended), long
// passphrases allowed and never truncated, no composition rules, common passwords refused.
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN = 8;
export const PASSWORD_RECOMMENDED = 15;
/** Generous, never truncated; the cap only bounds hashing work per request. */
export const PASSWORD_MAX = 1024;
export const COMMON_PASSWORD_COUNT = 3000;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // The list is ranked by frequency in public breach corpora; the top 3,000 are refused.
  common ??= new Set(dictionary["passwords-common"].slice(0, COMMON_PASSWORD_COUNT));
  return common;
}

/** Returns why the password is not acceptable, or null when it is. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN)
    return `Use at least ${PASSWORD_MIN} characters (${PASSWORD_RECOMMENDED} or more is better).`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lowered = password.toLowerCase();
  if (commonPasswords().has(lowered))
    return "This password is one of the most common ones and is easy to guess. Choose another.";
  if (context.email && lowered === context.email.toLowerCase())
    return "Do not use your email address as your password.";
  return null;
}
