import { Scope } from "@globus-app/core";
import { describe, expect, it } from "vitest";
import { keyedOptions } from "./client-options-key.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const keyOf = (options: Parameters<typeof keyedOptions>[0]) => keyedOptions(options).key;

describe("useGlobusClient's options key", () => {
  it("is equal for equal values in new objects, whatever the order of the keys", () => {
    const fetcher: typeof fetch = (input, init) => fetch(input, init);
    expect(
      keyOf({ baseUrl: "http://127.0.0.1:1/", retryLimit: 0, appScopes: [TRANSFER_ALL], fetch: fetcher }),
    ).toBe(
      keyOf({
        fetch: fetcher,
        appScopes: [new Scope(TRANSFER_ALL)],
        retryLimit: 0,
        baseUrl: "http://127.0.0.1:1/",
      }),
    );
  });

  it("differs for another value, another function (fetch by identity) or other scopes", () => {
    const base = { baseUrl: "http://127.0.0.1:1/" };
    expect(keyOf(base)).not.toBe(keyOf({ baseUrl: "http://127.0.0.1:2/" }));
    expect(keyOf(base)).not.toBe(keyOf({ ...base, timeoutMs: null }));
    expect(keyOf({ fetch: (input, init) => fetch(input, init) })).not.toBe(
      keyOf({ fetch: (input, init) => fetch(input, init) }),
    );
    expect(keyOf({ appScopes: [new Scope(TRANSFER_ALL, { optional: true })] })).not.toBe(
      keyOf({ appScopes: [TRANSFER_ALL] }),
    );
  });

  it("reads one-shot scope iterables once and hands the client the list", () => {
    function* scopes() {
      yield TRANSFER_ALL;
      yield "openid";
    }
    const keyed = keyedOptions({ appScopes: scopes() });
    expect(keyed.options.appScopes).toEqual([TRANSFER_ALL, "openid"]);
    expect(keyed.key).toBe(keyOf({ appScopes: [TRANSFER_ALL, "openid"] }));
  });
});
