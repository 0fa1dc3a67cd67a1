import { describe, expect, it } from "vitest";
import {
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
      extra: { access_token: "planted", refresh_token: "planted", identity_id: "planted", token_type: "x", y: 2 },
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
