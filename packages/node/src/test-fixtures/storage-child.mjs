// A separate process for multi-process.test.ts. It runs the real storages from the built package
// (dist/, made by the test's beforeAll), because Node 20 cannot import the TypeScript sources.
//
//   node storage-child.mjs <json|sqlite> store-many <file> <prefix> <count>
//   node storage-child.mjs <json|sqlite> increment <file> <count>
//   node storage-child.mjs json rewrite-forever <file> <records>
import process from "node:process";
// The storage modules rather than index.js, so work in progress elsewhere in the package cannot
// break these processes.
import { JSONTokenStorage } from "../../dist/json-token-storage.js";
import { SQLiteTokenStorage } from "../../dist/sqlite-token-storage.js";

const [kind, action, file, ...rest] = process.argv.slice(2);
const storage = kind === "sqlite" ? new SQLiteTokenStorage(file) : new JSONTokenStorage(file);

function record(resourceServer, overrides = {}) {
  return {
    resource_server: resourceServer,
    identity_id: null,
    scope: `urn:globus:auth:scope:${resourceServer}:all`,
    access_token: `access-${resourceServer}`,
    refresh_token: `refresh-${resourceServer}`,
    expires_at_seconds: 1_900_000_000,
    token_type: "Bearer",
    ...overrides,
  };
}

if (action === "store-many") {
  const [prefix, count] = rest;
  for (let i = 0; i < Number(count); i++) {
    const resourceServer = `${prefix}-${i}.example.org`;
    await storage.storeTokenDataByResourceServer({ [resourceServer]: record(resourceServer) });
  }
} else if (action === "increment") {
  const counter = "counter.example.org";
  for (let i = 0; i < Number(rest[0]); i++) {
    await storage.withLock("refresh:x", async () => {
      const current = await storage.getTokenData(counter);
      const count = Number(current?.extra?.count ?? 0);
      await storage.storeTokenDataByResourceServer({
        [counter]: record(counter, { extra: { count: count + 1 } }),
      });
    });
  }
} else if (action === "rewrite-forever") {
  // Rewrites every record with a new generation number until killed, reporting each generation
  // before and after its write (stdout to a pipe is synchronous, so the parent sees every line).
  const records = Number(rest[0]);
  let generation = Number((await storage.getTokenData("rs-0.example.org"))?.extra?.generation ?? 0);
  for (;;) {
    generation++;
    process.stdout.write(`start ${generation}\n`);
    const batch = {};
    for (let j = 0; j < records; j++) {
      const resourceServer = `rs-${j}.example.org`;
      batch[resourceServer] = record(resourceServer, {
        access_token: `access-${generation}-${j}`,
        extra: { generation },
      });
    }
    await storage.storeTokenDataByResourceServer(batch);
    process.stdout.write(`done ${generation}\n`);
  }
} else {
  throw new Error(`unknown action ${action}`);
}
await storage.close();
