import { isGlobusSDKUsageError, isTokenStorageError } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLockTimeout, expectOneHolderAtATime } from "../test-support/lock-checks.ts";
import { testRedis, uniqueName } from "../test-support/test-servers.ts";
import { RedisTokenStorage } from "./redis-token-storage.ts";

const server = testRedis();

if (server.url === undefined) {
  it.skip(`RedisTokenStorage: ${server.skip}`, () => undefined);
} else {
  const url = server.url;
  const admin = new Redis(url);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
    }
    await admin.quit();
  });
  const newPrefix = () => {
    const prefix = `${uniqueName("test")}:`;
    prefixes.push(prefix);
    return prefix;
  };

  describeTokenStorageConformance("RedisTokenStorage", {
    setup: () => {
      const keyPrefix = newPrefix();
      const root = new RedisTokenStorage({ url, keyPrefix });
      return {
        create: (namespace) => root.forNamespace(namespace),
        corrupt: async (namespace) => {
          const key = `${keyPrefix}tokens:${namespace}`;
          for (const field of await admin.hkeys(key)) await admin.hset(key, field, '{"access_token": 5');
        },
        cleanup: () => root.close(),
      };
    },
  });

  describe("RedisTokenStorage", () => {
    let keyPrefix: string;
    let root: RedisTokenStorage;
    beforeAll(() => {
      keyPrefix = newPrefix();
      root = new RedisTokenStorage({ url, keyPrefix });
    });
    afterAll(() => root.close());

    it("keeps one hash per person and indexes the namespaces", async () => {
      const ada = root.forNamespace("ada-identity");
      await ada.storeTokenDataByResourceServer({ a: sampleTokenData("a", { refresh_token: null }) });
      expect(await admin.hgetall(`${keyPrefix}tokens:ada-identity`)).toEqual({
        a: '{"resource_server":"a","identity_id":"ae341a98-d274-11e5-b888-dbae3a8ba545","scope":"urn:globus:auth:scope:a:all","access_token":"access-a","expires_at_seconds":1900000000,"token_type":"Bearer"}',
      });
      const namespaces = async () => {
        const out: string[] = [];
        for await (const namespace of root.iterNamespaces()) out.push(namespace);
        return out;
      };
      expect(await namespaces()).toEqual(["ada-identity"]);
      await ada.removeTokenData("a");
      expect(await namespaces()).toEqual([]);
      expect(await admin.exists(`${keyPrefix}tokens:ada-identity`)).toBe(0);
    });

    it("excludes holders of one lock across separate connections (as across machines)", async () => {
      const others = [1, 2, 3].map(() => new RedisTokenStorage({ url, keyPrefix, namespace: "lock-test" }));
      await expectOneHolderAtATime(others);
      await Promise.all(others.map((s) => s.close()));
    });

    it("keeps a lock while its holder runs longer than the lock's lifetime", async () => {
      const one = new RedisTokenStorage({ url, keyPrefix, namespace: "long", lockTtlMs: 90 });
      const two = new RedisTokenStorage({ url, keyPrefix, namespace: "long", lockTtlMs: 90 });
      const events: string[] = [];
      const first = one.withLock("k", async () => {
        events.push("one:start");
        await new Promise((resolve) => setTimeout(resolve, 300));
        await one.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        events.push("one:end");
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await two.withLock("k", async () => {
        events.push("two");
      });
      await first;
      expect(events).toEqual(["one:start", "one:end", "two"]);
      await Promise.all([one.close(), two.close()]);
    });

    it("refuses the writes of a holder whose lock expired and was taken (fencing)", async () => {
      const stalled = new RedisTokenStorage({ url, keyPrefix, namespace: "fenced", lockTtlMs: 60 });
      const next = new RedisTokenStorage({ url, keyPrefix, namespace: "fenced", lockTtlMs: 60 });
      const lockKey = `${keyPrefix}lock:fenced\0k`;
      const error = await stalled
        .withLock("k", async () => {
          // As if this process froze: its lock disappears and another replica takes it.
          await admin.del(lockKey);
          await next.withLock("k", () =>
            next.storeTokenDataByResourceServer({ a: sampleTokenData("a", { access_token: "fresh" }) }),
          );
          await stalled.storeTokenDataByResourceServer({
            a: sampleTokenData("a", { access_token: "stale" }),
          });
        })
        .catch((e: unknown) => e);
      expect(isTokenStorageError(error)).toBe(true);
      expect((error as Error).message).toMatch(/lock expired and another process took it/);
      expect((await next.getTokenData("a"))?.access_token).toBe("fresh");
      await Promise.all([stalled.close(), next.close()]);
    });

    it("times out waiting for a lock held elsewhere, with a TokenStorageError", async () => {
      const holder = new RedisTokenStorage({ url, keyPrefix, namespace: "busy" });
      const waiter = new RedisTokenStorage({ url, keyPrefix, namespace: "busy", lockTimeoutMs: 100 });
      await expectLockTimeout(holder, waiter, 30);
      await Promise.all([holder.close(), waiter.close()]);
    });

    it("refuses bad options and use after close; names the server without credentials", async () => {
      expect(() => new RedisTokenStorage({})).toThrow(/exactly one of url and client/);
      expect(() => new RedisTokenStorage({ url, lockTtlMs: 0 })).toThrow(/lockTtlMs must be a positive/);
      const secret = new RedisTokenStorage({ url: "redis://:hunter2@127.0.0.1:1/0" });
      expect(secret.location).toBe("redis://127.0.0.1:1/0#globus-app:");
      await secret.close();
      const storage = new RedisTokenStorage({ url, keyPrefix });
      await storage.getTokenData("a");
      await storage.close();
      expect(isGlobusSDKUsageError(await storage.getTokenData("a").catch((e: unknown) => e))).toBe(true);
    });
  });
}
