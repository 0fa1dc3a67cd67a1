#!/usr/bin/env node
// The browser half, in real Chromium (/usr/bin/chromium with playwright.config.ts's flags, via
// Playwright): bench/browser-page (the BUILT @globus-app/browser, bundled by Vite) served from
// 127.0.0.1. Measures the hot path (getAuthorizer + header with a valid stored token) over memory,
// localStorage and IndexedDB storage, and store/read of 100 resource servers with the same three.
// The page's login client points at an emulator whose request count must stay 0; every request the
// page makes is checked to go to 127.0.0.1.

import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { build } from "vite";
import { chromiumArgs, findChromium } from "../chromium.mjs";
import {
  BENCH_DIR,
  log,
  QUICK,
  REPO_ROOT,
  report,
  startBenchEmulator,
  TMP_DIR,
  totalRequests,
} from "./lib/util.mjs";

const { chromium } = await import("playwright");

const executablePath = findChromium();

const outDir = path.join(TMP_DIR, `browser-page-${process.pid}`);
log("browser: building the page");
await build({
  configFile: false,
  root: path.join(BENCH_DIR, "browser-page"),
  logLevel: "error",
  // The built packages (dist), as an app that installed globus-app gets them.
  resolve: { conditions: ["browser", "module", "import", "default"] },
  build: { outDir, emptyOutDir: true, minify: true, target: "es2022" },
});

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const file = path.join(outDir, url.pathname === "/" ? "index.html" : path.normalize(url.pathname));
  if (!file.startsWith(outDir) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const emulator = await startBenchEmulator();
emulator.emu.control.resetCounts();

const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: [...chromiumArgs],
});
const result = { chromium: browser.version(), executablePath: executablePath ?? "playwright's own" };
try {
  const page = await browser.newPage();
  const foreign = [];
  const pageErrors = [];
  page.on("request", (request) => {
    const host = new URL(request.url()).hostname;
    if (host !== "127.0.0.1") foreign.push(request.url());
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  // Anything not on 127.0.0.1 is refused before it leaves the browser.
  await page.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.bench?.ready === true, null, { timeout: 30_000 });

  log("browser: hot path");
  result.hotPath = await page.evaluate((args) => window.bench.hotPath(args), {
    kinds: ["memory", "localstorage", "indexeddb"],
    reps: QUICK ? 3 : 11,
    calls: 20_000,
    maxMsPerRep: 3_000,
    authUrl: emulator.emu.url,
  });
  log("browser: storage");
  result.storage = await page.evaluate((args) => window.bench.storage(args), {
    kinds: ["memory", "localstorage", "indexeddb"],
    reps: QUICK ? 2 : 5,
    count: 100,
  });
  result.networkRequests = totalRequests(emulator.emu.control.requestCounts());
  result.foreignRequests = foreign;
  if (pageErrors.length) result.pageErrors = pageErrors;
} finally {
  await browser.close();
  await emulator.emu.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
report({ ...result, pageBuiltFrom: path.relative(REPO_ROOT, path.join(BENCH_DIR, "browser-page")) });
