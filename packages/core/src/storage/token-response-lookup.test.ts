import { describe, expect, it } from "vitest";
import { thrownBy } from "../../test-support/rejection-of.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { tokenResponseFromBody } from "./token-response.ts";
import { byScopes, formatTokenResponse } from "./token-response-lookup.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const response = tokenResponseFromBody(
  {
    access_token: "auth-access-token-1",
    scope: "openid profile email",
    resource_server: "auth.globus.org",
    expires_in: 172800,
    token_type: "Bearer",
    refresh_token: "auth-refresh-token-1",
    id_token: "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJ4In0.sig",
    other_tokens: [
      {
        access_token: "transfer-access-token-1",
        scope: TRANSFER_ALL,
        resource_server: "transfer.api.globus.org",
        expires_in: 172800,
        token_type: "Bearer",
      },
    ],
  } as never,
  {
    grantType: "authorization_code",
    receivedAtSeconds: 1_800_000_000,
    identityId: "ae2a1750-a0e0-4ed0-9eb1-8b3c0c8a6a23",
    idTokenClaims: { sub: "x" },
  },
);

describe("byScopes (the Python SDK's by_scopes)", () => {
  it("finds the token of one scope, or of several of the same token in any order", () => {
    expect(byScopes(response, "openid").access_token).toBe("auth-access-token-1");
    expect(byScopes(response, "email openid").resource_server).toBe("auth.globus.org");
    expect(byScopes(response, "  profile\temail  openid ").resource_server).toBe("auth.globus.org");
    expect(byScopes(response, `${TRANSFER_ALL} ${TRANSFER_ALL}`).access_token).toBe(
      "transfer-access-token-1",
    );
  });

  it("refuses a scope in no token, scopes of two tokens, and an empty specifier, with Python's messages", () => {
    const missing = thrownBy(() => byScopes(response, "openid urn:x"));
    expect(isGlobusSDKUsageError(missing)).toBe(true);
    expect((missing as Error).message).toBe(
      'Scope specifier "openid urn:x" contains scope "urn:x" which was not found',
    );
    const two = thrownBy(() => byScopes(response, `openid ${TRANSFER_ALL}`));
    expect((two as Error).message).toBe(
      `Scope specifier "openid ${TRANSFER_ALL}" did not match exactly one token!`,
    );
    expect((thrownBy(() => byScopes(response, " ")) as Error).message).toMatch(
      /did not match exactly one token/,
    );
    expect(isGlobusSDKUsageError(thrownBy(() => byScopes(response, 42 as never)))).toBe(true);
    // A scope is matched whole, never as a prefix of a longer one.
    expect(isGlobusSDKUsageError(thrownBy(() => byScopes(response, "open")))).toBe(true);
  });
});

describe("formatTokenResponse", () => {
  it("shows the grant, identity, scopes, expiry and refresh, and no token", () => {
    const text = formatTokenResponse(response);
    expect(text).toBe(
      `TokenResponse(grant=authorization_code, identity=ae2a1750-a0e0-4ed0-9eb1-8b3c0c8a6a23, id_token=verified, tokens=[auth.globus.org: scope='openid profile email', expires_at=2027-01-17T08:00:00Z, refresh=yes; transfer.api.globus.org: scope='${TRANSFER_ALL}', expires_at=2027-01-17T08:00:00Z, refresh=no])`,
    );
    for (const secret of ["auth-access-token-1", "auth-refresh-token-1", "transfer-access-token-1", "eyJ"]) {
      expect(text).not.toContain(secret);
    }
  });
});
