import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import rootConfig from "./vitest.config.ts";

/**
 * The tests `npm run test:mutation` (stryker.config.mjs) runs against each mutant: the root config's
 * `node` project, narrowed to the test files that exercise the mutated files. Stryker's vitest runner
 * cannot pick a project by name, and running every Node test (child processes, packed tarballs) for
 * each of the run's thousands of mutants would take hours.
 */
const MUTATION_TEST_FILES = [
  "packages/core/src/gare/*.test.ts",
  "packages/core/src/scopes/*.test.ts",
  "packages/core/src/storage/*.test.ts",
  "packages/core/src/authorizers/*.test.ts",
  "packages/core/src/login/*.test.ts",
  "packages/node/src/json-token-storage.test.ts",
  "packages/node/src/json-token-storage-read-errors.test.ts",
  "packages/node/src/token-storage-files.fuzz.test.ts",
  "packages/node/src/logout-unreadable-storage.test.ts",
];

const nodeProject = rootConfig.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === "object" && "test" in project && project.test?.name === "node",
);
if (!nodeProject) throw new Error("vitest.config.ts has no project named 'node'");

export default defineConfig({
  ...rootConfig,
  test: { projects: [{ ...nodeProject, test: { ...nodeProject.test, include: MUTATION_TEST_FILES } }] },
});
