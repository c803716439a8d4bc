// Chromium from Debian, driven by playwright-core, against the real app on a real port.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chromium, type Browser } from "playwright-core";
import { createTestApp, type TestApp } from "./app";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export type E2E = { t: TestApp; browser: Browser; baseUrl: string; close(): Promise<void> };

export async function startE2E(options: Parameters<typeof createTestApp>[0] = {}): Promise<E2E> {
  const t = await createTestApp(options);
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    t,
    browser,
    baseUrl,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
