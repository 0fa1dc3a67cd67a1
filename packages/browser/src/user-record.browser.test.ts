import { type GlobusUser, toGlobusUser } from "@globus-app/core";
import { sampleTokenData } from "@globus-app/core/testing";
import { describe, expect, it } from "vitest";
import { IndexedDBTokenStorage } from "./indexed-db-token-storage.ts";
import { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";

const USER: GlobusUser = {
  sub: "6a1d1e33-1c25-4a2b-9f0e-3a7c1d2b0001",
  name: "Ada <Lovelace>",
  preferred_username: "ada@example.org",
  identity_set: [{ sub: "6a1d1e33-1c25-4a2b-9f0e-3a7c1d2b0001", username: "ada@example.org" }],
};

describe("the signed-in person's record beside the tokens", () => {
  for (const [name, create] of [
    ["IndexedDB", (clientId: string) => new IndexedDBTokenStorage({ clientId })],
    ["localStorage", (clientId: string) => new LocalStorageTokenStorage({ clientId })],
  ] as const) {
    it(`${name}: round-trips, is never read as a token record, and is removed by null`, async () => {
      const storage = create(`user-${crypto.randomUUID()}`);
      try {
        expect(await storage.getUserRecord()).toBeNull();
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        await storage.storeUserRecord(USER);
        expect(toGlobusUser(await storage.getUserRecord())).toEqual(USER);
        expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["a"]);
        await storage.storeUserRecord(null);
        expect(await storage.getUserRecord()).toBeNull();
        expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["a"]);
      } finally {
        await storage.close();
      }
    });
  }

  it("toGlobusUser keeps only the known claims of the right types", () => {
    expect(toGlobusUser({ ...USER, access_token: "x", email: 5, identity_set: [null, { sub: 1 }] })).toEqual({
      sub: USER.sub,
      name: USER.name,
      preferred_username: USER.preferred_username,
      identity_set: [],
    });
    expect(toGlobusUser({ name: "no sub" })).toBeNull();
    expect(toGlobusUser("text")).toBeNull();
  });
});
