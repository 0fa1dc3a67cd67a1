#!/usr/bin/env node
// `npm run pack [-- <folder>]`: builds and packs every publishable package into packs/ (or the given
// folder) and prints the tarball paths, one a line. `npm install ./packs/*.tgz` then installs
// globus-app with its @globus-app/* dependencies from those files alone: no registry holds them
// before the first publish, and a user can try a change without publishing.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Every package that is published, in dependency order. */
export const PUBLISHED = ["core", "browser", "node", "services", "react", "emulator", "globus-app"];

const destination = path.resolve(process.argv[2] ?? path.join(root, "packs"));
mkdirSync(destination, { recursive: true });
// Old tarballs of another version would be installed alongside by `npm install ./packs/*.tgz`.
for (const name of readdirSync(destination)) {
  if (name.endsWith(".tgz")) rmSync(path.join(destination, name));
}

// dist/ comes from tsc; globus-app's prepack script adds its Node bundle.
execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-b"], { cwd: root, stdio: "inherit" });
const out = execFileSync(
  "npm",
  [
    "pack",
    "--json",
    "--pack-destination",
    destination,
    ...PUBLISHED.map((name) => `--workspace=packages/${name}`),
  ],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
// npm prints lifecycle script output before the JSON on stdout.
const packed = JSON.parse(out.slice(out.indexOf("\n[") + 1 || 0));
for (const { filename } of packed) console.log(path.join(destination, filename));
