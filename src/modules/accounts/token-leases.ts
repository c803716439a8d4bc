// Points of a token's rate limit that this process has already counted in rate_limits, to be
// spent by the API's answer saves without writing the shared row on every save. Points are
// counted (reserved) in PostgreSQL before they are spent here, so across every instance a
// token never makes more requests in a window than its limit allows; the only error is the
// other way: points an instance reserved and did not use are lost for that window (at most a
// lease and a half per instance, a lease being at most a 32nd of the limit). Only the limit is
// leased: every save still proves the token (revocation, expiry, a disabled user) in its own
// statement.
//
// Saves should not wait for reservations: the next lease is reserved in the background once
// half of the current one is spent, and a token whose saves still run dry before it lands (many
// in flight at once) gets leases twice as large, up to a 32nd of its limit, for the rest of the
// window. Measured with ten saves in flight on one token: waiting for each lease of 16 stalled
// a third of the saves, about 10 ms each (docs/performance.md).

/** Points first reserved at once: a sixteenth of the save's writes to rate_limits, and little slack. */
export const leaseSize = (limitPoints: number): number => Math.min(16, Math.floor(limitPoints / 32));

/** The largest lease of a busy token: a 32nd of its limit. */
export const maxLeaseSize = (limitPoints: number): number => Math.floor(limitPoints / 32);

export type LeaseSizes = { first: number; max: number };

const MAX_TOKENS = 10_000;

type Lease = {
  left: number;
  /** The window's end (ms). */
  expire: number;
  /** Points the next reservation asks for. */
  size: number;
  /** Ran dry in this lease (its size already doubled for it). */
  dry: boolean;
};

export class TokenLeases {
  private readonly leases = new Map<string, Lease>();
  /** Reservations under way, by token digest: saves that find the lease empty wait for it rather than reserve too. */
  private readonly reserving = new Map<string, Promise<void>>();

  /**
   * Spends one leased point, reserving a lease when none is left (`reserve(points)` counts the
   * points in PostgreSQL and says the window's end, or null when they do not fit). Only one
   * reservation per token runs at a time: a save that finds one under way waits for it, and
   * tries again (a few times) if others spent it first. false: no point (the caller counts the
   * request itself, exactly, as near the limit).
   */
  async spend(
    tokenHash: string,
    nowMs: () => number,
    sizes: LeaseSizes,
    reserve: (points: number) => Promise<number | null>,
  ): Promise<boolean> {
    if (sizes.first < 2) return false;
    for (let round = 0; round < 3; round++) {
      if (this.take(tokenHash, nowMs(), sizes.max)) {
        this.reserveAhead(tokenHash, reserve);
        return true;
      }
      const pending = this.reserving.get(tokenHash);
      if (pending) {
        await pending;
        continue;
      }
      const points = this.sizeFor(tokenHash, nowMs(), sizes.first);
      const reservation = reserve(points).then((expire) => {
        if (expire === null) return false;
        this.grant(tokenHash, points, expire, sizes.first, 1); // one is this request's
        return true;
      });
      // Waiters only need to know it ended (a failed reservation fails its own request alone).
      this.reserving.set(
        tokenHash,
        reservation.then(
          () => undefined,
          () => undefined,
        ),
      );
      try {
        return await reservation;
      } finally {
        this.reserving.delete(tokenHash);
      }
    }
    return false;
  }

  /**
   * Reserves the next lease while half of this one is left, unless a reservation is under way.
   * Nothing waits for it; a reservation that does not fit or fails grants nothing (the saves
   * then reserve, or count themselves, when the lease is empty, as without it).
   */
  private reserveAhead(tokenHash: string, reserve: (points: number) => Promise<number | null>): void {
    const lease = this.leases.get(tokenHash);
    if (!lease || lease.left > Math.floor(lease.size / 2) || this.reserving.has(tokenHash)) return;
    const points = lease.size;
    const reservation = reserve(points).then(
      (expire) => {
        if (expire !== null) this.grant(tokenHash, points, expire, points, 0);
      },
      () => undefined,
    );
    this.reserving.set(tokenHash, reservation);
    void reservation.then(() => {
      if (this.reserving.get(tokenHash) === reservation) this.reserving.delete(tokenHash);
    });
  }

  /** The size of the token's next reservation: its lease's in the current window, else the first. */
  private sizeFor(tokenHash: string, nowMs: number, first: number): number {
    const lease = this.leases.get(tokenHash);
    return lease && lease.expire > nowMs ? lease.size : first;
  }

  /**
   * Spends one leased point of the token (by digest), if one is left in the current window. A
   * lease found empty within its window doubles the size of the next one (up to `max`), once
   * per lease.
   */
  take(tokenHash: string, nowMs: number, max: number): boolean {
    const lease = this.leases.get(tokenHash);
    if (!lease || lease.expire <= nowMs) return false;
    if (lease.left > 0) {
      lease.left -= 1;
      return true;
    }
    if (!lease.dry) [lease.dry, lease.size] = [true, Math.max(lease.size, Math.min(max, lease.size * 2))];
    return false;
  }

  /**
   * Adds `points - used` points just reserved (`points` of them) in rate_limits for the window
   * ending at `expire` (ms). A new window starts again from the first size.
   */
  grant(tokenHash: string, points: number, expire: number, first: number, used: number): void {
    const lease = this.leases.get(tokenHash);
    if (lease && lease.expire === expire) {
      [lease.left, lease.dry] = [lease.left + points - used, false];
      return;
    }
    if (!lease && this.leases.size >= MAX_TOKENS) this.leases.clear(); // forgetting only wastes reserved points
    this.leases.set(tokenHash, { left: points - used, expire, size: Math.max(first, points), dry: false });
  }
}
