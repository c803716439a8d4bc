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
 * Hashes at once: as many as the cores on one or two, one fewer from three up. A hash takes a
 * core for about 12 ms on libuv's thread pool (four threads by default), so unlimited, a
 * burst of sign-ins took more threads than a 2-core machine has, and every other request
 * waited behind them. A slot per core does not oversubscribe the cores; a larger machine
 * keeps one core for the event loop and PostgreSQL. One slot on two cores was tried: a
 * hashing thread gets about half a core while the app and PostgreSQL are busy, some 40 to 50
 * verifications a second, and a cohort signing in at 50 a second queued for 8 to 13 s
 * (docs/performance.md).
 */
const CORES = availableParallelism();
export const HASH_SLOTS = CORES <= 2 ? CORES : CORES - 1;
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
