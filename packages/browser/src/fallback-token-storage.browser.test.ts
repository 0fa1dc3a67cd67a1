import {
  isGlobusSDKUsageError,
  isTokenStorageError,
  MemoryTokenStorage,
  type TokenStorage,
  type TokenStorageError,
} from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import { describe, expect, it, vi } from "vitest";
import { FallbackTokenStorage } from "./fallback-token-storage.ts";
import { IndexedDBTokenStorage } from "./indexed-db-token-storage.ts";

/** An IndexedDB factory as a private window might have one: present, but every open fails. */
function failingIndexedDB(): IDBFactory {
  return {
    open: () => {
      const request = {
        error: new DOMException("The user denied permission.", "InvalidStateError"),
      } as Record<string, unknown>;
      setTimeout(() => (request.onerror as (event: Event) => void)(new Event("error")));
      return request;
    },
  } as unknown as IDBFactory;
}

function deleteDatabase(name: string): Promise<unknown> {
  return new Promise((resolve) => {
    indexedDB.deleteDatabase(name).onsuccess = resolve;
  });
}

describeTokenStorageConformance("FallbackTokenStorage over working IndexedDB", {
  setup: () => {
    const clientId = `fallback-${crypto.randomUUID()}`;
    return {
      create: (namespace) =>
        new FallbackTokenStorage({
          namespace,
          primary: () => new IndexedDBTokenStorage({ clientId, namespace }),
        }),
      cleanup: () => deleteDatabase(new IndexedDBTokenStorage({ clientId }).dbName).then(() => undefined),
    };
  },
});

describeTokenStorageConformance("FallbackTokenStorage after falling back", {
  setup: () => {
    const backing = new Map();
    return {
      create: (namespace) =>
        new FallbackTokenStorage({
          namespace,
          primary: () =>
            new IndexedDBTokenStorage({ clientId: "x", namespace, indexedDB: failingIndexedDB() }),
          fallback: () => new MemoryTokenStorage({ namespace, backing }),
        }),
    };
  },
});

describe("FallbackTokenStorage", () => {
  it("keeps the primary when it opens, and never calls onFallback", async () => {
    const clientId = `fallback-${crypto.randomUUID()}`;
    const onFallback = vi.fn();
    const storage = FallbackTokenStorage.forGlobusApp({ clientId, namespace: "DEFAULT" });
    storage.onFallback(onFallback);
    expect(storage.active).toBeUndefined();
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(storage.active).toBeInstanceOf(IndexedDBTokenStorage);
    expect(storage.usingFallback).toBe(false);
    expect(storage.fallbackError).toBeUndefined();
    // The data is really in IndexedDB: another storage of the app sees it.
    const other = new IndexedDBTokenStorage({ clientId });
    expect(await other.getTokenData("a")).toEqual(sampleTokenData("a"));
    await Promise.all([storage.close(), other.close()]);
    expect(onFallback).not.toHaveBeenCalled();
    await deleteDatabase(other.dbName);
  });

  it("switches to memory when IndexedDB cannot be opened, tells every listener once, and keeps working", async () => {
    const option = vi.fn<(error: TokenStorageError) => void>();
    const listener = vi.fn<(error: TokenStorageError) => void>();
    const unsubscribed = vi.fn();
    const storage = new FallbackTokenStorage({
      primary: () => new IndexedDBTokenStorage({ clientId: "x", indexedDB: failingIndexedDB() }),
      onFallback: option,
    });
    storage.onFallback(listener);
    storage.onFallback(unsubscribed)();
    // Concurrent first operations choose once.
    await Promise.all([
      storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") }),
      storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") }),
      storage.getTokenDataByResourceServer(),
    ]);
    expect(storage.usingFallback).toBe(true);
    expect(storage.active).toBeInstanceOf(MemoryTokenStorage);
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual(["a", "b"]);
    expect(await storage.removeTokenData("a")).toBe(true);
    expect(await storage.withLock("k", async () => "locked")).toBe("locked");

    expect(option).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(unsubscribed).not.toHaveBeenCalled();
    const error = listener.mock.calls[0]?.[0];
    expect(error).toBe(storage.fallbackError);
    expect(option.mock.calls[0]?.[0]).toBe(error);
    expect(isTokenStorageError(error)).toBe(true);
    expect(error?.message).toContain("InvalidStateError");
    expect((error?.cause as DOMException | undefined)?.name).toBe("InvalidStateError");

    // A late subscriber still learns it, once.
    const late = vi.fn();
    storage.onFallback(late);
    await Promise.resolve();
    expect(late).toHaveBeenCalledWith(error);
    await storage.getTokenData("b");
    expect(option).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
    await storage.close();
    await storage.close();
  });

  it("falls back when IndexedDB is missing altogether, or the factory throws", async () => {
    const missing = new FallbackTokenStorage({ primary: () => new IndexedDBTokenStorage({ clientId: "x" }) });
    // Hide the global factory for this storage's first operation.
    const original = Object.getOwnPropertyDescriptor(globalThis, "indexedDB");
    Object.defineProperty(globalThis, "indexedDB", { configurable: true, value: undefined });
    try {
      await missing.open();
    } finally {
      if (original) Object.defineProperty(globalThis, "indexedDB", original);
      else Reflect.deleteProperty(globalThis, "indexedDB");
    }
    expect(missing.usingFallback).toBe(true);
    expect(missing.fallbackError?.message).toContain("not available");

    const cause = new TypeError("factory bug");
    const throwing = new FallbackTokenStorage({
      primary: () => {
        throw cause;
      },
    });
    expect(await throwing.getTokenDataByResourceServer()).toEqual({});
    expect(throwing.fallbackError?.cause).toBe(cause);
  });

  it("falls back when opening never answers (open timeout)", async () => {
    const storage = new FallbackTokenStorage({
      primary: () =>
        new IndexedDBTokenStorage({
          clientId: "x",
          indexedDB: { open: () => ({}) } as unknown as IDBFactory,
          openTimeoutMs: 20,
        }),
    });
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(storage.usingFallback).toBe(true);
    expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
  });

  it("does not fall back on errors after a successful open", async () => {
    const clientId = `fallback-${crypto.randomUUID()}`;
    const onFallback = vi.fn();
    const storage = new FallbackTokenStorage({
      primary: () => new IndexedDBTokenStorage({ clientId }),
      onFallback,
    });
    await storage.open();
    const raw = new IndexedDBTokenStorage({ clientId });
    // A non-cloneable value makes the write fail inside IndexedDB.
    const error = await storage
      .storeTokenDataByResourceServer({ a: sampleTokenData("a", { extra: { bad: () => 1 } }) })
      .catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect(storage.usingFallback).toBe(false);
    expect(onFallback).not.toHaveBeenCalled();
    await Promise.all([storage.close(), raw.close()]);
    await deleteDatabase(raw.dbName);
  });

  it("reports usage errors instead of hiding them behind the fallback", async () => {
    const storage = new FallbackTokenStorage({
      namespace: "a",
      primary: () => new MemoryTokenStorage({ namespace: "b" }),
    });
    const error = await storage.open().catch((e: unknown) => e);
    expect(isGlobusSDKUsageError(error)).toBe(true);
    expect(storage.usingFallback).toBe(false);
  });

  it("survives a listener that throws", async () => {
    const reported = vi.fn();
    const original = globalThis.reportError;
    globalThis.reportError = reported;
    try {
      const after = vi.fn();
      const storage = new FallbackTokenStorage({
        primary: () => Promise.reject(new Error("no")),
        onFallback: () => {
          throw new Error("listener bug");
        },
      });
      storage.onFallback(after);
      await storage.open();
      expect(after).toHaveBeenCalledTimes(1);
      expect(reported).toHaveBeenCalledWith(new Error("listener bug"));
    } finally {
      globalThis.reportError = original;
    }
  });

  it("delegates withLock to the active storage", async () => {
    const withLock = vi.fn(async <T>(_key: string, fn: () => Promise<T>) => fn());
    const primary = Object.assign(new MemoryTokenStorage(), { withLock }) as TokenStorage;
    const storage = new FallbackTokenStorage({ primary: () => primary });
    expect(await storage.withLock("k", async () => 7)).toBe(7);
    expect(withLock).toHaveBeenCalledWith("k", expect.any(Function));
  });
});
