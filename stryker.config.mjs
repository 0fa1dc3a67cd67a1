// Mutation testing (`npm run test:mutation`, not part of `npm test`: it takes minutes). Stryker
// changes the code of the files below one small edit at a time (a "mutant") and runs the tests that
// cover it; a mutant no test notices ("survived") is behaviour no test holds. Each file must kill
// 90 % of its mutants: `thresholds.break` applies to the whole run only, so
// scripts/check-mutation-scores.mjs then checks every file in the JSON report.
// A mutant that cannot change behaviour is disabled in the source, with the reason:
// `// Stryker disable next-line <mutator>: <why>`.

export default {
  mutate: [
    "packages/core/src/gare/to-gare.ts",
    "packages/core/src/scopes/scope-graph.ts",
    "packages/core/src/scopes/parse-scope-text.ts",
    "packages/core/src/scopes/scope.ts",
    "packages/core/src/authorizers/renewing-authorizer.ts",
    "packages/core/src/storage/token-storage-data.ts",
    "packages/core/src/storage/token-data-validators.ts",
    "packages/core/src/login/parse-login-callback.ts",
    "packages/core/src/login/login-callback-state.ts",
    "packages/node/src/json-token-storage.ts",
    "packages/node/src/json-token-file.ts",
    "packages/node/src/remove-stale-temp-files.ts",
  ],
  testRunner: "vitest",
  // The root config's node project, narrowed to the tests of these files (see that file).
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  coverageAnalysis: "perTest",
  // Mutants that do not compile are discarded before any test runs. packages/node's project
  // references packages/core's, so one build checks both.
  checkers: ["typescript"],
  tsconfigFile: "packages/node/tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Two cores on CI and developers' machines alike.
  concurrency: 2,
  // The sandbox needs the packages and the root configs only.
  ignorePatterns: ["bench", "docs", "packs", "test-results", "**/dist", "coverage", "reports"],
  reporters: ["clear-text", "json", "progress"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
