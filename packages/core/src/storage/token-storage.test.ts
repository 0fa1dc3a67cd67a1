import { describe, expect, it } from "vitest";
import { BaseTokenStorage } from "./token-storage.ts";
import type { TokenStorageData } from "./token-storage-data.ts";

/** Only the primitives, so getTokenData is BaseTokenStorage's (as in JSONTokenStorage). */
class PlainRecordStorage extends BaseTokenStorage {
  constructor(readonly records: Record<string, TokenStorageData>) {
    super();
  }
  async storeTokenDataByResourceServer(): Promise<void> {}
  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    return { ...this.records };
  }
  async removeTokenData(): Promise<boolean> {
    return false;
  }
}

describe("BaseTokenStorage.getTokenData", () => {
  it("finds nothing under a name Object.prototype has (fuzz counterexample: 'constructor')", async () => {
    const storage = new PlainRecordStorage({});
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      expect(await storage.getTokenData(name)).toBeNull();
    }
  });

  it("still finds a record stored under such a name", async () => {
    const record: TokenStorageData = {
      resource_server: "toString",
      identity_id: null,
      scope: "s",
      access_token: "a",
      refresh_token: null,
      expires_at_seconds: 1,
      token_type: null,
    };
    expect(await new PlainRecordStorage({ toString: record }).getTokenData("toString")).toEqual(record);
  });
});
