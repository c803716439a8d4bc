// Telling "PostgreSQL is not there" apart from every other failure, so that a request that
// needed the database while it was down or restarting gets 503 (try again) and not 500.
// pg reports socket errors and SQLSTATEs; Prisma wraps them (error codes, driver-adapter
// kinds, causes), so the whole chain is looked at.
const CODES = new Set([
  // sockets
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  // SQLSTATE admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // Prisma: can't reach, timed out, closed the connection, pool timeout
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);
const KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Can't reach database server|Server has closed the connection|the database system is (starting up|shutting down|in recovery mode)/i;

/** True when `error` (or anything it wraps) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, originalCode, kind, message, cause, meta } = e as Record<string, unknown>;
    if ([code, originalCode].some((c) => typeof c === "string" && CODES.has(c))) return true;
    if (typeof kind === "string" && KINDS.has(kind)) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    queue.push(cause, meta, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}
