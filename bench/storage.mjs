#!/usr/bin/env node
// Token storage in Node: store and read 100 resource servers with MemoryTokenStorage,
// JSONTokenStorage and SQLiteTokenStorage, side by side in one process (the storages take turns,
// repetition by repetition, each repetition on a fresh file). Four operations:
//   store 1 x 100  — 100 calls of storeTokenDataByResourceServer({ rs: record })
//   read 1 x 100   — 100 calls of getTokenData(rs)
//   store 100      — one storeTokenDataByResourceServer() of 100 records
//   read 100       — one getTokenDataByResourceServer() returning 100 records
// Every write of the file storages is durable (JSON: temp file + fsync + rename under a lock file;
// SQLite: a transaction), so their write rates are the disk's fsync rate more than our code's.

import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { attempt, log, median, QUICK, report, syntheticRecord, TMP_DIR } from "./lib/util.mjs";

const { MemoryTokenStorage } = await import("globus-app");
const { JSONTokenStorage, SQLiteTokenStorage } = await import("globus-app/node");

const RS_COUNT = 100;
const REPS = QUICK ? 2 : 5;
const dir = path.join(TMP_DIR, `storage-${process.pid}`);
mkdirSync(dir, { recursive: true });

const resourceServers = Array.from({ length: RS_COUNT }, (_, i) => `rs-${i}.api.example.org`);

const KINDS = {
  memory: () => new MemoryTokenStorage(),
  json: (rep) => new JSONTokenStorage(path.join(dir, `tokens-${rep}.json`)),
  sqlite: (rep) => new SQLiteTokenStorage(path.join(dir, `tokens-${rep}.db`)),
};

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function once(kind, rep) {
  const single = KINDS[kind](`${kind}-${rep}-single`);
  const bulk = KINDS[kind](`${kind}-${rep}-bulk`);
  try {
    const records = resourceServers.map((rs) => syntheticRecord(rs));
    const storeEach = await timed(async () => {
      for (const record of records) {
        await single.storeTokenDataByResourceServer({ [record.resource_server]: record });
      }
    });
    const readEach = await timed(async () => {
      for (const rs of resourceServers) {
        if (!(await single.getTokenData(rs))) throw new Error(`${kind}: ${rs} missing`);
      }
    });
    const all = Object.fromEntries(records.map((r) => [r.resource_server, r]));
    const storeAll = await timed(() => bulk.storeTokenDataByResourceServer(all));
    let count = 0;
    const readAll = await timed(async () => {
      count = Object.keys(await bulk.getTokenDataByResourceServer()).length;
    });
    if (count !== RS_COUNT) throw new Error(`${kind}: read ${count} of ${RS_COUNT} records`);
    return { storeEach, readEach, storeAll, readAll };
  } finally {
    await single.close();
    await bulk.close();
  }
}

const runs = Object.fromEntries(Object.keys(KINDS).map((k) => [k, []]));
for (let rep = 0; rep < REPS; rep++) {
  for (const kind of Object.keys(KINDS)) runs[kind].push(await attempt(() => once(kind, rep)));
  log(`storage: repetition ${rep + 1}/${REPS} done`);
}

const storages = {};
for (const [kind, list] of Object.entries(runs)) {
  const ok = list.filter((r) => !r.error);
  if (ok.length === 0) {
    storages[kind] = { error: list[0]?.error ?? "no runs" };
    continue;
  }
  const storeEachMs = median(ok.map((r) => r.storeEach));
  const readEachMs = median(ok.map((r) => r.readEach));
  storages[kind] = {
    storeOpsPerSecond: (RS_COUNT * 1000) / storeEachMs,
    readOpsPerSecond: (RS_COUNT * 1000) / readEachMs,
    store100Ms: storeEachMs,
    read100Ms: readEachMs,
    bulkStore100Ms: median(ok.map((r) => r.storeAll)),
    bulkRead100Ms: median(ok.map((r) => r.readAll)),
    reps: ok.length,
    ...(ok.length < list.length ? { errors: list.filter((r) => r.error).map((r) => r.error) } : {}),
  };
}
rmSync(dir, { recursive: true, force: true });
report({ resourceServers: RS_COUNT, reps: REPS, storages });
