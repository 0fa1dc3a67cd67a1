import { spawnSync } from "node:child_process";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * Builds packages/node (`tsc -b`), so tests can run real child processes on its dist/ (Node 20
 * cannot import TypeScript). Throws with tsc's output when the build fails.
 */
export function buildNodePackage(): void {
  const build = spawnSync(
    process.execPath,
    [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-b", "packages/node"],
    { cwd: repoRoot, encoding: "utf8" },
  );
  if (build.status !== 0) throw new Error(`tsc -b packages/node failed:\n${build.stdout}${build.stderr}`);
}
