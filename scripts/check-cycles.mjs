// Fails when src/ has an import cycle (DESIGN.md: no cycles). Reads relative imports of
// every .ts file, then looks for a cycle with a depth-first search.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../src");
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "generated") continue;
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith(".ts")) files.push(full);
  }
})(root);

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+["'](\.[^"']+)["']/g;
function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return undefined;
}
const graph = new Map(
  files.map((file) => {
    const text = readFileSync(file, "utf8");
    const deps = [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1])).filter(Boolean);
    return [file, deps];
  }),
);

const state = new Map(); // 1 visiting, 2 done
const stack = [];
const cycles = [];
function visit(node) {
  state.set(node, 1);
  stack.push(node);
  for (const dep of graph.get(node) ?? []) {
    if (state.get(dep) === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
    else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(node, 2);
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((f) => path.relative(root, f)).join(" -> ")}`);
  process.exit(1);
}
console.log(`no import cycles in ${files.length} files`);
