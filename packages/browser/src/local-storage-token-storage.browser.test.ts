import { isTokenStorageError, tokenStorageDataToJSON } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";

/** A Storage over a Map, whose setItem can be told to fail. */
class FakeStorage implements Storage {
  readonly map = new Map<string, string>();
  failSetItem: ((key: string) => Error | undefined) | undefined;
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    const error = this.failSetItem?.(key);
    if (error) throw error;
    this.map.set(key, value);
  }
}

// Unique per run: other test files of the origin may use localStorage at the same time.
const CLIENT = `ls-test-${crypto.randomUUID()}`;

const FOREIGN: Record<string, string> = {
  [`other-app:${CLIENT}`]: "keep me",
  [`unrelated-${CLIENT}`]: "{not json",
  // Same client, other namespace / environment: owned by other storages.
  [`globus-app:${CLIENT}:production:DEFAULT2:a`]: "{}",
  [`globus-app:${CLIENT}:sandbox:DEFAULT:a`]: "{}",
  [`globus-app:${CLIENT}:production:DEFAULT`]: "no trailing colon",
};

function seedForeign(): void {
  for (const [key, value] of Object.entries(FOREIGN)) localStorage.setItem(key, value);
}

function expectForeignIntact(): void {
  for (const [key, value] of Object.entries(FOREIGN)) expect(localStorage.getItem(key)).toBe(value);
}

// Only this file's keys are removed: the test runner's page may keep its own.
function removeTestKeys(): void {
  for (const area of [localStorage, sessionStorage]) {
    const keys = Array.from({ length: area.length }, (_, i) => area.key(i));
    for (const key of keys)
      if (key && (key.startsWith("globus-app:") || key in FOREIGN)) area.removeItem(key);
  }
}

beforeEach(removeTestKeys);
afterEach(removeTestKeys);

describeTokenStorageConformance("LocalStorageTokenStorage over localStorage", {
  setup: () => {
    const clientId = `${CLIENT}-${crypto.randomUUID()}`;
    return {
      create: (namespace) => new LocalStorageTokenStorage({ clientId, namespace }),
      corrupt: async (namespace) => {
        const prefix = new LocalStorageTokenStorage({ clientId, namespace }).keyPrefix;
        localStorage.setItem(`${prefix}a`, '{"access_token": "access-a", "refresh_token": "refresh-a", ');
      },
      cleanup: async () => removeTestKeys(),
    };
  },
});

describeTokenStorageConformance("LocalStorageTokenStorage over an injected Storage", {
  setup: () => {
    const storage = new FakeStorage();
    return {
      create: (namespace) => new LocalStorageTokenStorage({ clientId: CLIENT, namespace, storage }),
      corrupt: async (namespace) => {
        const prefix = new LocalStorageTokenStorage({ clientId: CLIENT, namespace }).keyPrefix;
        storage.map.set(
          `${prefix}a`,
          JSON.stringify({ ...sampleTokenData("a"), access_token: ["access-a"] }),
        );
      },
    };
  },
});

describe("LocalStorageTokenStorage", () => {
  it("keys records by client id, environment, namespace and resource server", async () => {
    const storage = new LocalStorageTokenStorage({
      clientId: CLIENT,
      environment: "sandbox",
      namespace: "my:app",
    });
    expect(storage.keyPrefix).toBe(`globus-app:${CLIENT}:sandbox:my%3Aapp:`);
    const record = sampleTokenData("transfer.api.globus.org", { refresh_token: null });
    await storage.storeTokenDataByResourceServer({ [record.resource_server]: record });
    expect(
      JSON.parse(localStorage.getItem(`globus-app:${CLIENT}:sandbox:my%3Aapp:transfer.api.globus.org`) ?? ""),
    ).toEqual(tokenStorageDataToJSON(record));
  });

  it("builds from a GlobusApp context", () => {
    const storage = LocalStorageTokenStorage.forGlobusApp({ clientId: "c", namespace: "n" });
    expect(storage.keyPrefix).toBe("globus-app:c:production:n:");
  });

  it("never reads, returns, changes or removes a key it does not own", async () => {
    seedForeign();
    const storage = new LocalStorageTokenStorage({ clientId: CLIENT });
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(await storage.getTokenData("a")).toBeNull();
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a"), b: sampleTokenData("b") });
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual(["a", "b"]);
    expect(await storage.removeTokenData("a")).toBe(true);
    expect(await storage.removeTokenData(`unrelated-${CLIENT}`)).toBe(false);
    expect(await storage.removeTokenData(`other-app:${CLIENT}`)).toBe(false);
    expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["b"]);
    expectForeignIntact();
    const ours = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((key) =>
      key?.startsWith(storage.keyPrefix),
    );
    expect(ours).toEqual([`${storage.keyPrefix}b`]);
  });

  it("keeps a namespace that another namespace's name starts with apart", async () => {
    const a = new LocalStorageTokenStorage({ clientId: CLIENT, namespace: "a" });
    const ab = new LocalStorageTokenStorage({ clientId: CLIENT, namespace: "a:b" });
    await ab.storeTokenDataByResourceServer({ rs: sampleTokenData("rs") });
    expect(await a.getTokenDataByResourceServer()).toEqual({});
    await a.storeTokenDataByResourceServer({ "b:rs": sampleTokenData("b:rs") });
    expect(Object.keys(await ab.getTokenDataByResourceServer())).toEqual(["rs"]);
    expect(Object.keys(await a.getTokenDataByResourceServer())).toEqual(["b:rs"]);
  });

  it("reports bad JSON without quoting it", async () => {
    const storage = new LocalStorageTokenStorage({ clientId: CLIENT });
    localStorage.setItem(`${storage.keyPrefix}a`, "access-a refresh-a");
    const error = await storage.getTokenData("a").catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain(`${storage.keyPrefix}a`);
    expect((error as Error).cause).toBeUndefined();
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain("access-a");
  });

  it("turns a full quota into a TokenStorageError and leaves the stored data as it was", async () => {
    const storage = new FakeStorage();
    const tokens = new LocalStorageTokenStorage({ clientId: CLIENT, storage });
    await tokens.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    const quota = new DOMException("Setting the value exceeded the quota.", "QuotaExceededError");
    storage.failSetItem = (key) => (key.endsWith(":b") ? quota : undefined);
    const renewed = sampleTokenData("a", { access_token: "access-a-2" });
    const error = await tokens
      .storeTokenDataByResourceServer({ a: renewed, b: sampleTokenData("b") })
      .catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain("quota");
    expect((error as Error).cause).toBe(quota);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toMatch(
      /access-a|refresh-a|access-b|refresh-b/,
    );
    storage.failSetItem = undefined;
    expect(await tokens.getTokenDataByResourceServer()).toEqual({ a: sampleTokenData("a") });
  });

  it("turns the real localStorage quota error into a TokenStorageError", async () => {
    const storage = new LocalStorageTokenStorage({ clientId: CLIENT });
    const big = "x".repeat(1024 * 1024);
    const error = await storage
      .storeTokenDataByResourceServer(
        Object.fromEntries(
          Array.from({ length: 12 }, (_, i) => [
            `rs-${i}`,
            sampleTokenData(`rs-${i}`, { extra: { padding: big } }),
          ]),
        ),
      )
      .catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain("quota");
    expect(((error as Error).cause as DOMException).name).toBe("QuotaExceededError");
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain("access-rs");
    // Rolled back: nothing half-written.
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
  });

  it("reports a blocked storage area on use, not on construction", async () => {
    const blocked = new LocalStorageTokenStorage({
      clientId: CLIENT,
      storage: new Proxy({} as Storage, {
        get() {
          throw new DOMException("Access is denied for this document.", "SecurityError");
        },
      }),
    });
    const error = await blocked.getTokenData("a").catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
  });

  it("runs over sessionStorage", async () => {
    const storage = new LocalStorageTokenStorage({ clientId: CLIENT, storage: sessionStorage });
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(sessionStorage.getItem(`${storage.keyPrefix}a`)).not.toBeNull();
    expect(localStorage.getItem(`${storage.keyPrefix}a`)).toBeNull();
    expect(await storage.removeTokenData("a")).toBe(true);
  });
});
