// The house rules of DESIGN.md, checked by `npm run lint` (depcruise src). Each rule has a
// planted violation in tests/unit/boundaries.test.ts that must make it fail.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Modules form a graph without cycles (type-only imports do not count).",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] }, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "modules-meet-through-index",
      severity: "error",
      comment: "Another module is reached only through its index.ts, never a file or subfolder inside it.",
      from: { path: "^src/modules/([^/]+)/" },
      to: { path: "^src/modules/[^/]+/.+", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "only-modules-reach-inside-modules",
      severity: "error",
      comment: "Outside src/modules (web, cli, app), modules are reached through their index.ts.",
      from: { path: "^src/(?!modules/)" },
      to: { path: "^src/modules/[^/]+/.+", pathNot: ["^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "routes-call-services",
      severity: "error",
      comment: "Routes parse input, call a use case and render: no Prisma, no database, no repositories.",
      from: { path: "\\.routes\\.ts$" },
      to: { path: ["^src/db/", "^src/generated/", "\\.repo\\.ts$", "@prisma/", "node_modules/pg/"] },
    },
    {
      name: "services-know-no-http",
      severity: "error",
      comment: "Use cases take plain options objects; Express (and its types) stays in routes and web/.",
      from: { path: ["\\.(service|policy|repo)\\.ts$", "/use-cases/"] },
      to: { path: ["node_modules/express/", "node_modules/@types/express", "^src/web/"] },
    },
    {
      name: "presenters-are-pure",
      severity: "error",
      comment: "Presenters turn rows into view models: no Prisma, no database, no repositories.",
      from: { path: "\\.presenter\\.ts$" },
      to: { path: ["^src/db/", "^src/generated/", "\\.repo\\.ts$", "@prisma/", "node_modules/pg/"] },
    },
    {
      name: "presenters-run-no-use-cases",
      severity: "error",
      comment: "A presenter may name a use case's result type, never call one.",
      from: { path: "\\.presenter\\.ts$" },
      to: { path: "\\.service\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "one-database-entry",
      severity: "error",
      comment: "Only src/db constructs clients and pools; others get them injected.",
      from: { path: "^src/", pathNot: ["^src/db/", "^src/generated/"] },
      to: {
        path: ["node_modules/@prisma/adapter-pg/", "^src/generated/prisma/client\\.ts$"],
        dependencyTypesNot: ["type-only"],
      },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^src/generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
