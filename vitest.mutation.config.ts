import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import rootConfig from "./vitest.config.ts";

/**
 * The tests `npm run test:mutation` (stryker.config.mjs) runs against each mutant: the root config's
 * `node` project, narrowed to the test files that exercise the mutated files. Stryker's vitest runner
 * cannot pick a project by name, and running every Node test (child processes, packed tarballs) for
 * each of the run's thousand mutants would take hours.
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

// Stryker copies the repository into a sandbox but links node_modules, whose workspace links lead
// back to the original packages: `@globus-app/core` imported by a Node test would skip the mutants.
// These aliases send each workspace entry point to the copy next to this file (in a plain checkout,
// the same files the links reach).
const root = path.dirname(fileURLToPath(import.meta.url));
const workspaceAliases = ["core", "node"].flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(path.join(root, "packages", dir, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const source = typeof target === "object" ? target["@globus-app/source"] : undefined;
    if (source === undefined) return [];
    const specifier = path.posix.join(manifest.name, subpath).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return [{ find: new RegExp(`^${specifier}$`), replacement: path.join(root, "packages", dir, source) }];
  });
});

export default defineConfig({
  ...rootConfig,
  resolve: { ...rootConfig.resolve, alias: workspaceAliases },
  test: { projects: [{ ...nodeProject, test: { ...nodeProject.test, include: MUTATION_TEST_FILES } }] },
});
