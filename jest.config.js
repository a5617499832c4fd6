// One Jest run over every package. TypeScript is compiled by SWC (fast, no type-check: `pnpm
// typecheck` does that), and workspace packages resolve to their sources via "@cart/source".
// Dependencies published as ES modules only are compiled to CommonJS by SWC too: Node runs them
// from our CommonJS (require(esm), Node 22.12+), but Jest's own module loader does not.
// pg-boss brings four more of its own.
const ESM_ONLY = ["commander", "cookie", "pg-boss", "serialize-error", "non-error", "rrule-temporal", "temporal-spec"];
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/{packages,apps,tools}/*/test/**/*.test.ts", "<rootDir>/test/**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
    "/node_modules/.+\\.m?js$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "ecmascript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  // pnpm's layout: node_modules/.pnpm/<name>@<version>/node_modules/<name>/…
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${ESM_ONLY.join("|")})/)`],
  testEnvironmentOptions: { customExportConditions: ["@cart/source", "node", "node-addons"] },
  globalSetup: "<rootDir>/test/global-setup.ts",
  reporters: ["default", "<rootDir>/test/skipped-reporter.js", "<rootDir>/test/running-tests-reporter.js"],
  // Tests that need the machine to themselves run last (see test/alone.js).
  testSequencer: "<rootDir>/test/alone-last-sequencer.js",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  // Suites start real processes (Redis, app instances): give them room on a 2-core machine.
  testTimeout: 30000,
  maxWorkers: 2,
};
