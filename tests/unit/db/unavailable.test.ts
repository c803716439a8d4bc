import { isDatabaseUnavailable } from "../../../src/db/unavailable";

describe("isDatabaseUnavailable", () => {
  it("recognises PostgreSQL going away as pg and Prisma report it", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    const starting = Object.assign(new Error("the database system is starting up"), { code: "57P03" });
    const prismaWrapped = Object.assign(new Error("Invalid `prisma.user.count()` invocation"), {
      code: "P1001",
    });
    const adapterKind = Object.assign(new Error("driver adapter error"), {
      cause: { kind: "postgres", originalCode: "57P01" },
    });
    const inMeta = Object.assign(new Error("query failed"), {
      meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } },
    });
    const poolTimeout = new Error("timeout exceeded when trying to connect");
    const terminated = new Error("Connection terminated unexpectedly");
    for (const error of [refused, shutdown, starting, prismaWrapped, adapterKind, inMeta, poolTimeout, terminated])
      expect([error.message, isDatabaseUnavailable(error)]).toEqual([error.message, true]);
  });

  it("leaves every other failure a failure", () => {
    const unique = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: "42601" });
    const diskFull = Object.assign(new Error("could not extend file: No space left on device"), { code: "53100" });
    const cyclic: { cause?: unknown; message: string } = { message: "loop" };
    cyclic.cause = cyclic;
    for (const error of [unique, syntax, diskFull, new Error("boom"), cyclic, undefined, "text"])
      expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
