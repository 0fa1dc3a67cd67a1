import { sampleTokenData } from "@globus-app/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { IndexedDBTokenStorage } from "./indexed-db-token-storage.ts";
import { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";
import { isWebLocksAvailable, withWebLock } from "./web-lock.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `fn` is called; lets a test hold a lock until it says so. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** A module Worker (another realm of this origin, like another tab) that can import this package. */
function startWorker(body: string): Worker {
  const index = new URL("./index.ts", import.meta.url).href;
  const source = `const INDEX = ${JSON.stringify(index)};\n${body}`;
  return new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.addEventListener("message", (event) => resolve(event.data), { once: true });
    worker.addEventListener("error", (event) => reject(new Error(event.message)), { once: true });
  });
}

/** Runs `fn` as in an engine without Web Locks (`navigator.locks` hidden), then puts them back. */
async function withoutWebLocks(fn: () => Promise<void>): Promise<void> {
  Object.defineProperty(navigator, "locks", { configurable: true, value: undefined });
  try {
    await fn();
  } finally {
    Reflect.deleteProperty(navigator, "locks");
  }
}

const workers: Worker[] = [];
afterEach(() => {
  for (const worker of workers.splice(0)) worker.terminate();
});

describe("withWebLock", () => {
  it("uses Web Locks here", () => {
    expect(isWebLocksAvailable()).toBe(true);
  });

  it("returns what fn returns and rejects with what it throws", async () => {
    expect(await withWebLock("test:value", async () => 42)).toBe(42);
    const boom = new Error("boom");
    await expect(
      withWebLock("test:value", async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it("serialises holders of one name and not of different names", async () => {
    const events: string[] = [];
    const held = gate();
    const first = withWebLock("test:a", async () => {
      events.push("first start");
      await held.opened;
      events.push("first end");
    });
    const second = withWebLock("test:a", async () => {
      events.push("second");
    });
    const other = withWebLock("test:b", async () => {
      events.push("other");
    });
    await other;
    await sleep(20);
    expect(events).toEqual(["first start", "other"]);
    held.open();
    await Promise.all([first, second]);
    expect(events).toEqual(["first start", "other", "first end", "second"]);
  });

  it("stops waiting when the signal aborts", async () => {
    const held = gate();
    const holder = withWebLock("test:abort", () => held.opened);
    const controller = new AbortController();
    let ran = false;
    const waiter = withWebLock(
      "test:abort",
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    controller.abort(new Error("gave up"));
    await expect(waiter).rejects.toThrow("gave up");
    held.open();
    await holder;
    expect(ran).toBe(false);
  });

  it("falls back to a per-page lock where Web Locks are missing", async () => {
    await withoutWebLocks(async () => {
      expect(isWebLocksAvailable()).toBe(false);
      const events: string[] = [];
      const held = gate();
      const first = withWebLock("test:fallback", async () => {
        await held.opened;
        events.push("first");
      });
      const second = withWebLock("test:fallback", async () => {
        events.push("second");
      });
      await sleep(20);
      expect(events).toEqual([]);
      held.open();
      await Promise.all([first, second]);
      expect(events).toEqual(["first", "second"]);
    });
    expect(isWebLocksAvailable()).toBe(true);
  });

  it("stops waiting in the per-page fallback when the signal aborts, and the queue goes on", async () => {
    await withoutWebLocks(async () => {
      const events: string[] = [];
      const held = gate();
      const holder = withWebLock("test:fallback-abort", async () => {
        await held.opened;
        events.push("holder");
      });
      const controller = new AbortController();
      const waiter = withWebLock("test:fallback-abort", async () => events.push("waiter"), {
        signal: controller.signal,
      });
      const last = withWebLock("test:fallback-abort", async () => events.push("last"));
      controller.abort(new Error("gave up"));
      await expect(waiter).rejects.toThrow("gave up");
      await sleep(20);
      expect(events).toEqual([]);
      held.open();
      await Promise.all([holder, last]);
      expect(events).toEqual(["holder", "last"]);
    });
  });
});

describe("storage withLock", () => {
  it("serialises two storages of one app (two tabs' worth) but not different namespaces", async () => {
    const clientId = `lock-${crypto.randomUUID()}`;
    const tab1 = new LocalStorageTokenStorage({ clientId });
    const tab2 = new LocalStorageTokenStorage({ clientId });
    const otherNamespace = new LocalStorageTokenStorage({ clientId, namespace: "other" });
    const events: string[] = [];
    const held = gate();
    const first = tab1.withLock("refresh:a", async () => {
      await held.opened;
      events.push("tab1");
    });
    const second = tab2.withLock("refresh:a", async () => {
      events.push("tab2");
    });
    await otherNamespace.withLock("refresh:a", async () => {
      events.push("other namespace");
    });
    expect(events).toEqual(["other namespace"]);
    held.open();
    await Promise.all([first, second]);
    expect(events).toEqual(["other namespace", "tab1", "tab2"]);
  });

  it("serialises with a storage of the same app in a Worker (another realm of the origin)", async () => {
    const clientId = `lock-${crypto.randomUUID()}`;
    const worker = startWorker(`
      const { IndexedDBTokenStorage } = await import(INDEX);
      const storage = new IndexedDBTokenStorage({ clientId: ${JSON.stringify(clientId)} });
      let release;
      onmessage = (event) => {
        if (event.data === "hold") {
          storage.withLock("refresh:a", () => new Promise((resolve) => {
            release = resolve;
            postMessage("held");
          })).then(() => postMessage("released"));
        } else if (event.data === "release") {
          release();
        }
      };
      postMessage("ready");
    `);
    workers.push(worker);
    expect(await nextMessage(worker)).toBe("ready");
    worker.postMessage("hold");
    expect(await nextMessage(worker)).toBe("held");

    const storage = new IndexedDBTokenStorage({ clientId });
    let ran = false;
    const mine = storage.withLock("refresh:a", async () => {
      ran = true;
      return storage.getTokenData("a");
    });
    // A different key of the same storage is not blocked.
    expect(await storage.withLock("refresh:b", async () => "free")).toBe("free");
    await sleep(50);
    expect(ran).toBe(false);
    const released = nextMessage(worker);
    worker.postMessage("release");
    expect(await released).toBe("released");
    expect(await mine).toBeNull();
    expect(ran).toBe(true);
    await storage.close();
    await new Promise((resolve) => {
      indexedDB.deleteDatabase(storage.dbName).onsuccess = resolve;
    });
  });

  it("lets a refresh guarded by the lock run once for two tabs that re-read inside it", async () => {
    const clientId = `lock-${crypto.randomUUID()}`;
    const tabs = [new IndexedDBTokenStorage({ clientId }), new IndexedDBTokenStorage({ clientId })];
    await tabs[0]?.storeTokenDataByResourceServer({ a: sampleTokenData("a", { expires_at_seconds: 0 }) });
    let refreshes = 0;
    const refresh = (storage: IndexedDBTokenStorage) =>
      storage.withLock("refresh:a", async () => {
        const current = await storage.getTokenData("a");
        if (current && current.expires_at_seconds > 0) return current;
        refreshes++;
        await sleep(10);
        const renewed = sampleTokenData("a", { access_token: "renewed" });
        await storage.storeTokenDataByResourceServer({ a: renewed });
        return renewed;
      });
    const results = await Promise.all(tabs.map(refresh));
    expect(refreshes).toBe(1);
    expect(results.map((r) => r.access_token)).toEqual(["renewed", "renewed"]);
    await Promise.all(tabs.map((t) => t.close()));
    await new Promise((resolve) => {
      indexedDB.deleteDatabase(tabs[0]?.dbName ?? "").onsuccess = resolve;
    });
  });
});
