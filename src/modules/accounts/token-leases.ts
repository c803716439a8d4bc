// Points of a token's rate limit that this process has already counted in rate_limits, to be
// spent by the API's answer saves without writing the shared row on every save. Points are
// counted (reserved) in PostgreSQL before they are spent here, so across every instance a
// token never makes more requests in a window than its limit allows; the only error is the
// other way: points an instance reserved and did not use are lost for that window (at most
// one lease and a half per instance). Only the limit is leased: every save still proves the
// token (revocation, expiry, a disabled user) in its own statement.
//
// The next lease is reserved in the background once half of the current one is spent, so a
// busy token's saves do not queue behind a reservation: with ten saves in flight and a lease of
// 16, waiting for each reservation stalled every save once per 16 (measured: up to a quarter of
// the API save's rate; docs/performance.md).

/** Points reserved at once: a sixteenth of the save's writes to rate_limits, and little slack. */
export const leaseSize = (limitPoints: number): number => Math.min(16, Math.floor(limitPoints / 32));

const MAX_TOKENS = 10_000;

export class TokenLeases {
  private readonly leases = new Map<string, { left: number; expire: number }>();
  /** Reservations under way, by token digest: saves that find the lease empty wait for it rather than reserve too. */
  private readonly reserving = new Map<string, Promise<void>>();

  /**
   * Spends one leased point, reserving a lease when none is left (`reserve` counts `size` points
   * in PostgreSQL and says the window's end, or null when they do not fit). Only one reservation
   * per token runs at a time: a save that finds one under way waits for it, and tries again
   * (a few times) if others spent it first. false: no point (the caller counts the request
   * itself, exactly, as near the limit).
   */
  async spend(
    tokenHash: string,
    nowMs: () => number,
    size: number,
    reserve: () => Promise<number | null>,
  ): Promise<boolean> {
    if (size < 2) return false;
    for (let round = 0; round < 3; round++) {
      if (this.take(tokenHash, nowMs())) {
        this.reserveAhead(tokenHash, size, reserve);
        return true;
      }
      const pending = this.reserving.get(tokenHash);
      if (pending) {
        await pending;
        continue;
      }
      const reservation = reserve().then((expire) => {
        if (expire === null) return false;
        this.grant(tokenHash, size - 1, expire); // the other one is this request's
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
  private reserveAhead(tokenHash: string, size: number, reserve: () => Promise<number | null>): void {
    const lease = this.leases.get(tokenHash);
    if (!lease || lease.left > Math.floor(size / 2) || this.reserving.has(tokenHash)) return;
    const reservation = reserve().then(
      (expire) => {
        if (expire !== null) this.grant(tokenHash, size, expire);
      },
      () => undefined,
    );
    this.reserving.set(tokenHash, reservation);
    void reservation.then(() => {
      if (this.reserving.get(tokenHash) === reservation) this.reserving.delete(tokenHash);
    });
  }

  /** Spends one leased point of the token (by digest), if one is left in the current window. */
  take(tokenHash: string, nowMs: number): boolean {
    const lease = this.leases.get(tokenHash);
    if (!lease) return false;
    if (lease.left > 0 && lease.expire > nowMs) {
      lease.left -= 1;
      return true;
    }
    this.leases.delete(tokenHash);
    return false;
  }

  /** Adds points just reserved in rate_limits for the window ending at `expire` (ms). */
  grant(tokenHash: string, points: number, expire: number): void {
    const lease = this.leases.get(tokenHash);
    if (lease && lease.expire === expire) {
      lease.left += points;
      return;
    }
    if (this.leases.size >= MAX_TOKENS) this.leases.clear(); // forgetting only wastes reserved points
    this.leases.set(tokenHash, { left: points, expire });
  }
}
