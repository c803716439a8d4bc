// A limit on how many of some piece of work run at once (pure: no I/O of its own). Used where
// each run takes a whole core or more: an import's parse in its worker thread
// (banks/parse.isolated.ts), a password hash (accounts/passwords.ts).

/**
 * Runs tasks with at most `slots` at once; the others wait, first come first served. A
 * finishing task hands its slot to the next in line, so none can slip in between.
 */
export function concurrencyLimit(slots: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running < slots) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
