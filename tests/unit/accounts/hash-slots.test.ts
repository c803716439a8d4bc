// Password hashes run a few at a time (concurrency.ts's limit, in passwords.ts): the rest wait
// their turn, in order, and a hash that fails gives its slot back.
import { availableParallelism } from "node:os";
import { concurrencyLimit } from "../../../src/concurrency";
import { hashPassword, HASH_SLOTS, verifyPassword } from "../../../src/modules/accounts/passwords";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("concurrencyLimit", () => {
  it("runs at most its slots at once, the others in the order they came", async () => {
    const limited = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((n) =>
      limited(async () => {
        started.push(n);
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
        return n * 10;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    while (release.length) {
      release.shift()!();
      await tick();
    }
    expect(await Promise.all(tasks)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("gives a slot back when a task fails", async () => {
    const limited = concurrencyLimit(1);
    await expect(limited(() => Promise.reject(new Error("broken")))).rejects.toThrow("broken");
    await expect(limited(() => Promise.resolve("next"))).resolves.toBe("next");
  });
});

describe("password hashes through the slots", () => {
  it("keeps at least one slot and no more than the cores, and many verifications at once all come out right", async () => {
    expect(HASH_SLOTS).toBeGreaterThanOrEqual(1);
    expect(HASH_SLOTS).toBeLessThanOrEqual(availableParallelism());
    const stored = await hashPassword("correct horse battery staple");
    const checks = await Promise.all(
      Array.from({ length: 8 }, (_, i) => verifyPassword(stored, i % 2 ? "correct horse battery staple" : "wrong")),
    );
    expect(checks).toEqual([false, true, false, true, false, true, false, true]);
  });
});
