// Type-checked linting, configuration read only in config.ts, and raw SQL only in
// repositories. Import boundaries and cycles: .dependency-cruiser.cjs (`npm run lint` runs both).
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
      ".dependency-cruiser.cjs",
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
    // SQL belongs to the repository of the module that owns the table (DESIGN.md).
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.repo.ts", "src/db/**", "src/generated/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through src/config.ts.",
        },
        {
          selector: "MemberExpression[property.name=/^[$](queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/]",
          message: "Raw SQL lives in the owning module's *.repo.ts.",
        },
        {
          selector: "TaggedTemplateExpression[tag.object.name='Prisma'][tag.property.name='sql']",
          message: "Raw SQL lives in the owning module's *.repo.ts.",
        },
        {
          selector: "MemberExpression[property.name=/^(queryPrepared|query)$/][object.name=/^(pool|client|pg)$/]",
          message: "Raw SQL lives in the owning module's *.repo.ts.",
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
