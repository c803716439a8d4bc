// SIGTERM as an operator (or an orchestrator) sends it: the real server process, the embedded
// PostgreSQL of a fresh data folder, requests in flight. Every request already sent gets its
// answer, background work is cancelled without a trace, and the process and its PostgreSQL
// are gone, exit code 0, within 10 s.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  Client,
  postgresProcessesOf,
  spawnServer,
  stopServers,
  terminate,
  type Reply,
} from "../support/server-process";

jest.setTimeout(120_000);

let scratch: string;
let dataDir: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "stackprep-shutdown-"));
  chmodSync(scratch, 0o755); // the postgres user must reach it when the tests run as root
  dataDir = path.join(scratch, "pg");
});
afterEach(() => stopServers());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The tests share one data folder and run in order: the second start checks that the first
// one's cancelled bank load left nothing behind, and signs in with the demo learner it made.
const embeddedEnv = () => ({ EMBEDDED_PG_DIR: dataDir });
let demoPassword = "";

describe("SIGTERM", () => {
  it("during the first start's bank load cancels it: nothing written, no failed import, exit 0", async () => {
    const server = await spawnServer(embeddedEnv());
    demoPassword = /with the password (\S+)/.exec(server.output())![1]!;
    const exit = await terminate(server);
    const log = server.output();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    expect(log).toContain("loading the shipped question banks was cancelled by the shutdown");
    expect(log).not.toMatch(/banks failed|did not load|background work failed/);
    expect(log).not.toContain("loaded the shipped question banks in");
    expect(postgresProcessesOf(dataDir)).toEqual([]);
  });

  it("answers every request already sent (autosaves among them), then exits 0 with its PostgreSQL", async () => {
    if (!demoPassword) throw new Error("run the whole file: this test continues the first one's data folder");
    const server = await spawnServer(embeddedEnv());
    // The cancelled load of the first start wrote nothing: this start finds no question and loads them all.
    await server.waitFor(/loaded the shipped question banks in \d+ ms: 15 banks/, 60_000);
    const learner = new Client(server.port);
    await learner.login("demo@stackprep.local", demoPassword);
    const { attemptId, token } = await learner.startAttempt("backend-mock-exam", { stack: "languages/node" });

    // 50 requests: autosaves, pages and health checks, some on kept-alive connections.
    const keptAlive = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const onKeptAlive = learner.through(keptAlive);
    await Promise.all(Array.from({ length: 5 }, () => onKeptAlive.request("GET", "/healthz")));
    // A kept-alive connection left idle after one answer: the drain closes it, long before
    // Node's own idle timeout (5 s) would.
    const idle = net.connect(server.port, "127.0.0.1");
    idle.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    await once(idle, "data");
    const idleSince = Date.now();
    const idleClosed = once(idle, "close").then(() => Date.now());
    const sends: { sent: Promise<void>; reply: Promise<Reply> }[] = [];
    let position = 0;
    for (let i = 0; i < 50; i += 1) {
      const client = i % 3 === 0 ? onKeptAlive : learner;
      if (i % 5 < 2)
        sends.push(
          client.send("POST", `/attempts/${attemptId}/answers`, {
            json: { position: (position += 1), seq: 1000 + i, flagged: i % 2 === 0, response: null },
            headers: { "x-csrf-token": token },
          }),
        );
      else if (i % 5 === 2) sends.push(client.send("GET", `/attempts/${attemptId}`));
      else if (i % 5 === 3) sends.push(client.send("GET", "/progress"));
      else sends.push(client.send("GET", "/healthz"));
    }
    // In flight: all written to their connections, none answered yet (or a few).
    await Promise.all(sends.map((s) => s.sent));
    const exiting = terminate(server);
    const replies = await Promise.allSettled(sends.map((s) => s.reply));
    const exit = await exiting;
    keptAlive.destroy();

    const failed = replies.filter((r) => r.status === "rejected").map((r) => String(r.reason));
    expect(failed).toEqual([]);
    const statuses = replies.map((r) => (r as PromiseFulfilledResult<Reply>).value.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const saves = replies.filter((_, i) => i % 5 < 2).map((r) => (r as PromiseFulfilledResult<Reply>).value);
    expect(saves.every((s) => s.status === 200 && JSON.parse(s.text).saved === true)).toBe(true);
    // Connections are not kept for more requests once the shutdown has begun: on kept-alive
    // connections (the others ask for close themselves) the answers after the signal say so.
    const keptAliveAnswers = replies
      .filter((_, i) => i % 3 === 0)
      .map((r) => (r as PromiseFulfilledResult<Reply>).value.headers.connection);
    expect(keptAliveAnswers).toContain("close");
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    expect(postgresProcessesOf(dataDir)).toEqual([]);
    expect((await idleClosed) - idleSince).toBeLessThan(4_000);
    expect(server.output()).not.toContain("still busy");
    expect(server.output()).toContain("SIGTERM received: shutting down");
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("while starting (the embedded PostgreSQL just created) stops it in order: exit 0, none left", async () => {
    const fresh = path.join(scratch, "starting");
    const server = await spawnServer({ EMBEDDED_PG_DIR: fresh }, { listening: false });
    await server.waitFor(/creating the embedded database/);
    const exit = await terminate(server);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    expect(server.output()).toContain("SIGTERM received while starting");
    expect(server.output()).not.toContain("Stackprep is serving");
    expect(postgresProcessesOf(fresh)).toEqual([]);
  });
});
