#!/usr/bin/env node
// Server-side portals: requests per second of `handlers.getAuthorizer(request, "transfer…")` +
// `getAuthorizationHeader()` with warm (valid) tokens, for 50 signed-in people, through each token
// storage: memory, SQLite, PostgreSQL and Redis (the last two when GLOBUS_APP_TEST_POSTGRES_URL /
// GLOBUS_APP_TEST_REDIS_URL name a server; `source .ci/test-services.sh` starts both). Two cases:
//   cached — the handlers' default: each person's app (and authorizer) stays in memory, so a
//            request costs opening the session cookie (JWE) and a map lookup, no storage I/O;
//   uncached (maxCachedPeople: 0) — every request builds the person's app and reads their tokens
//            from the storage: what a replica pays for someone it has not seen yet.
// 32 requests in flight, bounded in count and time. People sign in for real first (login handler,
// the emulator's consent page, callback), so the cookies are the ones browsers would hold.

import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { boundedLoop, log, QUICK, report, TMP_DIR, TRANSFER_ALL, TRANSFER_RS } from "./lib/util.mjs";

const { MemoryTokenStorage } = await import("globus-app");
const { createGlobusAuthHandlers, PostgresTokenStorage, RedisTokenStorage, SQLiteTokenStorage } =
  await import("globus-app/server");
const { startEmulator, simulateBrowserLogin, SAMPLE_CONFIDENTIAL_CLIENT } = await import(
  "@globus-app/emulator"
);

const PEOPLE = 50;
const IN_FLIGHT = 32;
const MAX_MS = QUICK ? 700 : 2500;
const SITE = "http://localhost:8080";
const SECRET = "bench-session-secret-0123456789abcdefghij";
const dir = path.join(TMP_DIR, `server-${process.pid}`);
mkdirSync(dir, { recursive: true });

const emu = await startEmulator({ port: 0, host: "127.0.0.1" });
const people = Array.from(
  { length: PEOPLE },
  (_, i) => emu.control.registerIdentity({ username: `bench${i}@example.org`, name: `Bench ${i}` }).id,
);

const suffix = `${process.pid}_${Date.now().toString(36)}`;
const STORAGES = {
  memory: () => {
    const backing = new Map();
    return { perPerson: (id) => new MemoryTokenStorage({ namespace: id, backing }), close: async () => {} };
  },
  sqlite: () => {
    const file = path.join(dir, "tokens.db");
    return { perPerson: (id) => new SQLiteTokenStorage(file, { namespace: id }), close: async () => {} };
  },
  postgres: () => {
    const url = process.env.GLOBUS_APP_TEST_POSTGRES_URL;
    if (!url) return { skip: "set GLOBUS_APP_TEST_POSTGRES_URL" };
    const root = new PostgresTokenStorage({ connectionString: url, table: `bench_${suffix}` });
    return {
      perPerson: root,
      close: async () => {
        const pg = (await import("pg")).default;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP TABLE IF EXISTS "bench_${suffix}"`);
        await admin.end();
        await root.close();
      },
    };
  },
  redis: () => {
    const url = process.env.GLOBUS_APP_TEST_REDIS_URL;
    if (!url) return { skip: "set GLOBUS_APP_TEST_REDIS_URL" };
    const prefix = `bench:${suffix}:`;
    const root = new RedisTokenStorage({ url, keyPrefix: prefix });
    return {
      perPerson: root,
      close: async () => {
        const { Redis } = await import("ioredis");
        const admin = new Redis(url);
        const keys = await admin.keys(`${prefix}*`);
        if (keys.length > 0) await admin.del(...keys);
        await admin.quit();
        await root.close();
      },
    };
  },
};

function handlersFor(tokenStorage, maxCachedPeople) {
  return createGlobusAuthHandlers({
    clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
    clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
    redirectUri: `${SITE}/callback`,
    scopeRequirements: { [TRANSFER_RS]: TRANSFER_ALL },
    tokenStorage,
    session: { secrets: [SECRET] },
    authBaseUrl: emu.url,
    maxCachedPeople,
  });
}

/** Signs everyone in through the handlers and the consent page; returns their Cookie headers. */
async function signInEveryone(handlers) {
  const cookies = [];
  for (const identity of people) {
    const start = await handlers.login(new Request(`${SITE}/login`));
    const callback = await simulateBrowserLogin(start.headers.get("Location"), { identity });
    const login = start.headers.getSetCookie()[0].split(";")[0];
    const done = await handlers.callback(new Request(callback, { headers: { Cookie: login } }));
    const session = done.headers.getSetCookie().find((c) => c.startsWith("__Host-globus-session="));
    if (done.status !== 303 || !session) throw new Error(`login failed with ${done.status}`);
    cookies.push(session.split(";")[0]);
  }
  return cookies;
}

async function rate(handlers, cookies) {
  const requests = cookies.map((cookie) => new Request(`${SITE}/files`, { headers: { Cookie: cookie } }));
  const one = async (i) => {
    const authorizer = await handlers.getAuthorizer(requests[i % requests.length], TRANSFER_RS);
    if (!(await authorizer.getAuthorizationHeader()).startsWith("Bearer ")) throw new Error("no header");
  };
  // Warm-up: every person once (the cached case fills its cache here).
  for (let i = 0; i < requests.length; i++) await one(i);
  let next = 0;
  const worker = () => boundedLoop(1_000_000, MAX_MS, () => one(next++));
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: next, seconds, requestsPerSecond: next / seconds };
}

const results = {};
for (const [name, make] of Object.entries(STORAGES)) {
  const storage = make();
  if (storage.skip) {
    results[name] = { skipped: storage.skip };
    continue;
  }
  try {
    const cached = handlersFor(storage.perPerson, 1000);
    const cookies = await signInEveryone(cached);
    emu.control.resetCounts();
    const warm = await rate(cached, cookies);
    const uncachedHandlers = handlersFor(storage.perPerson, 0);
    const uncached = await rate(uncachedHandlers, cookies);
    const counts = emu.control.requestCounts();
    results[name] = {
      cached: warm,
      uncached,
      // With warm tokens nothing should reach Globus Auth.
      authRequests: Object.entries(counts)
        .filter(([k]) => k !== "token")
        .reduce((sum, [, n]) => sum + n, 0),
    };
    await cached.close();
    await uncachedHandlers.close();
    log(
      `server: ${name}: cached ${Math.round(warm.requestsPerSecond)} req/s, uncached ${Math.round(uncached.requestsPerSecond)} req/s`,
    );
  } catch (error) {
    results[name] = { error: String(error?.stack ?? error).slice(0, 2000) };
  } finally {
    await storage.close().catch(() => undefined);
  }
}
await emu.close();
rmSync(dir, { recursive: true, force: true });
report({ people: PEOPLE, inFlight: IN_FLIGHT, storages: results });
