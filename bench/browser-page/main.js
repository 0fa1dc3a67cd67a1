// The page bench/browser.mjs drives in Chromium: the BUILT browser package (packages/*/dist, bundled by
// Vite) with its IndexedDB and localStorage storages. Exposes `window.bench` for page.evaluate().
import { IndexedDBTokenStorage, LocalStorageTokenStorage, UserApp } from "@globus-app/browser";
import { MemoryTokenStorage, NativeAppAuthClient } from "@globus-app/core";
import { countReads } from "../lib/count-reads.mjs";

const TRANSFER_RS = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const CLIENT_ID = "5b20fbc2-c639-4ccb-9f61-adaaa8eba170";
const IDENTITY = "ae341a98-d274-11e5-b888-dbae3a8ba545";

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function record(resourceServer) {
  const rand = () => Math.random().toString(36).slice(2);
  return {
    resource_server: resourceServer,
    identity_id: IDENTITY,
    scope: resourceServer === TRANSFER_RS ? TRANSFER_ALL : `urn:globus:auth:scope:${resourceServer}:all`,
    access_token: `Ag${rand()}${rand()}${rand()}${rand()}`.slice(0, 72),
    refresh_token: null,
    expires_at_seconds: Math.floor(Date.now() / 1000) + 172800,
    token_type: "Bearer",
  };
}

function makeStorage(kind, namespace) {
  if (kind === "memory") return new MemoryTokenStorage({ namespace });
  if (kind === "localstorage") return new LocalStorageTokenStorage({ clientId: CLIENT_ID, namespace });
  return new IndexedDBTokenStorage({ clientId: CLIENT_ID, namespace, dbName: "globus-app-bench" });
}

/** getAuthorizer() + getAuthorizationHeader() with a valid stored token, storages taking turns. */
async function hotPath({ kinds, reps, calls, maxMsPerRep, authUrl }) {
  const states = [];
  const out = {};
  for (const kind of kinds) {
    try {
      const storage = makeStorage(kind, `hot-${kind}`);
      await storage.storeTokenDataByResourceServer({
        "auth.globus.org": { ...record("auth.globus.org"), scope: "openid" },
        [TRANSFER_RS]: record(TRANSFER_RS),
      });
      const counter = countReads(storage);
      const app = new UserApp("bench", {
        loginClient: new NativeAppAuthClient({ clientId: CLIENT_ID, baseUrl: authUrl }),
        scopeRequirements: { [TRANSFER_RS]: TRANSFER_ALL },
        config: { tokenStorage: storage, tokenValidationErrorHandler: null },
      });
      const header = async () => (await app.getAuthorizer(TRANSFER_RS)).getAuthorizationHeader();
      const t0 = performance.now();
      if (!(await header()).startsWith("Bearer ")) throw new Error("no Bearer header");
      const firstCallMs = performance.now() - t0;
      const firstCallStorageReads = counter.reads;
      for (let i = 0; i < 20_000; i++) await header();
      states.push({
        kind,
        app,
        counter,
        header,
        firstCallMs,
        firstCallStorageReads,
        samples: [],
        calls: 0,
        reads: 0,
      });
    } catch (error) {
      out[kind] = { error: `${error?.name}: ${error?.message}` };
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    for (const state of states) {
      const before = state.counter.reads;
      const start = performance.now();
      let i = 0;
      while (i < calls) {
        await state.header();
        i++;
        if ((i & 1023) === 0 && performance.now() - start > maxMsPerRep) break;
      }
      const ms = performance.now() - start;
      state.samples.push((ms * 1e6) / i);
      state.calls += i;
      state.reads += state.counter.reads - before;
    }
  }
  for (const state of states) {
    const ns = median(state.samples);
    out[state.kind] = {
      nsPerCall: Math.round(ns),
      callsPerSecond: Math.round(1e9 / ns),
      samplesNs: state.samples.map(Math.round),
      timedCalls: state.calls,
      firstCallMs: state.firstCallMs,
      firstCallStorageReads: state.firstCallStorageReads,
      storageReadsPer10k: (state.reads * 10_000) / state.calls,
    };
    await state.app.close();
  }
  return out;
}

/** Store and read 100 resource servers, one at a time and in one call, storages taking turns. */
async function storage({ kinds, reps, count }) {
  const resourceServers = Array.from({ length: count }, (_, i) => `rs-${i}.api.example.org`);
  const runs = Object.fromEntries(kinds.map((k) => [k, []]));
  // Chromium's clock ticks in 0.1 ms steps: an operation is repeated until at least 20 ms have passed
  // (at most 200 times), and the time per repetition returned. Repeats overwrite or re-read the same keys.
  const timed = async (fn) => {
    const start = performance.now();
    let n = 0;
    do {
      await fn();
      n++;
    } while (performance.now() - start < 20 && n < 200);
    return (performance.now() - start) / n;
  };
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of kinds) {
      const single = makeStorage(kind, `single-${rep}`);
      const bulk = makeStorage(kind, `bulk-${rep}`);
      try {
        const records = resourceServers.map(record);
        const storeEach = await timed(async () => {
          for (const r of records) await single.storeTokenDataByResourceServer({ [r.resource_server]: r });
        });
        const readEach = await timed(async () => {
          for (const rs of resourceServers)
            if (!(await single.getTokenData(rs))) throw new Error(`${rs} missing`);
        });
        const all = Object.fromEntries(records.map((r) => [r.resource_server, r]));
        const storeAll = await timed(() => bulk.storeTokenDataByResourceServer(all));
        let n = 0;
        const readAll = await timed(async () => {
          n = Object.keys(await bulk.getTokenDataByResourceServer()).length;
        });
        if (n !== count) throw new Error(`read ${n} of ${count}`);
        runs[kind].push({ storeEach, readEach, storeAll, readAll });
      } catch (error) {
        runs[kind].push({ error: `${error?.name}: ${error?.message}` });
      } finally {
        for (const rs of resourceServers) {
          await single.removeTokenData(rs).catch(() => {});
          await bulk.removeTokenData(rs).catch(() => {});
        }
        await single.close();
        await bulk.close();
      }
    }
  }
  const out = {};
  for (const [kind, list] of Object.entries(runs)) {
    const ok = list.filter((r) => !r.error);
    if (ok.length === 0) {
      out[kind] = { error: list[0]?.error ?? "no runs" };
      continue;
    }
    const storeEachMs = median(ok.map((r) => r.storeEach));
    const readEachMs = median(ok.map((r) => r.readEach));
    out[kind] = {
      storeOpsPerSecond: (count * 1000) / storeEachMs,
      readOpsPerSecond: (count * 1000) / readEachMs,
      store100Ms: storeEachMs,
      read100Ms: readEachMs,
      bulkStore100Ms: median(ok.map((r) => r.storeAll)),
      bulkRead100Ms: median(ok.map((r) => r.readAll)),
      reps: ok.length,
    };
  }
  return out;
}

window.bench = { hotPath, storage, ready: true };
