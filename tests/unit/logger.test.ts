import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import request from "supertest";
import { httpLogger } from "../../src/web/logger";

function appWithLog(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(httpLogger(pino({ level }, stream)));
  app.get("/ok", (_req, res) => void res.send("ok"));
  app.get("/missing", (_req, res) => void res.status(404).send("no"));
  app.get("/healthz", (_req, res) => void res.send("up"));
  app.get("/boom", (req, res) => {
    req.log.error({ reqId: req.id }, "boom");
    res.status(500).send("failed");
  });
  return { app, lines };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("request log", () => {
  it("writes one line per request with its id, method, URL, status and time, at a level by status", async () => {
    const { app, lines } = appWithLog("info");
    const ok = await request(app).get("/ok?x=1");
    await request(app).get("/missing");
    await request(app).get("/boom");
    await request(app).get("/healthz");
    await settle();
    const done = lines.filter((l) => l.msg === "request completed");
    expect(done).toHaveLength(3);
    expect(done[0]).toMatchObject({
      level: 30,
      req: { id: ok.headers["x-request-id"], method: "GET", url: "/ok?x=1" },
      res: { statusCode: 200 },
    });
    expect(typeof done[0]!.responseTime).toBe("number");
    expect(done[1]).toMatchObject({ level: 40, res: { statusCode: 404 } });
    expect(done[2]).toMatchObject({ level: 50, res: { statusCode: 500 } });
    expect(lines.find((l) => l.msg === "boom")).toMatchObject({ level: 50 });
  });

  it("writes nothing below its level", async () => {
    const { app, lines } = appWithLog("warn");
    await request(app).get("/ok");
    await request(app).get("/missing");
    await settle();
    expect(lines.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([404]);
  });
});
