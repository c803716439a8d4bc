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

export async function whileProbing<T>(app: Express, work: () => Promise<T>): Promise<Responsiveness<T>> {
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
    const result = await work();
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
