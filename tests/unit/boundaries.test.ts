// The house rules are checked by `npm run lint`; this plants one violation of each rule in
// throwaway modules inside src/ and shows that the same tools, with the same configuration,
// fail on every one of them (and stay quiet on a clean module planted beside them).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const modules = path.join(root, "src/modules");
const tag = `zz-planted-${process.pid}`;
const a = `${tag}-a`;
const b = `${tag}-b`;

/** Files planted under src/modules, by path relative to src/modules. */
const planted: Record<string, string> = {
  // a small module that follows the rules: an index, a subfolder, a repository
  [`${a}/index.ts`]: `export { gift } from "./formats/gift";\nexport { rows } from "./${a}.repo";\n`,
  [`${a}/formats/gift.ts`]: `export const gift = (text: string): string => text.trim();\n`,
  [`${a}/${a}.repo.ts`]: [
    `import type { Db } from "../../db";`,
    `export const rows = (prisma: Db) => prisma.$queryRaw<{ n: number }[]>\`SELECT 1 AS n\`;`,
    ``,
  ].join("\n"),
  [`${a}/clean.service.ts`]: [
    `import type { Db } from "../../db";`,
    `import { rows } from "./${a}.repo";`,
    `export const count = async (prisma: Db) => (await rows(prisma)).length;`,
    ``,
  ].join("\n"),
  // one violation per file
  [`${b}/express.service.ts`]: `import express from "express";\nexport const app = () => express();\n`,
  [`${b}/use-cases/express-types.ts`]: [
    `import type { Request } from "express";`,
    `export const ip = (req: Request) => req.ip;`,
    ``,
  ].join("\n"),
  [`${b}/web.policy.ts`]: `import { route } from "../../web/pipeline";\nexport const r = route;\n`,
  [`${b}/db.presenter.ts`]: `import { createPool } from "../../db";\nexport const present = () => createPool;\n`,
  [`${b}/prisma.presenter.ts`]: `import { Prisma } from "@prisma/client";\nexport const present = () => Prisma;\n`,
  [`${b}/calls.presenter.ts`]: `import { count } from "../${a}/clean.service";\nexport const present = () => count;\n`,
  [`${b}/subfolder.ts`]: `import { gift } from "../${a}/formats/gift";\nexport const parse = gift;\n`,
  [`${b}/repo.routes.ts`]: `import { rows } from "../${a}/${a}.repo";\nexport const handler = rows;\n`,
  [`${b}/cycle-one.ts`]: `import { two } from "./cycle-two";\nexport const one = (): number => two() + 1;\n`,
  [`${b}/cycle-two.ts`]: `import { one } from "./cycle-one";\nexport const two = (): number => (Math.random() > 2 ? one() : 0);\n`,
  [`${b}/raw-sql.service.ts`]: [
    `import type { Db } from "../../db";`,
    `export const users = (prisma: Db) => prisma.$queryRaw\`SELECT * FROM users\`;`,
    ``,
  ].join("\n"),
  [`${b}/pool-sql.service.ts`]: [
    `import type { Pool } from "pg";`,
    `export const users = (pool: Pool) => pool.query("SELECT * FROM users");`,
    ``,
  ].join("\n"),
  [`${b}/env.service.ts`]: `export const port = () => process.env.PORT;\n`,
};

type Violation = { rule: string; from: string };

function cruise(): Violation[] {
  const bin = path.join(root, "node_modules/.bin/depcruise");
  const out = spawnSync(
    bin,
    [`src/modules/${a}`, `src/modules/${b}`, "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
    { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(out.stdout) as {
    summary: { violations: { rule: { name: string }; from: string }[] };
  };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from.replace(/^src\/modules\//, "") }));
}

/** Messages of the no-restricted-syntax rule (raw SQL, configuration), by planted file. */
function eslint(): Map<string, string[]> {
  const bin = path.join(root, "node_modules/.bin/eslint");
  const out = spawnSync(bin, ["--format", "json", `src/modules/${a}`, `src/modules/${b}`], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = JSON.parse(out.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[];
  return new Map(
    results.map((r) => [
      path.relative(modules, r.filePath),
      r.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message),
    ]),
  );
}

const removePlanted = () => {
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(tag)) rmSync(path.join(modules, entry), { recursive: true, force: true });
  }
};

let violations: Violation[] = [];
let lint: Map<string, string[]>;

beforeAll(() => {
  removePlanted();
  for (const [file, text] of Object.entries(planted)) {
    mkdirSync(path.dirname(path.join(modules, file)), { recursive: true });
    writeFileSync(path.join(modules, file), text);
  }
  violations = cruise();
  lint = eslint();
}, 180_000);

afterAll(removePlanted);

const rulesFor = (file: string) => violations.filter((v) => v.from === file).map((v) => v.rule);

describe("dependency-cruiser catches each planted violation", () => {
  test.each([
    ["Express imported in a service", `${b}/express.service.ts`, "services-know-no-http"],
    ["Express types in a use case", `${b}/use-cases/express-types.ts`, "services-know-no-http"],
    ["web/ imported in a policy", `${b}/web.policy.ts`, "services-know-no-http"],
    ["db/ imported in a presenter", `${b}/db.presenter.ts`, "presenters-are-pure"],
    ["Prisma imported in a presenter", `${b}/prisma.presenter.ts`, "presenters-are-pure"],
    ["a presenter calling a use case", `${b}/calls.presenter.ts`, "presenters-run-no-use-cases"],
    ["an import into another module's subfolder", `${b}/subfolder.ts`, "modules-meet-through-index"],
    ["a route importing a repository", `${b}/repo.routes.ts`, "routes-call-services"],
    ["a cycle", `${b}/cycle-one.ts`, "no-cycles"],
  ])("%s", (_what, file, rule) => {
    expect(rulesFor(file)).toContain(rule);
  });

  test("the module that follows the rules passes", () => {
    expect(violations.filter((v) => v.from.startsWith(`${a}/`))).toEqual([]);
  });
});

describe("eslint catches raw SQL and configuration outside their places", () => {
  test.each([
    ["$queryRaw in a service", `${b}/raw-sql.service.ts`, "Raw SQL lives in the owning module's *.repo.ts."],
    ["pool.query in a service", `${b}/pool-sql.service.ts`, "Raw SQL lives in the owning module's *.repo.ts."],
    ["process.env outside config.ts", `${b}/env.service.ts`, "Read configuration through src/config.ts."],
  ])("%s", (_what, file, message) => {
    expect(lint.get(file)).toContain(message);
  });

  test("raw SQL in a repository and a service that calls it pass", () => {
    expect(lint.get(`${a}/${a}.repo.ts`)).toEqual([]);
    expect(lint.get(`${a}/clean.service.ts`)).toEqual([]);
  });
});
