import { describe, expect, it } from "vitest";
import { isTokenStorageError } from "../errors/token-storage-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import {
  assertStorableTokenData,
  parseTokenStorageData,
  type TokenStorageData,
  tokenStorageDataToJSON,
} from "./token-storage-data.ts";

const record: TokenStorageData = {
  resource_server: "transfer.api.globus.org",
  identity_id: null,
  scope: "s",
  access_token: "a",
  refresh_token: null,
  expires_at_seconds: 1_900_000_000,
  token_type: null,
};

describe("tokenStorageDataToJSON", () => {
  it("keeps extra keys named like Object.prototype members (fuzz counterexample: valueOf)", () => {
    const read = parseTokenStorageData({ ...record, valueOf: "", toString: 1, hasOwnProperty: [] }, "x");
    expect(read.extra).toEqual({ valueOf: "", toString: 1, hasOwnProperty: [] });
    const json = tokenStorageDataToJSON(read);
    expect(json).toMatchObject({ valueOf: "", toString: 1, hasOwnProperty: [] });
    expect(parseTokenStorageData(json, "x")).toEqual(read);
  });

  it("leaves out an extra __proto__ key (reads drop it too), never touching the prototype", () => {
    const json = tokenStorageDataToJSON({ ...record, extra: JSON.parse('{"__proto__":{"polluted":true}}') });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.hasOwn(json, "__proto__")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("known fields win over same-named extra keys", () => {
    expect(tokenStorageDataToJSON({ ...record, extra: { scope: "other", x: 1 } })).toMatchObject({
      scope: "s",
      x: 1,
    });
  });

  it("never writes an extra key named like a known field, even where the known field is null", () => {
    // A record without a refresh token or identity must not read back with the ones in `extra`.
    const planted = {
      ...record,
      extra: {
        access_token: "planted",
        refresh_token: "planted",
        identity_id: "planted",
        token_type: "x",
        y: 2,
      },
    };
    const json = tokenStorageDataToJSON(planted);
    expect(json).toEqual({
      resource_server: "transfer.api.globus.org",
      scope: "s",
      access_token: "a",
      expires_at_seconds: 1_900_000_000,
      y: 2,
    });
    expect(parseTokenStorageData(json, "x")).toEqual({ ...record, extra: { y: 2 } });
  });
});

describe("tokenStorageDataToJSON writes what the Python SDK writes", () => {
  it("omits null and missing fields and writes the expiry in whole seconds", () => {
    const json = tokenStorageDataToJSON({
      ...record,
      token_type: undefined as unknown as null,
      expires_at_seconds: 1_900_000_000.75,
    });
    expect(Object.keys(json)).toEqual(["resource_server", "scope", "access_token", "expires_at_seconds"]);
    expect(json.expires_at_seconds).toBe(1_900_000_000);
    const full = tokenStorageDataToJSON({
      ...record,
      identity_id: "i",
      refresh_token: "r",
      token_type: "Bearer",
    });
    expect(Object.keys(full)).toEqual([
      "resource_server",
      "identity_id",
      "scope",
      "access_token",
      "refresh_token",
      "expires_at_seconds",
      "token_type",
    ]);
  });
});

describe("parseTokenStorageData", () => {
  const failure = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (error) {
      return error as Error;
    }
    throw new Error("the record was accepted");
  };

  it("refuses a record filed under another resource server, naming where it was read", () => {
    expect(parseTokenStorageData(record, "storage", "transfer.api.globus.org")).toEqual(record);
    const error = failure(() => parseTokenStorageData(record, "storage", "groups.api.globus.org"));
    expect(isTokenStorageError(error)).toBe(true);
    expect(error).toMatchObject({
      message:
        "Invalid token data in storage: 'resource_server' is not the resource server it is stored under",
      location: "storage",
    });
  });

  it("refuses an infinite expiry (IndexedDB can hold one; Python could not read it)", () => {
    for (const expiry of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = failure(() => parseTokenStorageData({ ...record, expires_at_seconds: expiry }, "db"));
      expect(isTokenStorageError(error)).toBe(true);
      expect(error.message).toBe("Invalid token data in db: 'expires_at_seconds' is invalid");
    }
  });

  it("keeps unknown keys in extra, but never __proto__, prototype or constructor", () => {
    const read = parseTokenStorageData(
      JSON.parse(
        '{"resource_server": "transfer.api.globus.org", "scope": "s", "access_token": "a", "expires_at_seconds": 1900000000, "__proto__": {"polluted": true}, "prototype": 1, "constructor": 2, "kept": 3}',
      ),
      "file",
    );
    expect(read).toEqual({ ...record, extra: { kept: 3 } });
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.hasOwn(read.extra ?? {}, "constructor")).toBe(false);
  });
});

describe("assertStorableTokenData", () => {
  it("refuses what is not a record, naming the resource server it was given for", () => {
    for (const bad of ["a string", 42, null, undefined]) {
      const error = (() => {
        try {
          assertStorableTokenData({ "transfer.api.globus.org": bad as unknown as TokenStorageData });
        } catch (e) {
          return e as Error;
        }
        throw new Error("accepted");
      })();
      expect(isGlobusSDKUsageError(error)).toBe(true);
      expect(error.message).toBe(
        "Cannot store the tokens of 'transfer.api.globus.org': it is not a token record.",
      );
    }
  });

  it("refuses a record that would not read back, or sits under another resource server", () => {
    expect(() => assertStorableTokenData({ "transfer.api.globus.org": record })).not.toThrow();
    expect(() => assertStorableTokenData({ "groups.api.globus.org": record })).toThrow(
      "Cannot store the tokens of 'groups.api.globus.org': 'resource_server' is not the resource server it is stored under.",
    );
    expect(() =>
      assertStorableTokenData({ "transfer.api.globus.org": { ...record, expires_at_seconds: Number.NaN } }),
    ).toThrow("Cannot store the tokens of 'transfer.api.globus.org': 'expires_at_seconds' must be a number.");
  });
});
