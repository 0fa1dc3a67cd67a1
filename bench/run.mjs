#!/usr/bin/env node
// `npm run bench`: builds the packages (tsc -b), runs every benchmark section in its own Node process
// (bounded in time; a section that fails or hangs is recorded and the others still run), prints one
// Markdown report for the README's performance section and writes bench/results.json.
//
//   node bench/run.mjs [--quick] [--only bundle,hot-path,refresh-storm,storage,server,browser,cold-start] [--skip-build]
//
// Not part of `npm test`: timings depend on the machine. Each comparison runs side by side in one
// run and reports medians over repetitions, so its ratios hold on a noisy machine; absolute numbers
// are for this machine only (printed at the top). Nothing talks to anything but 127.0.0.1.

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, describeError, fmt, fmtInt, machineInfo, REPO_ROOT, TMP_DIR } from "./lib/util.mjs";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "skip-build": { type: "boolean", default: false },
  },
});

const SECTIONS = [
  { name: "bundle", script: "bundle-size.mjs", timeoutMs: 120_000 },
  { name: "hot-path", script: "hot-path.mjs", timeoutMs: 90_000 },
  { name: "refresh-storm", script: "refresh-storm.mjs", timeoutMs: 120_000 },
  { name: "storage", script: "storage.mjs", timeoutMs: 120_000 },
  { name: "server", script: "server-authorizer.mjs", timeoutMs: 120_000 },
  { name: "browser", script: "browser.mjs", timeoutMs: 150_000 },
  { name: "cold-start", script: "cold-start.mjs", timeoutMs: 180_000 },
];
/** The whole run stays under this, whatever the sections' own limits add up to. */
const DEADLINE = Date.now() + 9.5 * 60_000;

const only = values.only?.split(",").map((s) => s.trim());
const selected = only ? SECTIONS.filter((s) => only.includes(s.name)) : SECTIONS;
if (only && selected.length !== only.length) {
  console.error(`--only takes ${SECTIONS.map((s) => s.name).join(",")}`);
  process.exit(2);
}

const want = (name) => selected.some((x) => x.name === name);
const say = (message) => console.error(`[bench] ${message}`);
const started = Date.now();
const results = { machine: machineInfo(), quick: values.quick, sections: {}, durationsMs: {} };
say(`${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.node}`);

// 1. Build: the sections import packages/*/dist.
if (!values["skip-build"]) {
  const t = Date.now();
  say("building the packages (tsc -b, then the Node bundle of globus-app)");
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-b"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: Math.min(180_000, DEADLINE - Date.now()),
  });
  // The Node entries of globus-app are a bundle of their own (what npm pack ships).
  const bundle =
    run.status === 0
      ? spawnSync(
          process.execPath,
          [path.join(REPO_ROOT, "packages/globus-app/scripts/build-node-bundle.mjs")],
          {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: Math.min(120_000, DEADLINE - Date.now()),
          },
        )
      : run;
  if (bundle !== run && bundle.status !== 0) run.status = bundle.status;
  results.build = { ok: run.status === 0, ms: Date.now() - t };
  if (run.status !== 0) {
    // Carry on with whatever dist/ holds; the sections report their own failures.
    results.build.error = `${run.error ? describeError(run.error) : ""}${run.stdout}${run.stderr}`.slice(
      0,
      4000,
    );
    say(`tsc -b failed (exit ${run.status}); continuing with the existing dist/`);
  }
}

let current;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current) killGroup(current);
    process.exit(130);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Removes what a section left in bench/tmp (its entries end in `-<pid>`), e.g. after a crash. */
function removeScratch(pid) {
  try {
    for (const name of readdirSync(TMP_DIR)) {
      if (name.endsWith(`-${pid}`)) rmSync(path.join(TMP_DIR, name), { recursive: true, force: true });
    }
  } catch {
    // Nothing to tidy.
  }
}

/** Runs one section's script in its own process group; resolves with its JSON result or `{ error }`. */
function runSection(section) {
  mkdirSync(TMP_DIR, { recursive: true });
  const resultFile = path.join(TMP_DIR, `result-${section.name}-${process.pid}.json`);
  rmSync(resultFile, { force: true });
  const timeoutMs = Math.max(5_000, Math.min(section.timeoutMs, DEADLINE - Date.now()));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BENCH_DIR, section.script)], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "inherit", "pipe"],
      detached: true,
      env: { ...process.env, BENCH_RESULT_FILE: resultFile, ...(values.quick ? { BENCH_QUICK: "1" } : {}) },
    });
    current = child;
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-8000);
      process.stderr.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      removeScratch(child.pid);
      try {
        const result = JSON.parse(readFileSync(resultFile, "utf8"));
        rmSync(resultFile, { force: true });
        resolve(code === 0 ? result : { ...result, error: `exited with ${code ?? signal}` });
      } catch {
        const why = timedOut
          ? `timed out after ${Math.round(timeoutMs / 1000)} s`
          : `exited with ${code ?? signal}`;
        const tail = stderr.trim().split("\n");
        const cause = [...tail].reverse().find((line) => /\b\w*Error\b/.test(line)) ?? "";
        resolve({ error: `${why}${cause ? `: ${cause.trim()}` : ""}\n${tail.slice(-15).join("\n")}` });
      }
    });
  });
}

for (const section of selected) {
  if (Date.now() > DEADLINE - 5_000) {
    results.sections[section.name] = { error: "skipped: the 9.5-minute budget of the whole run was used up" };
    continue;
  }
  const t = Date.now();
  say(`section ${section.name}`);
  results.sections[section.name] = await runSection(section);
  results.durationsMs[section.name] = Date.now() - t;
}
results.durationsMs.total = Date.now() - started;

// ---------------------------------------------------------------------------------------------------
// Markdown

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (v) => (Number.isFinite(v) ? (v === 0 ? "< 0.1 ms" : `${fmt(v)} ms`) : "n/a");
const firstLine = (error) => String(error).split("\n")[0];
const failed = (error) => [`_Failed: ${firstLine(error)}_`, ""];
/** A Markdown table; `align` has one letter per column, `l` or `r`. */
const table = (header, rows, align = "") => [
  `| ${header.join(" | ")} |`,
  `| ${header.map((_, i) => (align[i] === "r" ? "---:" : "---")).join(" | ")} |`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
];
const counts = (list) => {
  const shown = (list ?? []).map((n) => (n === null ? "err" : n));
  return shown.length && shown.every((n) => n === shown[0])
    ? `${shown[0]} (each of ${shown.length})`
    : shown.join(", ");
};

function bundleSection(r) {
  if (!r?.entries) return ["### Browser bundle", "", ...failed(r?.error ?? "no result")];
  const ours = r.entries[0];
  const lines = [
    "### Browser bundle",
    "",
    "The app of `bench/bundle/entry.ts` (`UserApp` from `globus-app`, IndexedDB storage, redirect login on a click) and",
    "the equivalent entry of each peer (`bench/peers/*/entry.js`: construct the client, handle the callback, redirect",
    `login on a click), built by Vite ${viteVersion()} with \`bench/bundle/vite.config.ts\` (minified, es2022); every chunk`,
    `gzipped by \`${r.gzipTool}\`. Page load: the entry chunk and the chunks it imports statically (Vite's manifest),`,
    "what a signed-in page load downloads; total: every chunk. Budget: page load ≤ " +
      `${r.budget.ceilingBytes} B (goal ≤ ${r.budget.goalBytes} B), total ≤ ${r.budget.totalCeilingBytes} B.`,
    "",
    ...table(
      [
        "Library",
        "Entry",
        "Chunks",
        "Minified",
        "Page load gzip -9",
        "Total gzip -9",
        "Page load vs globus-app",
      ],
      r.entries.map((e) =>
        e.error
          ? [e.name, e.what, "", "", `failed: ${firstLine(e.error)}`, "", ""]
          : [
              e.name,
              e.what,
              String(e.chunks),
              kib(e.minified),
              `**${kib(e.pageLoadGzip ?? e.gzip)}**`,
              kib(e.gzip),
              ours?.pageLoadGzip ? `${((e.pageLoadGzip ?? e.gzip) / ours.pageLoadGzip).toFixed(2)}×` : "",
            ],
      ),
      "llrrrrr",
    ),
    "",
  ];
  if (ours?.pageLoadGzip) {
    const verdict =
      ours.pageLoadGzip <= r.budget.goalBytes
        ? "within the goal"
        : ours.pageLoadGzip <= r.budget.ceilingBytes
          ? "within the ceiling, above the goal"
          : `**over the ceiling** by ${ours.pageLoadGzip - r.budget.ceilingBytes} B`;
    const total =
      ours.gzip <= r.budget.totalCeilingBytes
        ? "within its ceiling"
        : `**over its ceiling** by ${ours.gzip - r.budget.totalCeilingBytes} B`;
    lines.push(
      `globus-app: page load ${ours.pageLoadGzip} B gzip — ${verdict}; the login chunk(s) ${ours.lazyGzip} B, fetched by a login, a callback, a refresh, a logout or a consents check; total ${ours.gzip} B — ${total}.`,
      "",
    );
  }
  const mods = r.ourModules;
  if (mods?.thirdPartyGzip) {
    lines.push(
      `Of that, the third-party modules alone (oauth4webapi, valibot, idb-keyval; their minified code cut out of the chunk`,
      `by sourcemap) gzip to ${kib(mods.thirdPartyGzip)}; our code adds ${kib(mods.gzip - mods.thirdPartyGzip)}.`,
      "",
    );
  }
  if (mods?.modules) {
    lines.push(
      `Heaviest modules of ours (minified bytes, by sourcemap, from \`bench/bundle/measure.mjs --json\`; total ${kib(mods.minified)} minified):`,
      "",
      ...table(
        ["Module", "Minified", "Share"],
        mods.modules
          .slice(0, 10)
          .map((m) => [
            `\`${m.module}\``,
            fmtInt(m.minified),
            `${((100 * m.minified) / mods.minified).toFixed(1)} %`,
          ]),
        "lrr",
      ),
      "",
    );
  } else if (mods?.error) {
    lines.push(`_Module breakdown failed: ${firstLine(mods.error)}_`, "");
  }
  lines.push(...servicesCostLines(r.servicesCost));
  return lines;
}

/** The service clients' table: what each adds to the UserApp portal (bench/bundle/services-cost.mjs). */
function servicesCostLines(cost) {
  if (!cost) return [];
  if (cost.error) return ["#### Service clients", "", ...failed(cost.error)];
  return [
    "#### Service clients",
    "",
    "What each client adds to that portal when the portal imports it alone (`bench/bundle-<service>/entry.ts`, built the",
    `same way), from \`node bench/bundle/services-cost.mjs\` (part of \`npm test\`; \`npm run bench\` prints this table),`,
    `gzip by \`${cost.gzipTool}\`. _All chunks_ includes ky, in a chunk loaded on the first request; _page load_ is the`,
    "entry chunk and its static imports. An app that imports no client pays nothing: the UserApp-only build has" +
      ` ${cost.userApp.servicesModules} modules of packages/services.`,
    "",
    ...table(
      [
        "Client",
        "Portal total gzip -9",
        "Adds, all chunks gzip -9",
        "Adds to page load gzip -9",
        "Adds minified",
      ],
      [
        ["`UserApp` alone", `${fmtInt(cost.userApp.gzip)} B`, "—", "—", "—"],
        ...cost.clients.map((c) => [
          `\`${c.client}\``,
          `${fmtInt(c.gzip)} B`,
          `**${fmtInt(c.addsGzip)} B**`,
          `${fmtInt(c.addsInitialGzip)} B`,
          `${fmtInt(c.addsMinified)} B`,
        ]),
      ],
      "lrrrr",
    ),
    "",
    ...(cost.problems.length > 0 ? [`_Problems: ${cost.problems.join("; ")}_`, ""] : []),
  ];
}

function viteVersion() {
  try {
    return JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules/vite/package.json"), "utf8")).version;
  } catch {
    return "";
  }
}

function hotPathSection(node, browser) {
  const lines = [
    "### Hot path: `getAuthorizer()` + `getAuthorizationHeader()` with a valid stored token",
    "",
    "Sequential awaited calls after a warm-up; storages take turns within one process (one page in Chromium).",
    "_First call_ builds and caches the authorizer (one storage read, validation) and is timed apart.",
    "Reads are counted during the timed calls: storage reads by wrapping the storage's read methods, file reads",
    "by patching `fs/promises` `open` and `readFile` (the first call, for comparison: storage reads / file reads in brackets).",
    "",
  ];
  const rows = [];
  const add = (runtime, label, s, fileReads) => {
    if (!s) return;
    if (s.error) rows.push([runtime, label, `failed: ${firstLine(s.error)}`, "", "", "", ""]);
    else
      rows.push([
        runtime,
        label,
        `**${fmtInt(s.nsPerCall)}**`,
        fmtInt(s.callsPerSecond),
        `${ms(s.firstCallMs)}${s.firstCallStorageReads === undefined ? "" : ` (${s.firstCallStorageReads} / ${s.firstCallFileReads ?? "—"})`}`,
        fmt(s.storageReadsPer10k),
        fileReads ?? "—",
      ]);
  };
  if (node?.storages) {
    add("Node", "memory", node.storages.memory, fmt(node.storages.memory?.fileReadsPer10k));
    add("Node", "JSON file", node.storages.json, fmt(node.storages.json?.fileReadsPer10k));
    add(
      "Node",
      "memory, refresh tokens",
      node.storages["memory-refresh"],
      fmt(node.storages["memory-refresh"]?.fileReadsPer10k),
    );
    add(
      "Node",
      "JSON file, refresh tokens",
      node.storages["json-refresh"],
      fmt(node.storages["json-refresh"]?.fileReadsPer10k),
    );
  } else if (want("hot-path"))
    rows.push(["Node", "", `failed: ${firstLine(node?.error ?? "no result")}`, "", "", "", ""]);
  if (!want("browser")) {
    // not run
  } else if (browser?.hotPath) {
    add("Chromium", "memory", browser.hotPath.memory);
    add("Chromium", "localStorage", browser.hotPath.localstorage);
    add("Chromium", "IndexedDB", browser.hotPath.indexeddb);
  } else rows.push(["Chromium", "", `failed: ${firstLine(browser?.error ?? "no result")}`, "", "", "", ""]);
  lines.push(
    ...table(
      [
        "Runtime",
        "Storage",
        "ns/call",
        "calls/s",
        "First call",
        "Storage reads /10k calls",
        "File reads /10k calls",
      ],
      rows,
      "llrrrrr",
    ),
    "",
  );
  const net = [
    ...(node?.networkRequests === undefined ? [] : [`${node.networkRequests} (Node)`]),
    ...(browser?.networkRequests === undefined ? [] : [`${browser.networkRequests} (Chromium)`]),
  ];
  if (net.length)
    lines.push(`Network requests during the hot path, counted at the emulator: ${net.join(", ")}.`, "");
  return lines;
}

function stormSection(r) {
  if (!r?.inProcess) return ["### Refresh storm", "", ...failed(r?.error ?? "no result")];
  const rows = [];
  for (const [kind, s] of Object.entries(r.inProcess)) {
    rows.push([
      `${fmtInt(s.callers)} concurrent callers, one process, ${kind === "json" ? "JSON file" : kind} storage`,
      counts(s.refreshRequests),
      ms(s.p50Ms),
      ms(s.p99Ms),
      ms(s.maxMs),
    ]);
  }
  const c = r.crossProcess;
  if (c)
    rows.push([
      `${c.processes} Node processes sharing one JSON file (all ${c.processes} started and exited in ${ms(c.wallMs)})`,
      counts(c.refreshRequests),
      "—",
      "—",
      `${ms(c.slowestHeaderMs)} (slowest process)`,
    ]);
  const errors = [...Object.values(r.inProcess).flatMap((s) => s.errors ?? []), ...(c?.errors ?? [])];
  return [
    "### Refresh storm (expired access token, valid refresh token)",
    "",
    "Refresh requests counted at the emulator (`token:refresh_token`; must be 1 per repetition). Times run from the",
    "moment all callers start to each caller's header, and include the emulator's own handling (same process).",
    "",
    ...table(["Scenario", "Refresh requests", "p50 to header", "p99 to header", "max"], rows, "lrrrr"),
    "",
    ...(errors.length ? [`_Errors: ${errors.map(firstLine).join("; ")}_`, ""] : []),
  ];
}

function storageSection(node, browser) {
  const rows = [];
  const add = (runtime, label, s) => {
    if (!s) return;
    if (s.error) rows.push([runtime, label, `failed: ${firstLine(s.error)}`, "", "", ""]);
    else
      rows.push([
        runtime,
        label,
        fmtInt(s.storeOpsPerSecond),
        fmtInt(s.readOpsPerSecond),
        ms(s.bulkStore100Ms),
        ms(s.bulkRead100Ms),
      ]);
  };
  if (node?.storages) {
    add("Node", "memory", node.storages.memory);
    add("Node", "JSON file", node.storages.json);
    add("Node", "SQLite", node.storages.sqlite);
  } else if (want("storage"))
    rows.push(["Node", "", `failed: ${firstLine(node?.error ?? "no result")}`, "", "", ""]);
  if (!want("browser")) {
    // not run
  } else if (browser?.storage) {
    add("Chromium", "memory", browser.storage.memory);
    add("Chromium", "localStorage", browser.storage.localstorage);
    add("Chromium", "IndexedDB", browser.storage.indexeddb);
  } else rows.push(["Chromium", "", `failed: ${firstLine(browser?.error ?? "no result")}`, "", "", ""]);
  return [
    "### Token storage: 100 resource servers",
    "",
    "Store: 100 calls of `storeTokenDataByResourceServer({ rs: record })`; read: 100 calls of `getTokenData(rs)`;",
    "bulk: one call with (returning) all 100. File writes are durable (JSON: temp file, fsync, rename, under a lock",
    "file; SQLite: a transaction), so they measure the disk's fsync more than our code. Chromium's clock ticks in",
    "0.1 ms steps, so there each operation is repeated for at least 20 ms and averaged.",
    "",
    ...table(
      ["Runtime", "Storage", "Store ops/s", "Read ops/s", "Bulk store of 100", "Bulk read of 100"],
      rows,
      "llrrrr",
    ),
    "",
  ];
}

function coldStartSection(r) {
  if (!r?.app) return ["### Node cold start", "", ...failed(r?.error ?? "no result")];
  const { bare, app } = r;
  const dWall = app.wallMs - bare.wallMs;
  const dRss = app.maxRSSMiB - bare.maxRSSMiB;
  const lines = [
    "### Node cold start: process start → `UserApp` over a JSON file with valid tokens → header",
    "",
    `Medians of ${r.rounds} runs of each, alternating; wall time from spawn to exit, peak RSS by ${r.rssSource}.`,
    "DESIGN goal: ≤ 90 ms and ≤ 55 MiB where a bare `node -e 0` takes about 61 ms / 39 MiB, i.e. at most",
    "about +29 ms and +16 MiB over bare Node.",
    "",
    ...table(
      ["Process", "Wall", "Peak RSS", "Network requests"],
      [
        ["`node -e 0`", ms(bare.wallMs), `${fmt(bare.maxRSSMiB)} MiB`, "—"],
        ...(r.bareEsm
          ? [
              [
                "`node empty.mjs` (an empty ES module)",
                ms(r.bareEsm.wallMs),
                `${fmt(r.bareEsm.maxRSSMiB)} MiB`,
                "—",
              ],
            ]
          : []),
        [
          "globus-app `UserApp` → header",
          `**${ms(app.wallMs)}** (+${fmt(dWall)} ms)`,
          `**${fmt(app.maxRSSMiB)} MiB** (+${fmt(dRss)} MiB)`,
          String(r.networkRequests),
        ],
      ],
      "lrrr",
    ),
    "",
    `Inside the app process (medians): Node bootstrap until the script runs ${ms(app.bootstrapMs)}, \`import("globus-app")\` +`,
    `\`import("globus-app/node")\` ${ms(app.importMs)}, UserApp + storage read + header ${ms(app.appToHeaderMs)}.`,
    "",
  ];
  if (r.importBreakdown?.length) {
    lines.push(
      `Import time, each in a fresh process (medians of ${r.importRounds}). _Alone_: the module with its dependencies;`,
      "_own_: with the layers below already imported. _Files_: ES module files the import loads (module hooks;",
      "CommonJS `require`s are not seen). _Loads fetch_: whether the import made Node load its lazily loaded",
      "fetch (undici, about 30–40 ms here), judged by how long reading `globalThis.Request` takes afterwards.",
      "",
      ...table(
        ["Module", "Files", "Import alone", "Own", "Loads fetch"],
        r.importBreakdown.map((x) =>
          x.error
            ? [x.label ?? x.module, "", `failed: ${firstLine(x.error)}`, "", ""]
            : [
                x.label ?? `\`${x.module}\`${x.note ? ` (${x.note})` : ""}`,
                Number.isFinite(x.files) ? String(x.files) : "?",
                ms(x.aloneMs),
                x.preload.length
                  ? `${ms(x.ownMs)} (after ${x.preload.map((p) => `\`${p}\``).join(", ")})`
                  : "—",
                x.requestMs < 1 ? "yes" : "no",
              ],
        ),
        "lrrrl",
      ),
      "",
    );
  }
  return lines;
}

function serverSection(r) {
  const head = ["### Server-side portals: `getAuthorizer()` + header with warm tokens, per storage", ""];
  if (!r?.storages) return [...head, ...failed(r?.error ?? "no result")];
  const rate = (c) => (c ? fmtInt(c.requestsPerSecond) : "");
  const rows = Object.entries(r.storages).map(([name, x]) =>
    x.skipped
      ? [name, `skipped: ${x.skipped}`, "", ""]
      : x.error
        ? [name, `failed: ${firstLine(x.error)}`, "", ""]
        : [name, rate(x.cached), rate(x.uncached), String(x.authRequests)],
  );
  return [
    ...head,
    `\`handlers.getAuthorizer(request, "transfer.api.globus.org")\` then \`getAuthorizationHeader()\` for ${r.people} people`,
    `signed in through the login handler and the emulator's consent page, ${r.inFlight} requests in flight, one`,
    "process. Cached: the handlers' default (each person's app and authorizer kept; a request opens the JWE",
    "session cookie and finds them). Uncached (`maxCachedPeople: 0`): each request builds the person's app and",
    "reads their tokens from the storage (SQLite: a new connection per person, as a `(id) => new SQLiteTokenStorage`",
    "factory makes). Requests to Globus Auth during the runs: none expected.",
    "",
    ...table(["Storage", "Cached req/s", "Uncached req/s", "Auth requests"], rows, "lrrr"),
    "",
  ];
}

const m = results.machine;
const chromium = results.sections.browser?.chromium;
const md = [
  "## Performance",
  "",
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.platform}; Node ${m.node}${chromium ? `, Chromium ${chromium}` : ""};`,
  `${m.date.slice(0, 10)} (load average at start ${m.loadavg.join(" / ")}). \`npm run bench\`${values.quick ? " --quick" : ""}, ${Math.round(results.durationsMs.total / 1000)} s.`,
  "",
];
if (results.build && !results.build.ok)
  md.push(`_tsc -b failed; the sections ran on the dist/ that was there._`, "");
const s = results.sections;
if (want("bundle")) md.push(...bundleSection(s.bundle));
if (want("hot-path") || want("browser")) md.push(...hotPathSection(s["hot-path"], s.browser));
if (want("refresh-storm")) md.push(...stormSection(s["refresh-storm"]));
if (want("storage") || want("browser")) md.push(...storageSection(s.storage, s.browser));
if (want("server")) md.push(...serverSection(s.server));
if (want("cold-start")) md.push(...coldStartSection(s["cold-start"]));
const failures = Object.entries(s).filter(([, r]) => r?.error);
if (failures.length) {
  md.push("### Failures", "", ...failures.map(([name, r]) => `- ${name}: ${firstLine(r.error)}`), "");
}

results.markdown = md.join("\n");
writeFileSync(path.join(BENCH_DIR, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(results.markdown);
say(`wrote bench/results.json (${Math.round(results.durationsMs.total / 1000)} s)`);
