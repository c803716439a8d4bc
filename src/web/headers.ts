import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Security headers (helmet's). The CSP allows no inline script or style: everything is served
 * from files. None of them depends on the request (no nonces), so helmet runs once, here, and
 * every response gets the headers it set: the same headers, without rebuilding them per request.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const headers = headersSetBy(helmetFor(options));
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** The headers a middleware sets on a response, run once against a stand-in response. */
function headersSetBy(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): [string, string][] {
  const headers: [string, string][] = [];
  let done = false;
  const res = {
    setHeader: (name: string, value: string | number | string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (error) => {
    if (error) throw error as Error;
    done = true;
  });
  if (!done || headers.length === 0) throw new Error("helmet did not set its headers synchronously");
  return headers;
}

function helmetFor(options: { https: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(options.https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
  });
}

/**
 * Every response to a signed-in browser is personal: its pages, its JSON, exports that carry
 * a bank's keys. No shared cache may keep one and no browser may store one (the back button
 * after sign-out on a shared computer, a disk cache read later). A signed-in browser always
 * sends the session cookie, so its presence decides, here, once, before any route runs
 * (autosave included): no route has to remember it. A stale cookie costs only caching of a
 * sign-in page.
 */
export function privateResponses(options: { cookieName: string }): RequestHandler {
  const marker = `${options.cookieName}=`;
  return (req, res, next) => {
    if (req.headers.cookie?.includes(marker)) res.setHeader("Cache-Control", "private, no-store");
    next();
  };
}
