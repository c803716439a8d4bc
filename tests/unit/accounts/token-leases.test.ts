// Leased rate-limit points of a process: one reservation per token at a time, spent one per
// save within its window; nothing spent when the reservation does not fit or fails.
import { leaseSize, TokenLeases } from "../../../src/modules/accounts/token-leases";

const now = () => 1_000;

describe("token leases", () => {
  it("sizes leases at a 32nd of the limit, at most 16, none below 64 a minute", () => {
    expect([30, 63, 64, 96, 600, 1_000_000].map(leaseSize)).toEqual([0, 1, 2, 3, 16, 16]);
  });

  it("reserves once for saves arriving together, spends the lease one point each, and the next one ahead", async () => {
    const leases = new TokenLeases();
    let reservations = 0;
    const reserve = async () => {
      reservations += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 61_000;
    };
    const spent = await Promise.all(Array.from({ length: 4 }, () => leases.spend("h", now, 4, reserve)));
    expect(spent).toEqual([true, true, true, true]);
    // The first lease, then the next one as soon as half of the first was spent, not waited for.
    expect(reservations).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Four points from the lease reserved ahead: the third reservation starts at half of it.
    for (const expected of [2, 3, 3, 3]) {
      expect(await leases.spend("h", now, 4, reserve)).toBe(true);
      expect(reservations).toBe(expected);
    }
    // The fifth save finds the lease empty and waits only for the reservation already under way.
    expect(await leases.spend("h", now, 4, reserve)).toBe(true);
    expect(reservations).toBe(3);
  });

  it("reserves nothing ahead when the next lease does not fit", async () => {
    const leases = new TokenLeases();
    const answers = [61_000, null];
    let reservations = 0;
    const reserve = () => Promise.resolve(answers[reservations++] ?? null);
    expect(await leases.spend("h", now, 4, reserve)).toBe(true);
    expect(await leases.spend("h", now, 4, reserve)).toBe(true); // half left: the reservation ahead does not fit
    await new Promise((resolve) => setImmediate(resolve));
    expect(await leases.spend("h", now, 4, reserve)).toBe(true);
    expect(await leases.spend("h", now, 4, reserve)).toBe(true);
    expect(await leases.spend("h", now, 4, reserve)).toBe(false); // nothing left, nothing fits
  });

  it("spends nothing past the window's end, when the points do not fit, or when the reservation fails", async () => {
    const leases = new TokenLeases();
    expect(await leases.spend("h", now, 4, () => Promise.resolve(2_000))).toBe(true);
    expect(
      await leases.spend(
        "h",
        () => 2_000,
        4,
        () => Promise.resolve(null),
      ),
    ).toBe(false);
    const failing = () => Promise.reject(new Error("database gone"));
    const results = await Promise.allSettled([leases.spend("g", now, 4, failing), leases.spend("g", now, 4, failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await leases.spend("small", now, 1, () => Promise.resolve(61_000))).toBe(false);
  });
});
