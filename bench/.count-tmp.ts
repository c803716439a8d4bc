// Count SQL statements per request of an exam sitting (log_statement=all on a scratch DB).
import { spawn, execSync } from "node:child_process";
import http from "node:http";
import { readFileSync, statSync } from "node:fs";
const DB = "edcount";
const LOG = "/var/log/postgresql/postgresql-15-main.log";
const psql = (sql: string, db = "postgres") => execSync(`psql -h 127.0.0.1 -U postgres -d ${db} -qAt -c "${sql}"`).toString();
async function main() {
  if (!process.env.KEEP) {
    psql(`DROP DATABASE IF EXISTS ${DB}`); psql(`CREATE DATABASE ${DB}`);
  }
  psql(`ALTER DATABASE ${DB} SET log_statement = 'none'`);
  const url = `postgresql://postgres@127.0.0.1:5432/${DB}`;
  const app = spawn(process.execPath, ["/work/main/dist/main.js"], { env: { ...process.env, DATABASE_URL: url, PORT: "3999", HOST: "127.0.0.1", NODE_ENV: "production", SESSION_SECRET: "x".repeat(64), LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "inherit"] });
  let out = ""; app.stdout.on("data", (c) => (out += c));
  for (let i = 0; i < 600 && !/banks loaded|shipped banks/i.test(out); i++) await new Promise((r) => setTimeout(r, 500));
  console.log(out.split("\n").slice(-5).join("\n"));
  execSync(`echo "long-enough-pass-1" | npm run -s user -- create --email count@x.test --role learner || true`, { cwd: "/work/main", env: { ...process.env, DATABASE_URL: url }, stdio: "inherit" });
  let cookie = "";
  const req = (method: string, path: string, body?: string, type?: string, extra: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string; location: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...extra };
      if (cookie) headers.cookie = cookie;
      if (body) { headers["content-type"] = type!; headers["content-length"] = Buffer.byteLength(body); }
      const r = http.request({ host: "127.0.0.1", port: 3999, method, path, headers }, (res) => {
        const set = res.headers["set-cookie"]?.find((c) => c.startsWith("stackprep="));
        if (set) cookie = set.split(";")[0]!;
        let text = ""; res.on("data", (c) => (text += c)); res.on("end", () => resolve({ status: res.statusCode!, text, location: String(res.headers.location ?? "") }));
      });
      r.on("error", reject); r.end(body);
    });
  const csrf = (h: string) => /name="_csrf" value="([^"]+)"/.exec(h)?.[1] ?? "";
  psql(`ALTER DATABASE ${DB} SET log_statement = 'all'`);
  // new connections pick up the setting: restart pool by waiting? The pool keeps connections: use pg_terminate_backend.
  psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='${DB}' AND pid <> pg_backend_pid()`);
  await new Promise((r) => setTimeout(r, 500));
  const marks: [string, number][] = [];
  const mark = async (name: string) => { await new Promise((r) => setTimeout(r, 300)); marks.push([name, statSync(LOG).size]); };
  await req("GET", "/healthz").catch(() => undefined); await mark("warm");
  const lf = await req("GET", "/login"); await mark("GET /login");
  const li = await req("POST", "/login", new URLSearchParams({ _csrf: csrf(lf.text), email: "count@x.test", password: "long-enough-pass-1" }).toString(), "application/x-www-form-urlencoded");
  await mark(`POST /login ${li.status}`);
  const ex = await req("GET", "/exams"); await mark(`GET /exams ${ex.status}`);
  const slug = process.env.SLUG ?? "backend-mock";
  const st = await req("POST", `/exams/${slug}/attempts`, new URLSearchParams({ _csrf: csrf(ex.text), ...(process.env.STACK ? { stack: process.env.STACK } : {}) }).toString(), "application/x-www-form-urlencoded");
  await mark(`POST start ${st.status} ${st.location}`);
  const id = /\/attempts\/([0-9a-f-]{36})/.exec(st.location)?.[1];
  const pg1 = await req("GET", `/attempts/${id}?q=1`); await mark(`GET q=1 ${pg1.status}`);
  const pg2 = await req("GET", `/attempts/${id}?q=2`); await mark(`GET q=2 ${pg2.status}`);
  const token = csrf(pg1.text);
  const type = /name="type" value="(\w+)"/.exec(pg1.text)?.[1];
  const choice = /name="answer" value="([a-z]+)"/.exec(pg1.text)?.[1];
  const sv = await req("POST", `/attempts/${id}/answers`, JSON.stringify({ position: 1, seq: 1, flagged: false, response: { type, optionId: choice, value: true, text: "x" } }), "application/json", { "x-csrf-token": token });
  await mark(`POST save ${sv.status} ${sv.text.slice(0, 60)}`);
  const sv2 = await req("POST", `/attempts/${id}/answers`, JSON.stringify({ position: 1, seq: 2, flagged: true, response: { type, optionId: choice, value: true, text: "x" } }), "application/json", { "x-csrf-token": token });
  await mark(`POST save2 ${sv2.status}`);
  const sb = await req("POST", `/attempts/${id}/submission`, new URLSearchParams({ _csrf: token }).toString(), "application/x-www-form-urlencoded");
  await mark(`POST submit ${sb.status}`);
  psql(`ALTER DATABASE ${DB} SET log_statement = 'none'`);
  app.kill("SIGTERM");
  const log = readFileSync(LOG);
  let from = marks[0]![1];
  for (const [name, at] of marks.slice(1)) {
    const text = log.subarray(from, at).toString();
    const stmts = text.split("\n").filter((l) => /LOG:  (statement|execute)/.test(l));
    console.log(`\n== ${name}: ${stmts.length} statements`);
    if (process.env.VERBOSE) for (const s of stmts) console.log("   " + s.replace(/^.*?LOG:  /, "").slice(0, 220));
    from = at;
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
