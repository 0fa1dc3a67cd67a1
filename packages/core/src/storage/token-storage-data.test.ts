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
});
