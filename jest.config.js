// Three projects: unit (pure), integration (real Postgres through HTTP), e2e (Chromium).
/** @type {import('jest').Config} */
const common = {
  transform: { "^.+\\.ts$": "<rootDir>/tests/support/transform.cjs" },
  testEnvironment: "node",
  moduleFileExtensions: ["ts", "js", "json"],
};
module.exports = {
  testTimeout: 30_000,
  // A library timer left armed (the rate-limit store, the schema engine) must not keep CI waiting
  // after every test has finished.
  forceExit: true,
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
    },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
    },
  ],
};
