import { isRetryable, retryDelayMs } from "../../../src/db/transactions";

// The shapes below are what Prisma 7 with the pg adapter throws (seen against PostgreSQL 18).
const rawDeadlock = {
  code: "P2010",
  message: "Raw query failed. Code: `40P01`. Message: `deadlock detected`",
  meta: {
    driverAdapterError: {
      name: "DriverAdapterError",
      cause: { originalCode: "40P01", originalMessage: "deadlock detected", kind: "TransactionWriteConflict" },
    },
  },
};

describe("isRetryable", () => {
  it("retries deadlocks, serialization failures and a transaction that found no connection in time", () => {
    expect(isRetryable(rawDeadlock)).toBe(true);
    expect(isRetryable({ code: "P2034", message: "Transaction failed due to a write conflict or a deadlock" })).toBe(
      true,
    );
    expect(
      isRetryable({
        code: "P2028",
        message: "Transaction API error: Unable to start a transaction in the given time.",
      }),
    ).toBe(true);
    expect(isRetryable({ code: "40001", message: "could not serialize access" })).toBe(true);
  });

  it("does not retry what would fail again or must not run twice", () => {
    expect(isRetryable({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isRetryable({ code: "P2028", message: "Transaction API error: Transaction not found." })).toBe(false);
    expect(isRetryable({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } })).toBe(
      false,
    );
    expect(isRetryable(new Error("boom"))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 25 ms with up to as much again of jitter", () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, () => 0))).toEqual([25, 50, 100]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, () => 0.999))).toEqual([50, 100, 200]);
  });
});
