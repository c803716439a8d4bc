import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { concurrencyLimit } from "./hash-slots";

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1).
const OPTIONS = {
  algorithm: 2 /* Argon2id (a const enum upstream) */ as const,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** Hashes at once: one fewer than the cores, at least one (hash-slots.ts says why). */
export const HASH_SLOTS = Math.max(1, availableParallelism() - 1);
const hashing = concurrencyLimit(HASH_SLOTS);

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Verifies against a throwaway hash so an unknown email costs the same time as a wrong password. */
export async function spendVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword("timing-equaliser-not-a-real-password");
  await verifyPassword(await dummy, password);
}
