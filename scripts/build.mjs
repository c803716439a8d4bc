// Compiles src/ to dist/ with esbuild, file by file (type checking is `npm run typecheck`).
// Skips files whose output is newer than the source, so `npm start` only rebuilds what changed.
import { transform } from "esbuild";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const srcDir = path.join(root, "src");
const outDir = path.join(root, "dist");

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield full;
  }
}

const mtime = (file) =>
  stat(file).then(
    (s) => s.mtimeMs,
    () => 0,
  );
let built = 0;
const jobs = [];
for await (const file of walk(srcDir)) {
  const out = path.join(outDir, path.relative(srcDir, file)).replace(/\.ts$/, ".js");
  jobs.push(
    (async () => {
      if ((await mtime(out)) > (await mtime(file))) return;
      const { code } = await transform(await readFile(file, "utf8"), {
        loader: "ts",
        format: "cjs",
        platform: "node",
        target: "node20",
        sourcemap: "inline",
        sourcefile: file,
      });
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, code);
      built += 1;
    })(),
  );
}
await Promise.all(jobs);
if (built > 0) console.error(`built ${built} file(s) into dist/`);
