#!/usr/bin/env node
// Node cold start: a fresh process imports globus-app, builds a UserApp over a JSON file holding valid
// tokens and prints a header (bench/children/cold-start-child.mjs), next to a bare `node -e 0`,
// taking turns in one run. Wall time is measured here from spawn to exit, peak RSS by
// `/usr/bin/time -f "%e %M"` where present (else the child's process.resourceUsage().maxRSS).
// The app's login client points at an emulator whose request count must stay 0.
// Then an import-time breakdown: each module imported alone in a fresh process, and each layer's own
// cost with the layers below it already loaded.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  BENCH_DIR,
  issuedRecords,
  log,
  median,
  QUICK,
  REPO_ROOT,
  report,
  startBenchEmulator,
  TMP_DIR,
  TRANSFER_ALL,
  TRANSFER_RS,
  totalRequests,
} from "./lib/util.mjs";

const { JSONTokenStorage } = await import("globus-app/node");

const ROUNDS = QUICK ? 3 : 11;
const IMPORT_ROUNDS = QUICK ? 3 : 9;
const TIMEOUT_MS = 30_000;
const TIME = "/usr/bin/time";
const haveTime = existsSync(TIME);

/** Runs a command; resolves with wall ms, stdout, stderr and exit code. Killed after TIMEOUT_MS. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ wallMs: performance.now() - start, stdout, stderr, code });
    });
  });
}

/** Runs `node <args>` under /usr/bin/time when present; returns wall ms, peak RSS (KiB) and output. */
async function timedNode(args) {
  const result = haveTime
    ? await run(TIME, ["-f", "%e %M", process.execPath, ...args], { cwd: BENCH_DIR })
    : await run(process.execPath, args, { cwd: BENCH_DIR });
  if (result.code !== 0)
    throw new Error(`node ${args.join(" ")} exited with ${result.code}: ${result.stderr}`);
  let maxRSSKiB;
  if (haveTime) {
    const last = result.stderr.trim().split("\n").pop() ?? "";
    maxRSSKiB = Number(last.split(" ")[1]);
  }
  return { ...result, maxRSSKiB };
}

const emulator = await startBenchEmulator();
const dir = path.join(TMP_DIR, `cold-start-${process.pid}`);
mkdirSync(dir, { recursive: true });
const file = path.join(dir, "tokens.json");
await new JSONTokenStorage(file).storeTokenDataByResourceServer(issuedRecords(emulator));
const childArgs = [
  path.join(BENCH_DIR, "children", "cold-start-child.mjs"),
  file,
  emulator.emu.url,
  emulator.SAMPLE_NATIVE_CLIENT.id,
  TRANSFER_RS,
  TRANSFER_ALL,
];

// One untimed run of each, so both start from a warm file cache.
await timedNode(["-e", "0"]);
await timedNode(childArgs);
emulator.emu.control.resetCounts();

const bare = [];
const bareEsm = [];
const app = [];
const emptyModule = path.join(BENCH_DIR, "children", "empty.mjs");
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ["app", "esm", "bare"] : ["bare", "esm", "app"];
  for (const which of order) {
    if (which === "bare") {
      // Without /usr/bin/time the bare process reports its own peak RSS (a few microseconds of work).
      const r = await timedNode(
        haveTime ? ["-e", "0"] : ["-e", "process.stdout.write(String(process.resourceUsage().maxRSS))"],
      );
      bare.push({ wallMs: r.wallMs, maxRSSKiB: r.maxRSSKiB ?? Number(r.stdout) });
    } else if (which === "esm") {
      const r = await timedNode([emptyModule]);
      bareEsm.push({ wallMs: r.wallMs, maxRSSKiB: r.maxRSSKiB });
    } else {
      const r = await timedNode(childArgs);
      const lines = r.stdout.trim().split("\n");
      if (lines[0] !== "Bearer <token>") throw new Error(`cold start printed no header: ${r.stdout}`);
      const phases = JSON.parse(lines[lines.length - 1]);
      app.push({ ...phases, wallMs: r.wallMs, maxRSSKiB: r.maxRSSKiB ?? phases.maxRSSKiB });
    }
  }
}
const networkRequests = totalRequests(emulator.emu.control.requestCounts());
await emulator.emu.close();
log(`cold start: ${ROUNDS} rounds done`);

const summary = (list) => ({
  wallMs: median(list.map((r) => r.wallMs)),
  maxRSSMiB: median(list.map((r) => r.maxRSSKiB)) / 1024,
  wallMsRuns: list.map((r) => Math.round(r.wallMs)),
});

// Import breakdown. `alone`: a fresh process imports just this module (its dependencies included).
// `own`: the same with the modules in `preload` imported first, so only this layer's code is timed.
// `files`: module files loaded by the import alone (listed by module hooks, in separate runs).
// `requestMs`: reading `globalThis.Request` afterwards; Node loads its fetch (undici) lazily on the
// first touch, so a small number means the import already paid for it.
// The last row is a what-if: the same entry points bundled into one file (ky stays a lazy chunk).
const IMPORTS = [
  { module: "node:os", note: "baseline: a built-in" },
  { module: "valibot" },
  { module: "oauth4webapi" },
  { module: "ky", note: "imported lazily by GlobusClient, not at start" },
  { module: "@globus-app/core", preload: ["valibot", "oauth4webapi"] },
  { module: "@globus-app/node", preload: ["@globus-app/core"] },
  { module: "globus-app", preload: ["@globus-app/node"] },
  { module: "globus-app/node", preload: ["globus-app"] },
];

async function bundleGlobusApp() {
  const { build } = await import("vite");
  const outDir = path.join(dir, "bundled");
  const id = "\0bench-globus-app";
  await build({
    configFile: false,
    logLevel: "error",
    root: REPO_ROOT,
    ssr: { noExternal: true, resolve: { conditions: ["node", "import", "default"] } },
    plugins: [
      {
        name: "bench-entry",
        resolveId: (source) => (source === "bench-globus-app" ? id : undefined),
        load: (source) =>
          source === id
            ? 'export * from "globus-app"; export { JSONTokenStorage } from "globus-app/node";'
            : undefined,
      },
    ],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      target: "node20",
      rollupOptions: {
        input: { index: "bench-globus-app" },
        external: (source) => source.startsWith("node:") || source === "better-sqlite3",
      },
    },
  });
  return pathToFileURL(path.join(outDir, "index.js")).href;
}

function importScript(module, preload = []) {
  return [
    ...preload.map((m) => `await import(${JSON.stringify(m)});`),
    "let t = performance.now();",
    `await import(${JSON.stringify(module)});`,
    "const ms = performance.now() - t;",
    "t = performance.now();",
    "globalThis.Request;",
    "const requestMs = performance.now() - t;",
    "process.stdout.write(JSON.stringify({ ms, requestMs }));",
  ].join("\n");
}

async function importMs(module, preload) {
  const r = await run(process.execPath, ["--input-type=module", "-e", importScript(module, preload)], {
    cwd: REPO_ROOT,
  });
  if (r.code !== 0) throw new Error(`import ${module} failed: ${r.stderr.slice(0, 400)}`);
  return JSON.parse(r.stdout);
}

async function filesLoaded(module) {
  const list = path.join(dir, "modules.txt");
  rmSync(list, { force: true });
  const r = await run(
    process.execPath,
    [
      "--import",
      pathToFileURL(path.join(BENCH_DIR, "lib", "count-modules-register.mjs")).href,
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(module)});`,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, BENCH_MODULE_LIST: list } },
  );
  if (r.code !== 0) throw new Error(`import ${module} failed: ${r.stderr.slice(0, 400)}`);
  const urls = existsSync(list) ? readFileSync(list, "utf8").trim().split("\n").filter(Boolean) : [];
  // The register module and its hooks are loaded too; they are ours, not the import's.
  return urls.filter((u) => !u.includes("/bench/lib/count-modules-")).length;
}

const bundled = await bundleGlobusApp().catch((error) => {
  log(`cold start: bundling globus-app failed: ${error.message}`);
  return undefined;
});
if (bundled) {
  IMPORTS.push({
    module: bundled,
    label: "what-if: `globus-app` + `globus-app/node` bundled into one file (Vite, not minified)",
  });
}

const imports = {};
for (const entry of IMPORTS) {
  imports[entry.module] = { ...entry, alone: [], own: [], preload: entry.preload ?? [] };
}
for (let round = 0; round < IMPORT_ROUNDS; round++) {
  for (const entry of IMPORTS) {
    try {
      imports[entry.module].alone.push(await importMs(entry.module, []));
      if (entry.preload) imports[entry.module].own.push(await importMs(entry.module, entry.preload));
    } catch (error) {
      imports[entry.module].error = String(error.message ?? error);
    }
  }
}
const importBreakdown = [];
for (const [module, r] of Object.entries(imports)) {
  importBreakdown.push({
    ...(r.label ? { label: r.label } : { module, note: r.note }),
    aloneMs: median(r.alone.map((x) => x.ms)),
    ownMs: r.own.length ? median(r.own.map((x) => x.ms)) : median(r.alone.map((x) => x.ms)),
    requestMs: median(r.alone.map((x) => x.requestMs)),
    files: await filesLoaded(module).catch(() => Number.NaN),
    preload: r.preload,
    ...(r.error ? { error: r.error } : {}),
  });
}
log(`cold start: import breakdown done`);
rmSync(dir, { recursive: true, force: true });

report({
  rounds: ROUNDS,
  rssSource: haveTime ? "/usr/bin/time %M" : "process.resourceUsage().maxRSS",
  networkRequests,
  bare: summary(bare),
  bareEsm: summary(bareEsm),
  app: {
    ...summary(app),
    bootstrapMs: median(app.map((r) => r.importStart)),
    importMs: median(app.map((r) => r.importMs)),
    appToHeaderMs: median(app.map((r) => r.appMs)),
    headerAtMs: median(app.map((r) => r.headerAt)),
  },
  importRounds: IMPORT_ROUNDS,
  importBreakdown,
});
