#!/usr/bin/env node
// Hot path in Node: `await (await app.getAuthorizer(rs)).getAuthorizationHeader()` with a valid
// stored token, over MemoryTokenStorage and JSONTokenStorage, side by side in one process (the
// storages take turns, repetition by repetition). Counts file reads (fs/promises open and readFile,
// patched before the packages load) and storage reads (the storage's read methods, wrapped) during the timed
// calls, and requests at the emulator the app's login client points at (must stay 0).

import { mkdirSync, rmSync } from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { countReads } from "./lib/count-reads.mjs";
import {
  attempt,
  boundedLoop,
  issuedRecords,
  log,
  median,
  QUICK,
  report,
  startBenchEmulator,
  TMP_DIR,
  TRANSFER_ALL,
  TRANSFER_RS,
  totalRequests,
} from "./lib/util.mjs";

// A read is an `open` (how JSONTokenStorage reads its file) or a `readFile` by path.
let fileReads = 0;
for (const name of ["open", "readFile"]) {
  const original = fsp[name];
  fsp[name] = function counting(...args) {
    fileReads++;
    return original.apply(this, args);
  };
}
syncBuiltinESMExports();

const { UserApp, NativeAppAuthClient, MemoryTokenStorage } = await import("globus-app");
const { JSONTokenStorage } = await import("globus-app/node");

const REPS = QUICK ? 3 : 11;
const CALLS = 20_000;
const MAX_MS_PER_REP = 3_000;

const emulator = await startBenchEmulator();
const dir = path.join(TMP_DIR, `hot-path-${process.pid}`);
mkdirSync(dir, { recursive: true });

async function setUp(kind) {
  const refresh = kind.endsWith("-refresh");
  const storage = kind.startsWith("memory")
    ? new MemoryTokenStorage()
    : new JSONTokenStorage(path.join(dir, `${kind}.json`));
  await storage.storeTokenDataByResourceServer(issuedRecords(emulator, { refreshTokens: refresh }));
  const counter = countReads(storage);
  const app = new UserApp("bench", {
    loginClient: new NativeAppAuthClient({
      clientId: emulator.SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emulator.emu.url,
    }),
    scopeRequirements: { [TRANSFER_RS]: TRANSFER_ALL },
    config: { tokenStorage: storage, requestRefreshTokens: refresh, tokenValidationErrorHandler: null },
  });
  const header = async () => (await app.getAuthorizer(TRANSFER_RS)).getAuthorizationHeader();
  // The first call builds and caches the authorizer (storage read + validation): timed apart.
  const readsBefore = fileReads;
  const storageReadsBefore = counter.reads;
  const t0 = performance.now();
  const first = await header();
  const firstCallMs = performance.now() - t0;
  // Shows the counters work: building the authorizer reads the storage (and, for JSON, the file).
  const firstCall = { fileReads: fileReads - readsBefore, storageReads: counter.reads - storageReadsBefore };
  if (!first.startsWith("Bearer ")) throw new Error(`${kind}: no Bearer header`);
  for (let i = 0; i < 20_000; i++) await header(); // warm-up (JIT)
  return {
    kind,
    app,
    storage,
    counter,
    header,
    firstCallMs,
    firstCall,
    samples: [],
    fileReads: 0,
    storageReads: 0,
    calls: 0,
  };
}

// `-refresh`: refresh tokens stored and requested, so the app hands out a RefreshTokenAuthorizer.
const kinds = ["memory", "json", "memory-refresh", "json-refresh"];
const results = {};
emulator.emu.control.resetCounts();
const states = [];
for (const kind of kinds) {
  const state = await attempt(() => setUp(kind));
  if (state.error) results[kind] = { error: state.error };
  else states.push(state);
}

for (let rep = 0; rep < REPS; rep++) {
  for (const state of states) {
    const readsBefore = fileReads;
    const storageBefore = state.counter.reads;
    const { iterations, ms } = await boundedLoop(CALLS, MAX_MS_PER_REP, () => state.header());
    state.samples.push((ms * 1e6) / iterations);
    state.calls += iterations;
    state.fileReads += fileReads - readsBefore;
    state.storageReads += state.counter.reads - storageBefore;
  }
}
log(`hot path: ${REPS} repetitions of ${CALLS} calls per storage`);

for (const state of states) {
  const nsPerCall = median(state.samples);
  results[state.kind] = {
    nsPerCall: Math.round(nsPerCall),
    callsPerSecond: Math.round(1e9 / nsPerCall),
    samplesNs: state.samples.map(Math.round),
    timedCalls: state.calls,
    firstCallMs: Math.round(state.firstCallMs * 100) / 100,
    firstCallFileReads: state.firstCall.fileReads,
    firstCallStorageReads: state.firstCall.storageReads,
    fileReadsPer10k: (state.fileReads * 10_000) / state.calls,
    storageReadsPer10k: (state.storageReads * 10_000) / state.calls,
  };
  await state.app.close();
}
const requests = totalRequests(emulator.emu.control.requestCounts());
await emulator.emu.close();
rmSync(dir, { recursive: true, force: true });

report({ reps: REPS, callsPerRep: CALLS, networkRequests: requests, storages: results });
