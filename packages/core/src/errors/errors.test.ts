import { describe, expect, it } from "vitest";
import { GlobusAPIError, isGlobusAPIError } from "./api-error.ts";
import { safeCause } from "./globus-error.ts";
import { isGlobusError } from "./is-globus-error.ts";
import { isLoginFlowError } from "./login-flow-error.ts";
import {
  isLoginDeniedError,
  isPopupClosedError,
  LoginDeniedError,
  PopupClosedError,
} from "./login-flow-errors.ts";
import { isTokenStorageError, TokenStorageError } from "./token-storage-error.ts";
import {
  ExpiredTokenError,
  IdentityMismatchError,
  isIdentityMismatchError,
  isIdentityValidationError,
  isTokenValidationError,
  MissingTokenError,
} from "./token-validation-errors.ts";
import { GlobusSDKUsageError } from "./usage-error.ts";

describe("error hierarchy", () => {
  it("gives each error a literal name, a stable code and a guard that follows the hierarchy", () => {
    const mismatch = new IdentityMismatchError("a", "b");
    expect(mismatch.name).toBe("IdentityMismatchError");
    expect(mismatch.code).toBe("IDENTITY_MISMATCH");
    expect(isIdentityMismatchError(mismatch)).toBe(true);
    expect(isIdentityValidationError(mismatch)).toBe(true);
    expect(isTokenValidationError(mismatch)).toBe(true);
    expect(isGlobusError(mismatch)).toBe(true);
    expect(isTokenValidationError(new MissingTokenError("x", "rs"))).toBe(true);
    expect(isTokenValidationError(new GlobusSDKUsageError("x"))).toBe(false);
    expect(isLoginFlowError(new PopupClosedError())).toBe(true);
    expect(isPopupClosedError(new LoginDeniedError("access_denied"))).toBe(false);
    expect(new ExpiredTokenError(0).expiration.toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("recognises errors from another realm (a popup, a worker, a duplicated bundle) by name and code", () => {
    const foreign = JSON.parse(JSON.stringify(new LoginDeniedError("access_denied", "The user denied")));
    expect(foreign).toMatchObject({
      name: "LoginDeniedError",
      code: "LOGIN_DENIED",
      errorDescription: "The user denied",
    });
    expect(isLoginDeniedError(foreign)).toBe(true);
    expect(isLoginFlowError(foreign)).toBe(true);
    expect(isGlobusError(foreign)).toBe(true);
    expect(isGlobusError({ name: "Error", code: "ECONNRESET" })).toBe(false);
    expect(isTokenStorageError({ name: "TokenStorageError" })).toBe(false);
  });

  it("keeps causes and bodies out of serialisations", () => {
    const secret = "AgAAAsecret-token-value";
    const storage = new TokenStorageError("bad file", { location: "/tmp/x.json", cause: new Error(secret) });
    expect(storage.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(storage)).not.toContain(secret);
    expect(JSON.parse(JSON.stringify(storage))).toEqual({
      name: "TokenStorageError",
      code: "TOKEN_STORAGE_ERROR",
      message: "bad file",
      location: "/tmp/x.json",
    });
    const api = new GlobusAPIError({
      status: 400,
      method: "POST",
      url: "https://auth.globus.org/v2/oauth2/token",
      errorCode: "invalid_grant",
      body: { refresh_token: secret },
    });
    expect(isGlobusAPIError(api)).toBe(true);
    expect(api.body).toEqual({ refresh_token: secret });
    expect(JSON.stringify(api)).not.toContain(secret);
    expect(api.message).toBe("POST https://auth.globus.org/v2/oauth2/token failed with 400 invalid_grant");
  });

  it("never quotes a body that failed to parse as JSON: the parser's message holds part of it", () => {
    const body = '{"access_token":"AgSECRET-token-7890","x":undefined}';
    let parseError: unknown;
    try {
      JSON.parse(body);
    } catch (error) {
      parseError = error;
    }
    // The premise: the JavaScript engine's own message quotes the text around the fault.
    expect((parseError as Error).message).toContain("7890");
    const cause = safeCause(parseError);
    expect(cause.name).toBe("SyntaxError");
    expect(cause.message).toMatch(/not valid JSON/);
    expect(cause.message).not.toContain("7890");
  });

  it("keeps a denied login's message short whatever the callback carried", () => {
    const error = new LoginDeniedError("access_denied", "x".repeat(1_000_000));
    expect(error.message.length).toBeLessThan(400);
    expect(error.errorDescription).toHaveLength(1_000_000);
  });
});
