#!/usr/bin/env node
// Packaging checks of every published package: publint (strict) and Are The Types Wrong (ESM-only
// profile, since the packages are ESM only). Exits non-zero when any check fails.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const packages = ["core", "browser", "node", "services", "react", "emulator", "globus-app"];
let failed = 0;
for (const name of packages) {
  const dir = path.join(root, "packages", name);
  for (const [tool, args] of [
    ["publint", ["--strict", dir]],
    ["attw", ["--pack", dir, "--profile", "esm-only", "--format", "table-flipped"]],
  ]) {
    const result = spawnSync(bin(tool), args, { encoding: "utf8" });
    const ok = result.status === 0;
    if (!ok) {
      failed++;
      process.stdout.write(`${result.stdout}${result.stderr}`);
    }
    console.log(`${ok ? "ok  " : "FAIL"} ${tool} ${name}`);
  }
}
console.log(`packaging: ${packages.length * 2 - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
