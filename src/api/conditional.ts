// Conditional GET for the API: a read whose If-None-Match names its ETag is answered 304,
// whatever the request's Cache-Control says. Express's req.fresh (the `fresh` module, written
// for caches) treats `Cache-Control: no-cache` as "send it all", and fetch() adds that header to
// every request that carries If-None-Match (the Fetch standard's cache mode), so no fetch client
// ever got a 304. RFC 9110 13.1.2: an origin server that finds a matching If-None-Match on a GET
// or HEAD responds 304; no-cache asks caches to revalidate with the origin, which this is.
import type { Request, Response } from "express";

const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/** Whether the request's If-None-Match matches the response's ETag (weak comparison). */
export function notModified(req: Request, res: Response): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (!((res.statusCode >= 200 && res.statusCode < 300) || res.statusCode === 304)) return false;
  const condition = req.headers["if-none-match"];
  const etag = res.getHeader("ETag");
  if (!condition || typeof etag !== "string") return false;
  if (condition.trim() === "*") return true;
  const current = opaque(etag);
  return condition.split(",").some((tag) => opaque(tag) === current);
}

/** Makes req.fresh (read by res.send to answer 304) this API's own check. */
export function conditionalGet(req: Request, res: Response): void {
  Object.defineProperty(req, "fresh", { configurable: true, get: () => notModified(req, res) });
}
