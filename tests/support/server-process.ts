// The real server as an operator runs it: `node dist/main.js` in its own process, on a free
// loopback port, driven over plain HTTP (no supertest: the connections, resets and the exit
// code are what these tests look at). Also used by the fault benchmarks in bench/.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number };

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  output(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<Exit>;
};

/**
 * Builds dist/ (only what changed). Once per run, before the processes start: jest's global
 * setup for the tests, each benchmark itself (two builds at once would rewrite files that a
 * starting server is reading).
 */
export function buildServer(): void {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "ignore" });
}

const live = new Set<ServerProcess>();

/** Stops servers a failed test left running (SIGTERM, then SIGKILL after 15 s). */
export async function stopServers(): Promise<void> {
  await Promise.all(
    [...live].map(async (server) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill("SIGTERM");
      const late = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), 15_000).unref());
      if ((await Promise.race([server.exited, late])) === "late") server.child.kill("SIGKILL");
    }),
  );
  live.clear();
}

/**
 * Starts `node dist/main.js` (see buildServer); resolves once it listens, or at once with
 * `listening: false` (port 0 then).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { listening?: boolean } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/main.js")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      SESSION_SECRET: "s".repeat(48),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => {
      resolve({ code, signal, at: Date.now() });
      for (const check of waiters) check();
    }),
  );
  const waitFor = (pattern: RegExp, ms = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} within ${ms} ms:\n${text.slice(-3000)}`)), ms);
      const check = () => {
        const match = pattern.exec(text);
        if (match) done(undefined, match);
        else if (child.exitCode !== null || child.signalCode !== null)
          done(new Error(`the server exited before ${pattern}:\n${text.slice(-3000)}`));
      };
      const done = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      waiters.add(check);
      check();
    });
  const server: ServerProcess = { child, port: 0, output: () => text, waitFor, exited };
  live.add(server);
  void exited.then(() => live.delete(server));
  if (options.listening === false) return server;
  server.port = Number((await waitFor(/Stackprep is serving http:\/\/[^:]+:(\d+)/, 60_000))[1]);
  return server;
}

/** Sends SIGTERM; resolves with the exit and how long it took. */
export async function terminate(server: ServerProcess): Promise<Exit & { ms: number }> {
  const sent = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.exited;
  return { ...exit, ms: exit.at - sent };
}

/** Processes whose command line names `dataDir` (a postgres server and its workers). */
export function postgresProcessesOf(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline.some((arg) => arg === dataDir) && cmdline[0]!.endsWith("postgres")) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export type Reply = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** A browser-like client of one server: keeps the session cookie, reads CSRF tokens. */
export class Client {
  constructor(
    /** Changes when the server is started again on another port (same browser). */
    public port: number,
    private agent: http.Agent | false = false,
    private cookies = new Map<string, string>(),
  ) {}

  /** The same signed-in browser, sending through `agent` (kept-alive connections). */
  through(agent: http.Agent): Client {
    return new Client(this.port, agent, this.cookies);
  }

  request(
    method: string,
    path: string,
    options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    return this.send(method, path, options).reply;
  }

  /** A request whose `sent` resolves once it is all written to the connection. */
  send(
    method: string,
    path: string,
    options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): { sent: Promise<void>; reply: Promise<Reply> } {
    const body = options.form
      ? new URLSearchParams(options.form).toString()
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : undefined;
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (options.form) headers["content-type"] = "application/x-www-form-urlencoded";
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      headers.accept = "application/json";
    }
    let sent!: Promise<void>;
    const reply = new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            for (const cookie of res.headers["set-cookie"] ?? []) {
              const [pair] = cookie.split(";");
              const at = pair!.indexOf("=");
              this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
            }
            resolve({ status: res.statusCode!, headers: res.headers, text });
          });
          res.on("error", reject);
        },
      );
      sent = new Promise<void>((resolveSent, rejectSent) => {
        req.once("finish", () => resolveSent());
        req.once("error", rejectSent);
      });
      sent.catch(() => undefined); // the reply reports the same error
      req.on("error", reject);
      req.end(body);
    });
    return { sent, reply };
  }

  /** The CSRF token of a page's form. */
  async token(path: string): Promise<string> {
    const page = await this.request("GET", path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return match[1]!;
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.request("POST", "/login", { form: { _csrf: await this.token("/login"), email, password } });
    if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  }

  /** Starts (or resumes) an attempt of `examSlug`; its id and the page's CSRF token. */
  async startAttempt(
    examSlug: string,
    fields: Record<string, string> = {},
  ): Promise<{ attemptId: string; token: string }> {
    const res = await this.request("POST", `/exams/${examSlug}/attempts`, {
      form: { _csrf: await this.token("/exams"), ...fields },
    });
    const id = /\/attempts\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
    if (res.status !== 303 || !id) throw new Error(`starting an attempt failed with ${res.status}`);
    return { attemptId: id, token: await this.token(`/attempts/${id}`) };
  }
}
