// Type-checked linting plus the boundaries of DESIGN.md: routes never touch Prisma and
// modules meet only through each other's index.ts. Import cycles: scripts/check-cycles.mjs.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "src/generated/",
      "coverage/",
      ".data/",
      "public/",
      "eslint.config.mjs",
      "jest.config.js",
      "scripts/*.mjs",
      "tests/support/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through src/config.ts.",
        },
      ],
    },
  },
  {
    files: ["src/modules/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!index$)[^/.]+/(?!index$)",
              message: "Import another module only through its index.ts.",
            },
            {
              regex: "^\\.\\./\\.\\./modules/",
              message: "Import another module through a relative path to its index.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.routes.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@prisma/client", message: "Routes call services; no Prisma here." }],
          patterns: [
            { regex: "generated/prisma", message: "Routes call services; no Prisma here." },
            { regex: "(^|/)db(/|$)", message: "Routes call services; no database here." },
            { regex: "\\.repo$", message: "Routes call services, not repositories." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/config.ts", "tests/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "prisma.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["tests/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
);
