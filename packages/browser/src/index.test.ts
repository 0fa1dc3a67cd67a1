import { isTokenStorageError } from "@globus-app/core";
import { sampleTokenData } from "@globus-app/core/testing";
import { describe, expect, it } from "vitest";
import { PUBLIC_EXPORTS } from "../test-support/public-exports.ts";

// Node has no IndexedDB, localStorage or (in Node 20) navigator: importing must still work, and
// each piece must fail or degrade only when used.
describe("@globus-app/browser in Node", () => {
  it("imports without touching browser globals", async () => {
    const module = await import("./index.ts");
    expect(Object.keys(module).sort()).toEqual(PUBLIC_EXPORTS);
  });

  it("reports a missing IndexedDB on use, and the fallback storage switches to memory", async () => {
    const { FallbackTokenStorage, IndexedDBTokenStorage, isIndexedDBAvailable } = await import("./index.ts");
    expect(isIndexedDBAvailable()).toBe(false);
    const direct = new IndexedDBTokenStorage({ clientId: "c" });
    const error = await direct.getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain('IndexedDB database "globus-app:c"');

    const fallbacks: unknown[] = [];
    const storage = FallbackTokenStorage.forGlobusApp({ clientId: "c", namespace: "DEFAULT" });
    storage.onFallback((e) => fallbacks.push(e));
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
    expect(fallbacks).toEqual([storage.fallbackError]);
  });

  it("reports a missing localStorage on use", async () => {
    const { LocalStorageTokenStorage } = await import("./index.ts");
    const storage = new LocalStorageTokenStorage({ clientId: "c" });
    const error = await storage.getTokenData("a").catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain("not available");
  });

  it("locks within the realm when Web Locks are missing", async () => {
    const { isWebLocksAvailable, withWebLock } = await import("./index.ts");
    expect(isWebLocksAvailable()).toBe(false);
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = withWebLock("k", async () => {
      await held;
      events.push("first");
      return 1;
    });
    const controller = new AbortController();
    const aborted = withWebLock("k", async () => events.push("aborted"), { signal: controller.signal });
    const third = withWebLock("k", async () => {
      events.push("third");
      throw new Error("third failed");
    });
    const fourth = withWebLock("k", async () => events.push("fourth"));
    const free = await withWebLock("other", async () => "free");
    controller.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    expect(free).toBe("free");
    expect(events).toEqual([]);
    release();
    expect(await first).toBe(1);
    await expect(third).rejects.toThrow("third failed");
    await fourth;
    expect(events).toEqual(["first", "third", "fourth"]);
    await expect(
      withWebLock("k", async () => 0, { signal: AbortSignal.abort(new Error("early")) }),
    ).rejects.toThrow("early");
  });

  it("passes cross-tab events over Node's BroadcastChannel too", async () => {
    const { CrossTabChannel } = await import("./index.ts");
    const a = new CrossTabChannel("node-test");
    const b = new CrossTabChannel("node-test");
    const got = new Promise((resolve) => b.subscribe(resolve));
    a.post({ type: "tokensChanged", resourceServers: ["x"] });
    expect(await got).toEqual({ type: "tokensChanged", resourceServers: ["x"], senderId: a.senderId });
    a.close();
    b.close();
  });
});
