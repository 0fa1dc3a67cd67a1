import { describe, expect, it, vi } from "vitest";
import { isIdentityMismatchError, isMissingTokenError } from "../errors/token-validation-errors.ts";
import { sampleTokenData } from "../testing/token-storage-conformance.ts";
import { MemoryTokenStorage } from "./memory-token-storage.ts";
import { NotExpiredValidator, UnchangingIdentityIDValidator } from "./token-data-validators.ts";
import { ValidatingTokenStorage } from "./validating-token-storage.ts";

describe("ValidatingTokenStorage", () => {
  it("reads storage once for the first record (identity included), then once per record", async () => {
    const inner = new MemoryTokenStorage();
    await inner.storeTokenDataByResourceServer({ a: sampleTokenData("a"), b: sampleTokenData("b") });
    const all = vi.spyOn(inner, "getTokenDataByResourceServer");
    const one = vi.spyOn(inner, "getTokenData");
    const storage = new ValidatingTokenStorage(inner, [new NotExpiredValidator()]);
    expect((await storage.getTokenData("a")).access_token).toBe("access-a");
    expect(all.mock.calls.length + one.mock.calls.length).toBe(1);
    expect(await storage.getIdentityId()).toBe(sampleTokenData("a").identity_id);
    await storage.getTokenData("b");
    expect(all.mock.calls.length + one.mock.calls.length).toBe(2);
    await expect(storage.getTokenData("missing")).rejects.toSatisfy(isMissingTokenError);
  });

  it("keeps the identity of the stored tokens and refuses another one until it is forgotten", async () => {
    const inner = new MemoryTokenStorage();
    await inner.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    const storage = new ValidatingTokenStorage(inner, [new UnchangingIdentityIDValidator()]);
    const other = sampleTokenData("a", { identity_id: "someone-else" });
    const error = await storage.storeTokenDataByResourceServer({ a: other }).catch((e: unknown) => e);
    expect(isIdentityMismatchError(error)).toBe(true);
    storage.forgetIdentity();
    await storage.storeTokenDataByResourceServer({ a: other });
    expect(await storage.getIdentityId()).toBe("someone-else");
  });
});
