#!/usr/bin/env node
// Builds the Node (and Deno and Bun) entries of globus-app as one module graph of a few files, from
// the workspace sources: a cold start then loads ~4 files instead of ~60, which halves the import time
// (measured ~100 ms → ~50 ms). The browser entries stay per-file for bundlers to tree-shake. Run by
// `prepack` and `npm run build`; Node built-ins and most third-party packages stay external.
//
// valibot is bundled in, tree-shaken: Node would otherwise parse its whole single-file build
// (~200 KB) on every start, ~6 ms of a ~30 ms import (median of 31 fresh processes). It is pinned to
// an exact version in @globus-app/core, so bundling it changes no update path; its licence is
// written next to the bundle (THIRD-PARTY-LICENSES.md). oauth4webapi stays external although
// bundling it would save ~2 ms more: its options are keyed by per-copy symbols (`customFetch`,
// `allowInsecureRequests`), and a subclass of AuthLoginClient that adds a grant with the app's own
// oauth4webapi must get the same copy as ours.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(pkg, "dist", "node");
const entry = (name) => path.join(pkg, "src", `${name}.ts`);
const BUNDLED = ["valibot"];
const isExternal = (id) =>
  id.startsWith("node:") ||
  builtinModules.includes(id) ||
  !(/^[./]|^[A-Za-z]:|@globus-app\//.test(id) || BUNDLED.includes(id));

await build({
  configFile: false,
  logLevel: "warn",
  root: pkg,
  resolve: { conditions: ["@globus-app/source", "node", "import", "default"] },
  ssr: { noExternal: BUNDLED },
  build: {
    outDir,
    emptyOutDir: true,
    ssr: true,
    minify: false,
    sourcemap: true,
    target: "es2022",
    lib: {
      entry: {
        "main-node": entry("main-node"),
        node: entry("node"),
        server: entry("server"),
        core: entry("core"),
        services: entry("services"),
        testing: entry("testing"),
      },
      formats: ["es"],
    },
    rollupOptions: {
      external: isExternal,
      output: { entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
    },
  },
});

/** The installed package directory of `name`, looked up the way Node does from @globus-app/core. */
function packageDir(name) {
  for (let dir = path.join(pkg, "..", "core"); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

const notices = BUNDLED.map((name) => {
  const dir = packageDir(name);
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const licence = readFileSync(path.join(dir, "LICENSE.md"), "utf8").trim();
  return `## ${name} ${version}\n\n${licence}\n`;
});
writeFileSync(
  path.join(outDir, "THIRD-PARTY-LICENSES.md"),
  `# Third-party code bundled into these files\n\n${notices.join("\n")}`,
);
