// A limit on how many password hashes run at once (pure: no I/O of its own).
//
// An Argon2id hash takes a core for about 11 ms (m=19 MiB, t=2). They run on libuv's thread
// pool, four threads by default: a burst of sign-ins on a 2-core machine then takes both cores
// from the event loop and PostgreSQL, and every other request waits behind the hashes. With
// one slot fewer than the machine has cores, one core stays free for the rest; a hash waits
// for a slot instead (one slot verifies some 90 passwords a second).

/** Runs tasks with at most `slots` at once; the others wait, first come first served. */
export function concurrencyLimit(slots: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running < slots) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // handed a slot by a finishing task
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
