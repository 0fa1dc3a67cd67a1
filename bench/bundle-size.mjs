#!/usr/bin/env node
// Bundle size: our browser entry (bench/bundle: `UserApp` with IndexedDB + redirect login) next to the
// equivalent entries of four peers (bench/peers/<name>), all built in this one process by Vite with
// bench/bundle/vite.config.ts (minified, es2022), every JavaScript chunk gzipped at level 9 the way
// bench/bundle/measure.mjs does it. Which of our modules weigh most comes from measure.mjs --json.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { build } from "vite";
import { gzipSize, gzipTool } from "./lib/gzip-size.mjs";
import { chunkFigures } from "./lib/page-load-chunks.mjs";
import { attempt, BENCH_DIR, log, report } from "./lib/util.mjs";

const CONFIG = path.join(BENCH_DIR, "bundle", "vite.config.ts");

export const TARGETS = [
  { name: "globus-app", what: "`UserApp` (IndexedDB, redirect)", root: path.join(BENCH_DIR, "bundle") },
  // What TransferClient adds to that portal (its row minus the first): ky and the Transfer client.
  {
    name: "globus-app + TransferClient",
    what: "`UserApp` + `TransferClient` (task list)",
    root: path.join(BENCH_DIR, "bundle-transfer"),
  },
  // Likewise for each other client: one portal per client, so each row minus the first is its cost.
  {
    name: "globus-app + GroupsClient",
    what: "`UserApp` + `GroupsClient` (my groups)",
    root: path.join(BENCH_DIR, "bundle-groups"),
  },
  {
    name: "globus-app + SearchClient",
    what: "`UserApp` + `SearchClient` (faceted query)",
    root: path.join(BENCH_DIR, "bundle-search"),
  },
  {
    name: "@globus/sdk 6.2.0",
    what: "`authorization.create`",
    root: path.join(BENCH_DIR, "peers/globus-sdk"),
  },
  { name: "oidc-client-ts 3.5.0", what: "`UserManager`", root: path.join(BENCH_DIR, "peers/oidc-client-ts") },
  {
    name: "@auth0/auth0-spa-js 2.28.3",
    what: "`createAuth0Client`",
    root: path.join(BENCH_DIR, "peers/auth0-spa-js"),
  },
  {
    name: "@azure/msal-browser 5.30.0",
    what: "`PublicClientApplication`",
    root: path.join(BENCH_DIR, "peers/msal-browser"),
  },
];

async function measure(target) {
  const started = performance.now();
  const result = await build({
    configFile: CONFIG,
    root: target.root,
    logLevel: "error",
    // Same settings as measure.mjs (sourcemaps on, the manifest for the page-load chunks, nothing written).
    build: { write: false, sourcemap: true, manifest: true },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const figures = chunkFigures(outputs, gzipSize);
  return {
    name: target.name,
    what: target.what,
    chunks: figures.chunks.length,
    minified: figures.totalMinified,
    gzip: figures.totalGzip,
    pageLoadGzip: figures.pageLoadGzip,
    lazyGzip: figures.lazyGzip,
    buildMs: Math.round(performance.now() - started),
  };
}

const entries = [];
for (const target of TARGETS) {
  log(`bundle: building ${target.name}`);
  const measured = await attempt(() => measure(target));
  entries.push(measured.error ? { name: target.name, what: target.what, error: measured.error } : measured);
}

// Our module breakdown, from the bundle engineer's tool (read-only use).
const breakdown = await attempt(() => {
  const run = spawnSync(process.execPath, [path.join(BENCH_DIR, "bundle", "measure.mjs"), "--json"], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  // measure.mjs exits 1 only when over --max-bytes, which is not passed here.
  if (run.error) throw run.error;
  const start = run.stdout.indexOf("{");
  if (start < 0)
    throw new Error(`measure.mjs printed no JSON (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  const json = JSON.parse(run.stdout.slice(start));
  return {
    gzip: json.gzip,
    minified: json.minified,
    gzipTool: json.gzipTool,
    thirdPartyGzip: json.thirdPartyGzip,
    modules: json.modules.slice(0, 12),
  };
});

// What each service client adds to the UserApp portal, from services-cost.mjs (the check `npm test`
// runs), so that the README's table and `npm test` measure the same builds.
const servicesCost = await attempt(() => {
  log("bundle: measuring each service client (bench/bundle/services-cost.mjs --json)");
  const run = spawnSync(process.execPath, [path.join(BENCH_DIR, "bundle", "services-cost.mjs"), "--json"], {
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  const start = run.stdout.indexOf("{");
  if (start < 0)
    throw new Error(`services-cost.mjs printed no JSON (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  const json = JSON.parse(run.stdout.slice(start));
  return {
    gzipTool: json.gzipTool,
    userApp: json.userApp,
    clients: json.clients.map(({ client, gzip, minified, addsGzip, addsInitialGzip, addsMinified }) => ({
      client,
      gzip,
      minified,
      addsGzip,
      addsInitialGzip,
      addsMinified,
    })),
    problems: json.problems,
  };
});

report({
  gzipTool: gzipTool(),
  // DESIGN.md: page load ≤ 14 KB (goal ≤ 10 KB); all chunks ≤ 29 KB.
  // DESIGN.md's budgets are in KB of 1,000 bytes (its peer figures are: oidc-client-ts 17.3 KB = 16.9 KiB).
  budget: { ceilingBytes: 14_000, goalBytes: 10_000, totalCeilingBytes: 29_000 },
  entries,
  ourModules: breakdown,
  servicesCost,
});
