// How to start one of this folder's worker threads, compiled or not.
import path from "node:path";

/**
 * The compiled `<name>.js` beside this file in dist/; or, when this file runs as TypeScript
 * (tsx, jest), `<name>.ts` through tsx's require hook, registered in the worker unless the
 * parent's hooks came along (tsx passes them on through execArgv; jest's test processes
 * have none).
 */
export function workerSource(name: string): { code: string; eval: boolean } {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `${name}${extension}`);
  if (extension !== ".ts") return { code: entry, eval: false };
  const tsx = require.resolve("tsx/cjs/api");
  return {
    code: `if (!require.extensions[".ts"]) require(${JSON.stringify(tsx)}).register();
           require(${JSON.stringify(entry)});`,
    eval: true,
  };
}
