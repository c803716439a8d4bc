// Throttling rules for sign-in, sign-up and password resets (pure: numbers and arithmetic).
// docs/security.md states the same policy for operators; change both together.
import { createHash } from "node:crypto";

const MINUTE = 60;

/** Sign-in attempts for one account from browsers it has not signed in with, from anywhere. */
export const ACCOUNT_POLICY = { name: "signin-account", points: 10, windowSeconds: 15 * MINUTE };
/** Sign-in attempts from one browser the account signed in with before (its device cookie). */
export const DEVICE_POLICY = { name: "signin-device", points: 10, windowSeconds: 15 * MINUTE };
/** Failed sign-ins from one address (successes are refunded), then a short block. */
export const ADDRESS_POLICY = { name: "signin-address", points: 30, windowSeconds: 10 * MINUTE };
/** How many times an address was blocked lately: each block is twice the one before. */
export const ADDRESS_BLOCKS_POLICY = {
  name: "signin-address-blocks",
  points: 1_000_000,
  windowSeconds: 24 * 60 * MINUTE,
};
export const ADDRESS_BLOCK_FIRST_SECONDS = MINUTE;
export const ADDRESS_BLOCK_MAX_SECONDS = 15 * MINUTE;
/** Sign-up attempts from one address (each hashes a password: costly on purpose). */
export const SIGNUP_POLICY = { name: "signup-address", points: 50, windowSeconds: 60 * MINUTE };
/** Password-reset requests, per account and per address (for the reset flow to come). */
export const RESET_ACCOUNT_POLICY = { name: "reset-account", points: 3, windowSeconds: 60 * MINUTE };
export const RESET_ADDRESS_POLICY = { name: "reset-address", points: 20, windowSeconds: 60 * MINUTE };

/** The block after an address's `blocks`-th crossing of its limit within a day: 1, 2, 4, 8, 15 minutes. */
export function addressBlockSeconds(blocks: number): number {
  return Math.min(ADDRESS_BLOCK_FIRST_SECONDS * 2 ** Math.max(0, blocks - 1), ADDRESS_BLOCK_MAX_SECONDS);
}

/**
 * The key an email is counted under: a digest, so the limits table holds no addresses and
 * any length fits its key column. Known and unknown emails are counted alike.
 */
export function accountKey(email: string): string {
  return createHash("sha256").update(email).digest("hex").slice(0, 40);
}

export const inMinutes = (seconds: number) => {
  const minutes = Math.ceil(seconds / MINUTE);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
};
