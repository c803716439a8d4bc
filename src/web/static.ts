import path from "node:path";
import express, { type Router } from "express";

/** Static files: our own public/ plus the two vendor stylesheets, served from files (CSP). */
export function staticFiles(rootDir: string): Router {
  const router = express.Router();
  const options = { maxAge: "1h", index: false as const };
  router.use("/static", express.static(path.join(rootDir, "public"), options));
  router.get("/static/vendor/pico.min.css", (_req, res) => {
    res.sendFile(path.join(rootDir, "node_modules/@picocss/pico/css/pico.min.css"), { maxAge: "1d" });
  });
  router.get("/static/vendor/highlight.css", (_req, res) => {
    res.sendFile(path.join(rootDir, "node_modules/highlight.js/styles/github.min.css"), { maxAge: "1d" });
  });
  return router;
}
