// Whether the server stays responsive while something runs: /healthz is asked every 25 ms
// on a real socket and the event loop's delay is sampled, as an operator's monitor would.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Express } from "express";

export type Responsiveness<T> = {
  result: T;
  /** The slowest /healthz answer, in ms (a probe still waiting at the end counts its wait). */
  slowestHealthMs: number;
  probes: number;
  /** The longest the event loop was held, in ms. */
  maxLoopDelayMs: number;
  elapsedMs: number;
};

function getHealth(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

/** Runs `work` (given the port of a server of the app, for requests from outside supertest) while probing. */
export async function whileProbing<T>(app: Express, work: (port: number) => Promise<T>): Promise<Responsiveness<T>> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const pending = new Set<number>();
  let slowest = 0;
  let probes = 0;
  const timer = setInterval(() => {
    const sentAt = performance.now();
    pending.add(sentAt);
    probes += 1;
    void getHealth(port)
      .then((status) => {
        if (status !== 200) slowest = Infinity;
      })
      .catch(() => (slowest = Infinity))
      .finally(() => {
        pending.delete(sentAt);
        slowest = Math.max(slowest, performance.now() - sentAt);
      });
  }, 25);
  delay.enable();
  const started = performance.now();
  try {
    const result = await work(port);
    const elapsedMs = performance.now() - started;
    const now = performance.now();
    for (const sentAt of pending) slowest = Math.max(slowest, now - sentAt);
    return { result, slowestHealthMs: slowest, probes, maxLoopDelayMs: delay.max / 1e6, elapsedMs };
  } finally {
    delay.disable();
    clearInterval(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Signs in over a real socket, as a browser does; returns the session cookie and the upload form's token. */
export async function uploadSession(port: number, email: string, password: string) {
  const base = `http://127.0.0.1:${port}`;
  const cookieOf = (res: Response, fallback?: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith("stackprep="))
      ?.split(";")[0] ?? fallback!;
  const tokenOf = async (res: Response) => /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  const page = await fetch(`${base}/login`);
  let cookie = cookieOf(page);
  const signIn = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: await tokenOf(page), email, password }).toString(),
  });
  cookie = cookieOf(signIn, cookie);
  const form = await fetch(`${base}/teach/banks/imports/new`, { headers: { cookie } });
  return { cookie, csrf: await tokenOf(form) };
}

/**
 * A multipart upload made ready before it is sent, so that building it does not count
 * against the server: the client runs in this process too.
 */
export function multipartUpload(fields: Record<string, string>, file: { name: string; data: Buffer }) {
  const boundary = `----stackprep${Date.now()}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `${parts.join("")}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export function post(
  port: number,
  path: string,
  options: { cookie: string; body: Buffer; contentType: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent: false,
        headers: {
          cookie: options.cookie,
          "content-type": options.contentType,
          "content-length": options.body.byteLength,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
