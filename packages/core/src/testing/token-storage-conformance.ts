import { describe, expect, it } from "vitest";
import { isTokenStorageError } from "../errors/token-storage-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { tokenResponseFromBody } from "../storage/token-response.ts";
import type { TokenStorage } from "../storage/token-storage.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";

/** One fresh backing store (an empty file, database, IndexedDB database, map) for one test. */
export interface TokenStorageFixture {
  /** Opens a storage over this fixture's backing store in `namespace`. */
  create(namespace: string): Promise<TokenStorage> | TokenStorage;
  /**
   * Makes the backing store hold invalid data (bad JSON, wrong types) so that the next read of
   * `namespace` must fail with a `TokenStorageError`. Omit for storages that cannot hold bad data.
   */
  corrupt?(namespace: string): Promise<void>;
  /** Removes what the fixture created. */
  cleanup?(): Promise<void>;
}

/** What the conformance suite needs from a storage implementation. */
export interface TokenStorageHarness {
  /** Creates an empty, isolated backing store for one test. */
  setup(): Promise<TokenStorageFixture> | TokenStorageFixture;
}

/** A valid record for tests, with overridable fields. */
export function sampleTokenData(
  resourceServer: string,
  overrides: Partial<TokenStorageData> = {},
): TokenStorageData {
  return {
    resource_server: resourceServer,
    identity_id: "ae341a98-d274-11e5-b888-dbae3a8ba545",
    scope: `urn:globus:auth:scope:${resourceServer}:all`,
    access_token: `access-${resourceServer}`,
    refresh_token: `refresh-${resourceServer}`,
    expires_at_seconds: 1_900_000_000,
    token_type: "Bearer",
    ...overrides,
  };
}

async function withFixture(
  harness: TokenStorageHarness,
  body: (fixture: TokenStorageFixture, opened: TokenStorage[]) => Promise<void>,
): Promise<void> {
  const fixture = await harness.setup();
  const opened: TokenStorage[] = [];
  const tracked: TokenStorageFixture = {
    ...fixture,
    create: async (namespace) => {
      const storage = await fixture.create(namespace);
      opened.push(storage);
      return storage;
    },
  };
  try {
    await body(tracked, opened);
  } finally {
    for (const storage of opened) await storage.close();
    await fixture.cleanup?.();
  }
}

/**
 * The token storage contract, as a vitest suite. Every storage of the project (memory, JSON, SQLite,
 * IndexedDB, localStorage) runs it, so they behave the same way behind `TokenStorage`.
 *
 * @example
 * ```ts
 * describeTokenStorageConformance("MemoryTokenStorage", {
 *   setup: () => { const backing = new Map(); return { create: (namespace) => new MemoryTokenStorage({ namespace, backing }) }; },
 * });
 * ```
 */
export function describeTokenStorageConformance(label: string, harness: TokenStorageHarness): void {
  const run = (body: (fixture: TokenStorageFixture, opened: TokenStorage[]) => Promise<void>) => () =>
    withFixture(harness, body);

  describe(`${label} (TokenStorage conformance)`, () => {
    it(
      "round-trips records by resource server, extra keys included",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        expect(storage.namespace).toBe("DEFAULT");
        const auth = sampleTokenData("auth.globus.org", { refresh_token: null, extra: { custom: { a: 1 } } });
        const transfer = sampleTokenData("transfer.api.globus.org");
        await storage.storeTokenDataByResourceServer({
          [auth.resource_server]: auth,
          [transfer.resource_server]: transfer,
        });
        expect(await storage.getTokenData("auth.globus.org")).toEqual(auth);
        expect(await storage.getTokenData("transfer.api.globus.org")).toEqual(transfer);
        expect(await storage.getTokenDataByResourceServer()).toEqual({
          "auth.globus.org": auth,
          "transfer.api.globus.org": transfer,
        });
      }),
    );

    it(
      "replaces a resource server's record and leaves the others alone",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        await storage.storeTokenDataByResourceServer({
          a: sampleTokenData("a"),
          b: sampleTokenData("b"),
        });
        const renewed = sampleTokenData("a", {
          access_token: "new-access",
          expires_at_seconds: 1_950_000_000,
        });
        await storage.storeTokenDataByResourceServer({ a: renewed });
        expect(await storage.getTokenData("a")).toEqual(renewed);
        expect(await storage.getTokenData("b")).toEqual(sampleTokenData("b"));
      }),
    );

    it(
      "returns copies that callers cannot use to change what is stored",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        const read = await storage.getTokenData("a");
        if (read) read.access_token = "mutated";
        expect((await storage.getTokenData("a"))?.access_token).toBe("access-a");
      }),
    );

    it(
      "answers null for an unknown resource server and {} when empty",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        expect(await storage.getTokenData("nope.example.org")).toBeNull();
        expect(await storage.getTokenDataByResourceServer()).toEqual({});
      }),
    );

    it(
      "removes a record and reports whether it removed something",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a"), b: sampleTokenData("b") });
        expect(await storage.removeTokenData("a")).toBe(true);
        expect(await storage.removeTokenData("a")).toBe(false);
        expect(await storage.removeTokenData("never-stored")).toBe(false);
        expect(await storage.getTokenData("a")).toBeNull();
        expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["b"]);
      }),
    );

    it(
      "keeps namespaces of one backing store isolated",
      run(async ({ create }) => {
        const one = await create("DEFAULT");
        const two = await create("other-app");
        expect(two.namespace).toBe("other-app");
        await one.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        await two.storeTokenDataByResourceServer({ a: sampleTokenData("a", { access_token: "two" }) });
        expect((await one.getTokenData("a"))?.access_token).toBe("access-a");
        expect((await two.getTokenData("a"))?.access_token).toBe("two");
        expect(await two.removeTokenData("a")).toBe(true);
        expect(await one.getTokenData("a")).not.toBeNull();
        expect(await two.getTokenDataByResourceServer()).toEqual({});
      }),
    );

    it(
      "holds many resource servers",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        const many = Object.fromEntries(
          Array.from({ length: 100 }, (_, i) => [
            `rs-${i}.example.org`,
            sampleTokenData(`rs-${i}.example.org`),
          ]),
        );
        await storage.storeTokenDataByResourceServer(many);
        const all = await storage.getTokenDataByResourceServer();
        expect(Object.keys(all).sort()).toEqual(Object.keys(many).sort());
        expect(all["rs-42.example.org"]).toEqual(many["rs-42.example.org"]);
      }),
    );

    it(
      "loses nothing when one process stores concurrently",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        const names = Array.from({ length: 40 }, (_, i) => `concurrent-${i}`);
        await Promise.all(
          names.map((name) => storage.storeTokenDataByResourceServer({ [name]: sampleTokenData(name) })),
        );
        const all = await storage.getTokenDataByResourceServer();
        expect(Object.keys(all).sort()).toEqual([...names].sort());
      }),
    );

    it(
      "stores a token response and keeps the stored identity for refresh responses",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        const identity = "c8aad43e-d274-11e5-bf98-8b02896cf782";
        const body = {
          access_token: "auth-at",
          scope: "openid profile email",
          expires_in: 172800,
          token_type: "Bearer",
          resource_server: "auth.globus.org",
          refresh_token: "auth-rt",
          other_tokens: [
            {
              access_token: "transfer-at",
              scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
              expires_in: 172800,
              token_type: "Bearer",
              resource_server: "transfer.api.globus.org",
              refresh_token: "transfer-rt",
            },
          ],
        };
        await storage.storeTokenResponse(
          tokenResponseFromBody(body, {
            grantType: "authorization_code",
            receivedAtSeconds: 1_800_000_000,
            identityId: identity,
          }),
        );
        const transfer = await storage.getTokenData("transfer.api.globus.org");
        expect(transfer).toEqual({
          resource_server: "transfer.api.globus.org",
          identity_id: identity,
          scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
          access_token: "transfer-at",
          refresh_token: "transfer-rt",
          expires_at_seconds: 1_800_172_800,
          token_type: "Bearer",
        });
        const refreshed = {
          access_token: "transfer-at-2",
          scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
          expires_in: 172800,
          token_type: "Bearer",
          resource_server: "transfer.api.globus.org",
          refresh_token: "transfer-rt",
          other_tokens: [],
        };
        await storage.storeTokenResponse(
          tokenResponseFromBody(refreshed, { grantType: "refresh_token", receivedAtSeconds: 1_800_100_000 }),
        );
        const after = await storage.getTokenData("transfer.api.globus.org");
        expect(after?.access_token).toBe("transfer-at-2");
        expect(after?.identity_id).toBe(identity);
        expect(after?.expires_at_seconds).toBe(1_800_272_800);
        expect((await storage.getTokenData("auth.globus.org"))?.access_token).toBe("auth-at");
      }),
    );

    it(
      "reports bad stored data as a TokenStorageError without leaking tokens",
      run(async (fixture) => {
        if (!fixture.corrupt) return;
        const storage = await fixture.create("DEFAULT");
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        await fixture.corrupt("DEFAULT");
        const error = await storage.getTokenDataByResourceServer().then(
          () => null,
          (e: unknown) => e,
        );
        expect(isTokenStorageError(error)).toBe(true);
        const text = `${(error as Error).message} ${JSON.stringify(error)}`;
        expect(text).not.toContain("access-a");
        expect(text).not.toContain("refresh-a");
      }),
    );

    it(
      "refuses a record that would not read back, before writing anything, and keeps what was stored",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        const stored = { a: sampleTokenData("a"), b: sampleTokenData("b") };
        await storage.storeTokenDataByResourceServer(stored);
        const bad: Array<Record<string, TokenStorageData>> = [
          // JSON writes NaN as null and drops undefined: the file would be unreadable afterwards.
          { a: sampleTokenData("a", { expires_at_seconds: Number.NaN }) },
          { a: sampleTokenData("a", { access_token: undefined as unknown as string }) },
          { c: sampleTokenData("c"), a: sampleTokenData("elsewhere") },
          { c: null as unknown as TokenStorageData },
        ];
        for (const data of bad) {
          const error = await storage.storeTokenDataByResourceServer(data).then(
            () => null,
            (e: unknown) => e,
          );
          expect(isGlobusSDKUsageError(error), String(error)).toBe(true);
          expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain("access-");
        }
        // All or nothing: the valid record of a refused call was not written either.
        expect(await storage.getTokenDataByResourceServer()).toEqual(stored);
        await storage.storeTokenDataByResourceServer({ c: sampleTokenData("c") });
        expect(await storage.removeTokenData("a")).toBe(true);
        expect(await storage.getTokenData("b")).toEqual(stored.b);
      }),
    );

    it(
      "removeUnreadable, where implemented, leaves readable data alone and makes bad data go away",
      run(async (fixture) => {
        const storage = await fixture.create("DEFAULT");
        if (!storage.removeUnreadable) return;
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        await storage.removeUnreadable();
        expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
        if (!fixture.corrupt) return;
        await fixture.corrupt("DEFAULT");
        const error = await storage.getTokenDataByResourceServer().then(
          () => null,
          (e: unknown) => e,
        );
        expect(isTokenStorageError(error)).toBe(true);
        await storage.removeUnreadable();
        expect(await storage.getTokenDataByResourceServer()).toEqual({});
        await storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") });
        expect(await storage.getTokenDataByResourceServer()).toEqual({ b: sampleTokenData("b") });
      }),
    );

    it(
      "closes idempotently",
      run(async ({ create }) => {
        const storage = await create("DEFAULT");
        await storage.close();
        await storage.close();
      }),
    );
  });
}
