// Jest transform: TypeScript to CommonJS with esbuild (types are checked by `npm run typecheck`).
// Dynamic import() becomes require(): jest's VM cannot run native dynamic imports.
const { transformSync } = require("esbuild");
const { createHash } = require("node:crypto");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      platform: "node",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
      supported: { "dynamic-import": false },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(source).update(filename).update("esbuild-1").digest("hex");
  },
};
