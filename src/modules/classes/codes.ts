// Join codes and invite tokens (pure). A join code is typed by people: 12 letters and digits
// of an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits, shown in groups of four.
// An invite token travels in a link: 32 random bytes, kept only as its SHA-256.
import { createHash, randomBytes, randomInt } from "node:crypto";

export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 12;
/** Invite links last a week unless the instructor asks otherwise (1 to 30 days). */
export const INVITE_DAYS_DEFAULT = 7;
export const INVITE_DAYS_MAX = 30;

export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What a person typed, as stored: upper case, without spaces and dashes; null when it cannot be a code. */
export function normaliseJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** XXXX-XXXX-XXXX, as the class page shows it. */
export const displayJoinCode = (code: string) => code.match(/.{1,4}/g)!.join("-");

export const newInviteToken = () => randomBytes(32).toString("base64url");
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const inviteTokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Join attempts with a code, per learner and per address: a wrong code costs one point. */
export const JOIN_USER_POLICY = { name: "class-join-user", points: 10, windowSeconds: 15 * 60 };
export const JOIN_ADDRESS_POLICY = { name: "class-join-address", points: 50, windowSeconds: 15 * 60 };
