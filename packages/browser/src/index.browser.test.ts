import { expect, it } from "vitest";
import { PUBLIC_EXPORTS } from "../test-support/public-exports.ts";

/**
 * Runs `body` (module code) in a fresh module Worker, where `INDEX` is the URL of this package's
 * index as the dev server serves it, and resolves with the first message the worker posts.
 */
function runInWorker(body: string): Promise<unknown> {
  const index = new URL("./index.ts", import.meta.url).href;
  const source = `const INDEX = ${JSON.stringify(index)};\n${body}`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module" });
  return new Promise<unknown>((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
  }).finally(() => {
    worker.terminate();
    URL.revokeObjectURL(url);
  });
}

it("imports in a Worker without touching IndexedDB, Web Locks, BroadcastChannel or storage", async () => {
  const result = await runInWorker(`
    const touched = [];
    const spy = (target, key) => {
      let owner = target;
      while (owner && !Object.getOwnPropertyDescriptor(owner, key)) owner = Object.getPrototypeOf(owner);
      const original = owner && Object.getOwnPropertyDescriptor(owner, key);
      Object.defineProperty(target, key, {
        configurable: true,
        get() {
          touched.push(key);
          return original && (original.get ? original.get.call(target) : original.value);
        },
      });
    };
    spy(self, "indexedDB");
    spy(self, "BroadcastChannel");
    spy(self, "localStorage");
    spy(self, "sessionStorage");
    spy(self, "document");
    spy(self, "window");
    spy(navigator, "locks");
    try {
      const module = await import(INDEX);
      postMessage({ exports: Object.keys(module).sort(), touched });
    } catch (error) {
      postMessage({ error: String(error) });
    }
  `);
  expect(result).toEqual({
    exports: PUBLIC_EXPORTS,
    touched: [],
  });
});

it("works in a Worker: IndexedDB storage, Web Locks and the channel", async () => {
  const clientId = `worker-${crypto.randomUUID()}`;
  const result = await runInWorker(`
    const { IndexedDBTokenStorage, CrossTabChannel, isWebLocksAvailable } = await import(INDEX);
    const storage = new IndexedDBTokenStorage({ clientId: ${JSON.stringify(clientId)} });
    const record = {
      resource_server: "a", identity_id: null, scope: "s", access_token: "t", refresh_token: null,
      expires_at_seconds: 1900000000, token_type: "Bearer",
    };
    const read = await storage.withLock("k", async () => {
      await storage.storeTokenDataByResourceServer({ a: record });
      return storage.getTokenData("a");
    });
    await storage.close();
    indexedDB.deleteDatabase(storage.dbName);
    const channel = new CrossTabChannel("worker-test");
    const posted = channel.post({ type: "logout" });
    channel.close();
    postMessage({ read, locks: isWebLocksAvailable(), posted });
  `);
  expect(result).toEqual({
    read: {
      resource_server: "a",
      identity_id: null,
      scope: "s",
      access_token: "t",
      refresh_token: null,
      expires_at_seconds: 1_900_000_000,
      token_type: "Bearer",
    },
    locks: true,
    posted: true,
  });
});
