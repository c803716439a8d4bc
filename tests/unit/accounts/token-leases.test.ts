// Leased rate-limit points of a process: one reservation per token at a time, spent one per
// save within its window, the next one reserved ahead, larger for a token whose saves run dry;
// nothing spent when the reservation does not fit or fails.
import { leaseSize, maxLeaseSize, TokenLeases } from "../../../src/modules/accounts/token-leases";

const now = () => 1_000;
const sizes = (first: number, max = first) => ({ first, max });
const settle = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

describe("token leases", () => {
  it("sizes leases at a 32nd of the limit, first at most 16, none below 64 a minute", () => {
    expect([30, 63, 64, 96, 600, 1_000_000].map(leaseSize)).toEqual([0, 1, 2, 3, 16, 16]);
    expect([96, 600, 1_000_000].map(maxLeaseSize)).toEqual([3, 18, 31_250]);
  });

  it("reserves once for saves arriving together, spends the lease one point each, and the next one ahead", async () => {
    const leases = new TokenLeases();
    let reservations = 0;
    const reserve = async () => {
      reservations += 1;
      await settle(5);
      return 61_000;
    };
    const spent = await Promise.all(Array.from({ length: 4 }, () => leases.spend("h", now, sizes(4), reserve)));
    expect(spent).toEqual([true, true, true, true]);
    // The first lease, then the next one as soon as half of the first was spent, not waited for.
    expect(reservations).toBe(2);
    await settle();
    // Four points from the lease reserved ahead: the third reservation starts at half of it.
    for (const expected of [2, 3, 3, 3]) {
      expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true);
      expect(reservations).toBe(expected);
    }
    // The fifth save finds the lease empty and waits only for the reservation already under way.
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true);
    expect(reservations).toBe(3);
  });

  it("doubles the leases of a token whose saves run dry, up to the largest, once per lease", async () => {
    const leases = new TokenLeases();
    const asked: number[] = [];
    const reserve = async (points: number) => {
      asked.push(points);
      await settle(5);
      return 61_000;
    };
    // Twelve saves at once on leases of 4: they run dry before the lease reserved ahead lands
    // (a save that waited for three leases spent by others counts itself: false).
    await Promise.all(Array.from({ length: 12 }, () => leases.spend("h", now, sizes(4, 16), reserve)));
    await settle(20);
    expect(asked).toEqual([4, 4, 8]);
    // Twenty more, as many as the largest lease and a bit: no lease grows past 16.
    await Promise.all(Array.from({ length: 20 }, () => leases.spend("h", now, sizes(4, 16), reserve)));
    await settle(20);
    expect(Math.max(...asked)).toBe(16);
    // A token that never runs dry keeps the first size.
    const calm: number[] = [];
    for (let i = 0; i < 12; i++) {
      await leases.spend("calm", now, sizes(4, 16), (points) => (calm.push(points), Promise.resolve(61_000)));
      await settle(1);
    }
    expect(new Set(calm)).toEqual(new Set([4]));
  });

  it("reserves nothing ahead when the next lease does not fit", async () => {
    const leases = new TokenLeases();
    const answers = [61_000, null];
    let reservations = 0;
    const reserve = () => Promise.resolve(answers[reservations++] ?? null);
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true);
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true); // half left: the reservation ahead does not fit
    await new Promise((resolve) => setImmediate(resolve));
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true);
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(true);
    expect(await leases.spend("h", now, sizes(4), reserve)).toBe(false); // nothing left, nothing fits
  });

  it("spends nothing past the window's end, when the points do not fit, or when the reservation fails", async () => {
    const leases = new TokenLeases();
    expect(await leases.spend("h", now, sizes(4), () => Promise.resolve(2_000))).toBe(true);
    expect(
      await leases.spend(
        "h",
        () => 2_000,
        sizes(4),
        () => Promise.resolve(null),
      ),
    ).toBe(false);
    const failing = () => Promise.reject(new Error("database gone"));
    const results = await Promise.allSettled([
      leases.spend("g", now, sizes(4), failing),
      leases.spend("g", now, sizes(4), failing),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await leases.spend("small", now, sizes(1), () => Promise.resolve(61_000))).toBe(false);
  });
});
