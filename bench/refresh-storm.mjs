#!/usr/bin/env node
// Refresh storm. (a) One process: 1,000 concurrent callers of getAuthorizer() + header while the stored
// access token has expired, over memory and JSON storage (taking turns, repetition by repetition);
// refresh requests counted at the emulator (must be 1 per repetition) and the time each caller
// waited for its header (p50, p99, max). (b) 4 Node processes sharing one JSON file with an expired
// token, started together: refresh requests at the emulator (must be 1) and wall time.

import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import {
  attempt,
  BENCH_DIR,
  issuedRecords,
  log,
  median,
  percentile,
  QUICK,
  report,
  startBenchEmulator,
  TMP_DIR,
  TRANSFER_ALL,
  TRANSFER_RS,
} from "./lib/util.mjs";

const { UserApp, NativeAppAuthClient, MemoryTokenStorage } = await import("globus-app");
const { JSONTokenStorage } = await import("globus-app/node");

const CALLERS = 1_000;
const REPS = QUICK ? 2 : 5;
const PROCESSES = 4;
const PROCESS_REPS = QUICK ? 1 : 3;
const CHILD_TIMEOUT_MS = 60_000;

const emulator = await startBenchEmulator();
const { control } = emulator.emu;
const dir = path.join(TMP_DIR, `refresh-storm-${process.pid}`);
mkdirSync(dir, { recursive: true });

async function stormOnce(kind, rep) {
  const storage =
    kind === "memory" ? new MemoryTokenStorage() : new JSONTokenStorage(path.join(dir, `storm-${rep}.json`));
  await storage.storeTokenDataByResourceServer(
    issuedRecords(emulator, { refreshTokens: true, expired: true }),
  );
  const app = new UserApp("bench-storm", {
    loginClient: new NativeAppAuthClient({
      clientId: emulator.SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emulator.emu.url,
    }),
    scopeRequirements: { [TRANSFER_RS]: TRANSFER_ALL },
    config: { tokenStorage: storage, requestRefreshTokens: true, tokenValidationErrorHandler: null },
  });
  control.resetCounts();
  const waits = new Array(CALLERS);
  const start = performance.now();
  const headers = await Promise.all(
    Array.from({ length: CALLERS }, async (_, i) => {
      const header = await (await app.getAuthorizer(TRANSFER_RS)).getAuthorizationHeader();
      waits[i] = performance.now() - start;
      return header;
    }),
  );
  const refreshRequests = control.requestCounts()["token:refresh_token"] ?? 0;
  await app.close();
  if (!headers.every((h) => h.startsWith("Bearer ") && h === headers[0])) {
    throw new Error(`${kind}: callers got different or no headers`);
  }
  return { refreshRequests, p50: percentile(waits, 50), p99: percentile(waits, 99), max: Math.max(...waits) };
}

const inProcess = {};
for (const kind of ["memory", "json"]) inProcess[kind] = { runs: [] };
for (let rep = 0; rep < REPS; rep++) {
  for (const kind of Object.keys(inProcess)) {
    const run = await attempt(() => stormOnce(kind, rep));
    inProcess[kind].runs.push(run);
  }
}
for (const [kind, entry] of Object.entries(inProcess)) {
  const ok = entry.runs.filter((r) => !r.error);
  const errors = entry.runs.filter((r) => r.error).map((r) => r.error);
  inProcess[kind] = {
    callers: CALLERS,
    reps: entry.runs.length,
    refreshRequests: entry.runs.map((r) => r.refreshRequests ?? null),
    p50Ms: median(ok.map((r) => r.p50)),
    p99Ms: median(ok.map((r) => r.p99)),
    maxMs: median(ok.map((r) => r.max)),
    ...(errors.length ? { errors } : {}),
  };
}
log(`refresh storm: ${REPS} x ${CALLERS} callers in one process done`);

function runChild(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(BENCH_DIR, "children", "refresh-child.mjs"),
        file,
        emulator.emu.url,
        emulator.SAMPLE_NATIVE_CLIENT.id,
        TRANSFER_RS,
        TRANSFER_ALL,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${out.slice(0, 800)}`));
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`child printed no result: ${out.slice(0, 800)}`));
      }
    });
  });
}

async function processesOnce(rep) {
  const file = path.join(dir, `shared-${rep}.json`);
  const storage = new JSONTokenStorage(file);
  await storage.storeTokenDataByResourceServer(
    issuedRecords(emulator, { refreshTokens: true, expired: true }),
  );
  control.resetCounts();
  const start = performance.now();
  const children = await Promise.all(Array.from({ length: PROCESSES }, () => runChild(file)));
  const wallMs = performance.now() - start;
  if (!children.every((c) => c.ok)) throw new Error("a process got no header");
  const renewed = await storage.getTokenData(TRANSFER_RS);
  return {
    refreshRequests: control.requestCounts()["token:refresh_token"] ?? 0,
    wallMs,
    headerMsMax: Math.max(...children.map((c) => c.headerMs)),
    renewedInFile: (renewed?.expires_at_seconds ?? 0) > Date.now() / 1000,
  };
}

const processRuns = [];
for (let rep = 0; rep < PROCESS_REPS; rep++) processRuns.push(await attempt(() => processesOnce(rep)));
const okRuns = processRuns.filter((r) => !r.error);
const crossProcess = {
  processes: PROCESSES,
  reps: processRuns.length,
  refreshRequests: processRuns.map((r) => r.refreshRequests ?? null),
  wallMs: median(okRuns.map((r) => r.wallMs)),
  slowestHeaderMs: median(okRuns.map((r) => r.headerMsMax)),
  renewedInFile: okRuns.every((r) => r.renewedInFile),
  ...(okRuns.length < processRuns.length
    ? { errors: processRuns.filter((r) => r.error).map((r) => r.error) }
    : {}),
};
log(`refresh storm: ${PROCESS_REPS} x ${PROCESSES} processes done`);

await emulator.emu.close();
rmSync(dir, { recursive: true, force: true });
report({ inProcess, crossProcess });
