// Leased rate-limit points of a process: one reservation per token at a time, spent one per
// save within its window; nothing spent when the reservation does not fit or fails.
import { leaseSize, TokenLeases } from "../../../src/modules/accounts/token-leases";

const now = () => 1_000;

describe("token leases", () => {
  it("sizes leases at a 32nd of the limit, at most 16, none below 64 a minute", () => {
    expect([30, 63, 64, 96, 600, 1_000_000].map(leaseSize)).toEqual([0, 1, 2, 3, 16, 16]);
  });

  it("reserves once for saves arriving together and spends the lease one point each", async () => {
    const leases = new TokenLeases();
    let reservations = 0;
    const reserve = async () => {
      reservations += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 61_000;
    };
    const spent = await Promise.all(Array.from({ length: 4 }, () => leases.spend("h", now, 4, reserve)));
    expect(spent).toEqual([true, true, true, true]);
    expect(reservations).toBe(1);
    expect(await leases.spend("h", now, 4, reserve)).toBe(true);
    expect(reservations).toBe(2);
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
