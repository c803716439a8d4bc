import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { concurrencyLimit } from "../../concurrency";

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1).
const OPTIONS = {
  algorithm: 2 /* Argon2id (a const enum upstream) */ as const,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * Hashes at once: one fewer than the cores, at least one. A hash takes a core for about 11 ms
 * on libuv's thread pool (four threads by default): a burst of sign-ins on a 2-core machine
 * would take both cores from the event loop and PostgreSQL, and every other request would
 * wait behind the hashes. With a core kept free, a hash waits for a slot instead (one slot
 * verifies some 90 passwords a second).
 */
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
