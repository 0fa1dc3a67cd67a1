import { isGlobusSDKUsageError, isTokenStorageError, tokenStorageDataToJSON } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import { promisifyRequest, set, type UseStore } from "idb-keyval";
import { afterEach, describe, expect, it } from "vitest";
import { IndexedDBTokenStorage, isIndexedDBAvailable } from "./indexed-db-token-storage.ts";

const created = new Set<string>();

function uniqueClientId(): string {
  return `test-${crypto.randomUUID()}`;
}

async function deleteDatabase(name: string): Promise<void> {
  await promisifyRequest(indexedDB.deleteDatabase(name));
}

/**
 * An idb-keyval store over a connection this test opens and closes itself, so writing "from outside"
 * never leaves a connection that would block deleting the database.
 */
async function withRawStore<T>(dbName: string, body: (store: UseStore) => Promise<T>): Promise<T> {
  const db = await promisifyRequest(indexedDB.open(dbName));
  try {
    return await body((mode, callback) =>
      Promise.resolve(callback(db.transaction("tokens", mode).objectStore("tokens"))),
    );
  } finally {
    db.close();
  }
}

afterEach(async () => {
  for (const name of created) await deleteDatabase(name);
  created.clear();
});

describeTokenStorageConformance("IndexedDBTokenStorage", {
  setup: () => {
    const clientId = uniqueClientId();
    const dbName = new IndexedDBTokenStorage({ clientId }).dbName;
    return {
      create: (namespace) => new IndexedDBTokenStorage({ clientId, namespace }),
      corrupt: (namespace) =>
        withRawStore(dbName, (store) =>
          // Still holds the token strings, to prove the error does not repeat them.
          set(
            [namespace, "a"],
            { ...tokenStorageDataToJSON(sampleTokenData("a")), expires_at_seconds: "access-a" },
            store,
          ),
        ),
      cleanup: () => deleteDatabase(dbName),
    };
  },
});

describe("IndexedDBTokenStorage", () => {
  it("names one database per client id, with the environment outside production", () => {
    expect(new IndexedDBTokenStorage({ clientId: "abc" }).dbName).toBe("globus-app:abc");
    expect(new IndexedDBTokenStorage({ clientId: "abc", environment: "production" }).dbName).toBe(
      "globus-app:abc",
    );
    expect(new IndexedDBTokenStorage({ clientId: "abc", environment: "sandbox" }).dbName).toBe(
      "globus-app:abc:sandbox",
    );
    expect(new IndexedDBTokenStorage({ clientId: "a:b" }).dbName).toBe("globus-app:a%3Ab");
    expect(new IndexedDBTokenStorage({ clientId: "abc", dbName: "custom" }).dbName).toBe("custom");
  });

  it("builds from a GlobusApp context", () => {
    const storage = IndexedDBTokenStorage.forGlobusApp({
      clientId: "abc",
      namespace: "my-app",
      config: { environment: "preview" },
    });
    expect(storage.namespace).toBe("my-app");
    expect(storage.dbName).toBe("globus-app:abc:preview");
  });

  it("rejects a missing client id as a usage error", () => {
    let error: unknown;
    try {
      new IndexedDBTokenStorage({ clientId: "" });
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });

  it("opens nothing until the first operation", async () => {
    const clientId = uniqueClientId();
    const storage = new IndexedDBTokenStorage({ clientId });
    const names = async () => (await indexedDB.databases()).map((d) => d.name);
    expect(await names()).not.toContain(storage.dbName);
    created.add(storage.dbName);
    await storage.getTokenDataByResourceServer();
    expect(await names()).toContain(storage.dbName);
    await storage.close();
  });

  it("stores plain JSON records under [namespace, resource_server] keys", async () => {
    const storage = new IndexedDBTokenStorage({ clientId: uniqueClientId(), namespace: "ns" });
    created.add(storage.dbName);
    const record = sampleTokenData("transfer.api.globus.org", { refresh_token: null });
    await storage.storeTokenDataByResourceServer({ [record.resource_server]: record });
    await storage.close();
    const stored = await withRawStore(storage.dbName, (store) =>
      store("readonly", (s) => Promise.all([promisifyRequest(s.getAllKeys()), promisifyRequest(s.getAll())])),
    );
    expect(stored).toEqual([[["ns", "transfer.api.globus.org"]], [tokenStorageDataToJSON(record)]]);
    expect(stored[1][0]).not.toHaveProperty("refresh_token");
  });

  it("reads only its own namespace, even one that is a prefix of another", async () => {
    const clientId = uniqueClientId();
    const a = new IndexedDBTokenStorage({ clientId, namespace: "a" });
    const ab = new IndexedDBTokenStorage({ clientId, namespace: "a\u0000b" });
    const aColon = new IndexedDBTokenStorage({ clientId, namespace: "a:" });
    created.add(a.dbName);
    await a.storeTokenDataByResourceServer({ x: sampleTokenData("x") });
    await ab.storeTokenDataByResourceServer({ y: sampleTokenData("y") });
    await aColon.storeTokenDataByResourceServer({ z: sampleTokenData("z") });
    expect(Object.keys(await a.getTokenDataByResourceServer())).toEqual(["x"]);
    expect(Object.keys(await ab.getTokenDataByResourceServer())).toEqual(["y"]);
    expect(Object.keys(await aColon.getTokenDataByResourceServer())).toEqual(["z"]);
    await Promise.all([a.close(), ab.close(), aColon.close()]);
  });

  it("names the database and key, not the token, when a record is invalid", async () => {
    const storage = new IndexedDBTokenStorage({ clientId: uniqueClientId() });
    created.add(storage.dbName);
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    await withRawStore(storage.dbName, (store) =>
      set(["DEFAULT", "a"], { access_token: "access-a", scope: 1 }, store),
    );
    const error = await storage.getTokenData("a").catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain(storage.dbName);
    expect((error as Error).message).toContain('["DEFAULT","a"]');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain("access-a");
    await storage.close();
  });

  it("two storages (as two tabs) writing at once lose nothing", async () => {
    const clientId = uniqueClientId();
    const tab1 = new IndexedDBTokenStorage({ clientId });
    const tab2 = new IndexedDBTokenStorage({ clientId });
    created.add(tab1.dbName);
    const names = Array.from({ length: 30 }, (_, i) => `rs-${i}`);
    await Promise.all(
      names.map((name, i) =>
        (i % 2 ? tab1 : tab2).storeTokenDataByResourceServer({ [name]: sampleTokenData(name) }),
      ),
    );
    expect(Object.keys(await tab1.getTokenDataByResourceServer()).sort()).toEqual([...names].sort());
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it("reopens after close, and lets another tab delete the database meanwhile", async () => {
    const storage = new IndexedDBTokenStorage({ clientId: uniqueClientId() });
    created.add(storage.dbName);
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    // An open connection must not block deletion: it yields on versionchange.
    await deleteDatabase(storage.dbName);
    expect(await storage.getTokenData("a")).toBeNull();
    await storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") });
    await storage.close();
    expect(await storage.getTokenData("b")).toEqual(sampleTokenData("b"));
    await storage.close();
  });

  it("adds its object store to an existing database that lacks it", async () => {
    const storage = new IndexedDBTokenStorage({ clientId: uniqueClientId() });
    created.add(storage.dbName);
    const foreign = indexedDB.open(storage.dbName, 3);
    foreign.onupgradeneeded = () => foreign.result.createObjectStore("other");
    (await promisifyRequest(foreign)).close();
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
    await storage.close();
  });

  describe("when IndexedDB cannot be used", () => {
    const expectOpenError = async (storage: IndexedDBTokenStorage, fragment: string) => {
      const error = await storage.open().catch((e: unknown) => e);
      expect(isTokenStorageError(error)).toBe(true);
      expect((error as Error).message).toContain(storage.dbName);
      expect((error as Error).message).toContain(fragment);
      const again = await storage.getTokenDataByResourceServer().catch((e: unknown) => e);
      expect(isTokenStorageError(again)).toBe(true);
    };

    it("reports an open that throws, with the cause", async () => {
      const cause = new DOMException("denied", "SecurityError");
      const factory = {
        open: () => {
          throw cause;
        },
      } as unknown as IDBFactory;
      const storage = new IndexedDBTokenStorage({ clientId: "x", indexedDB: factory });
      await expectOpenError(storage, "SecurityError");
      expect(((await storage.open().catch((e: unknown) => e)) as Error).cause).toBe(cause);
    });

    it("reports an open that fails (private mode)", async () => {
      const factory = {
        open: () => {
          const request = { error: new DOMException("private", "InvalidStateError") } as Record<
            string,
            unknown
          >;
          setTimeout(() => (request.onerror as (e: Event) => void)(new Event("error")));
          return request;
        },
      } as unknown as IDBFactory;
      await expectOpenError(
        new IndexedDBTokenStorage({ clientId: "x", indexedDB: factory }),
        "InvalidStateError",
      );
    });

    it("reports an open that never answers", async () => {
      const factory = { open: () => ({}) } as unknown as IDBFactory;
      await expectOpenError(
        new IndexedDBTokenStorage({ clientId: "x", indexedDB: factory, openTimeoutMs: 20 }),
        "did not answer within 20 ms",
      );
    });

    it("reports an upgrade blocked by another tab's connection", async () => {
      const storage = new IndexedDBTokenStorage({ clientId: uniqueClientId() });
      created.add(storage.dbName);
      // An old-fashioned tab: it holds a connection to a database without our store and ignores
      // versionchange, so adding the store is blocked.
      const other = await promisifyRequest(indexedDB.open(storage.dbName, 1));
      const error = await storage.open().catch((e: unknown) => e);
      expect(isTokenStorageError(error)).toBe(true);
      expect((error as Error).message).toContain("another tab");
      other.close();
      await storage.open();
      await storage.close();
    });

    it("reports a full quota on write without the token, with the cause", async () => {
      const quota = new DOMException("Quota exceeded.", "QuotaExceededError");
      const db = {
        objectStoreNames: { contains: () => true },
        transaction: () => ({
          objectStore: () => ({
            put: () => {
              throw quota;
            },
          }),
        }),
        close: () => {},
      };
      const factory = {
        open: () => {
          const request = { result: db } as Record<string, unknown>;
          setTimeout(() => (request.onsuccess as () => void)());
          return request;
        },
      } as unknown as IDBFactory;
      const storage = new IndexedDBTokenStorage({ clientId: "x", indexedDB: factory });
      const error = await storage
        .storeTokenDataByResourceServer({ a: sampleTokenData("a") })
        .catch((e: unknown) => e);
      expect(isTokenStorageError(error)).toBe(true);
      expect((error as Error).message).toContain("quota");
      expect((error as Error).message).toContain("globus-app:x");
      expect((error as Error).cause).toBe(quota);
      expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toMatch(/access-a|refresh-a/);
      await storage.close();
    });

    it("feature-detects the factory", () => {
      expect(isIndexedDBAvailable()).toBe(true);
      expect(isIndexedDBAvailable({} as IDBFactory)).toBe(false);
    });
  });
});
