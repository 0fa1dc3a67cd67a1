import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusAPIError } from "../errors/api-error.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";
import { ClientCredentialsAuthorizer } from "./client-credentials-authorizer.ts";
import { RefreshTokenAuthorizer } from "./refresh-token-authorizer.ts";
import { EXPIRES_ADJUST_SECONDS, RenewingAuthorizer } from "./renewing-authorizer.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const refreshes = () => emu.control.requestCounts()["token:refresh_token"] ?? 0;

function loginClient(): NativeAppAuthClient {
  return new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
}

/** A refresh token (and its access token) for Transfer, as a login with offline access gives. */
function transferTokens(): { accessToken: string; refreshToken: string } {
  const minted = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: TRANSFER_ALL,
    refreshTokens: true,
  });
  return { accessToken: minted.access_token, refreshToken: minted.refresh_token ?? "" };
}

function record(
  accessToken: string,
  expiresAtSeconds: number,
  refreshToken: string | null,
): TokenStorageData {
  return {
    resource_server: TRANSFER,
    identity_id: null,
    scope: TRANSFER_ALL,
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_at_seconds: expiresAtSeconds,
    token_type: "Bearer",
  };
}

/** An authorizer whose renewals answer what the test says (a custom RenewingAuthorizer subclass). */
class ScriptedAuthorizer extends RenewingAuthorizer {
  renewals = 0;
  constructor(
    readonly answer: () => Record<string, TokenStorageData>,
    options: ConstructorParameters<typeof RenewingAuthorizer>[0] = {},
  ) {
    super(options);
  }
  protected async requestNewToken(): Promise<TokenResponse> {
    this.renewals++;
    return {
      grantType: "refresh_token",
      identityId: null,
      idTokenClaims: null,
      byResourceServer: this.answer(),
    };
  }
}

describe("RenewingAuthorizer", () => {
  it("takes an access token only with its expiry, and an expiry only with its token", () => {
    const client = loginClient();
    for (const options of [{ accessToken: "a" }, { expiresAtSeconds: nowSeconds() + 3600 }]) {
      const error = (() => {
        try {
          return new RefreshTokenAuthorizer("r", client, options);
        } catch (e) {
          return e;
        }
      })();
      expect(isGlobusSDKUsageError(error)).toBe(true);
      expect((error as Error).message).toMatch(/Either provide both or neither/);
    }
    expect(new RefreshTokenAuthorizer("r", client).expiresAtSeconds).toBeUndefined();
    const expiry = nowSeconds() + 3600;
    expect(
      new RefreshTokenAuthorizer("r", client, { accessToken: "a", expiresAtSeconds: expiry })
        .expiresAtSeconds,
    ).toBe(expiry);
  });

  it("uses the token it was given until 60 s before its expiry, then renews it once", async () => {
    const { accessToken, refreshToken } = transferTokens();
    vi.useFakeTimers({ toFake: ["Date"] });
    const expiry = nowSeconds() + 3600;
    const onRefresh = vi.fn();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken,
      expiresAtSeconds: expiry,
      onRefresh,
    });
    expect(await authz.getAuthorizationHeader()).toBe(`Bearer ${accessToken}`);
    // Exactly at the margin the token is still used.
    vi.setSystemTime((expiry - EXPIRES_ADJUST_SECONDS) * 1000);
    expect(await authz.getAuthorizationHeader()).toBe(`Bearer ${accessToken}`);
    expect(refreshes()).toBe(0);
    // One millisecond later it is renewed.
    vi.setSystemTime((expiry - EXPIRES_ADJUST_SECONDS) * 1000 + 1);
    const renewed = await authz.getAuthorizationHeader();
    expect(renewed).toMatch(/^Bearer \S+$/);
    expect(renewed).not.toBe(`Bearer ${accessToken}`);
    expect(refreshes()).toBe(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    const response = onRefresh.mock.calls[0]?.[0] as TokenResponse;
    expect(`Bearer ${response.byResourceServer[TRANSFER]?.access_token}`).toBe(renewed);
    expect(authz.expiresAtSeconds).toBe(response.byResourceServer[TRANSFER]?.expires_at_seconds);
    expect(await authz.getAuthorizationHeader()).toBe(renewed);
    expect(refreshes()).toBe(1);
  });

  it("makes one renewal for every caller that needs a token at once", async () => {
    const { refreshToken } = transferTokens();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient());
    const headers = await Promise.all(Array.from({ length: 10 }, () => authz.getAuthorizationHeader()));
    expect(new Set(headers).size).toBe(1);
    expect(refreshes()).toBe(1);
    // The renewal is over: a later rejected token renews again.
    await authz.handleMissingAuthorization();
    expect(await authz.getAuthorizationHeader()).not.toBe(headers[0]);
    expect(refreshes()).toBe(2);
  });

  it("renews after a 401, even a token that has not expired, and forgets its expiry meanwhile", async () => {
    const { accessToken, refreshToken } = transferTokens();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken,
      expiresAtSeconds: nowSeconds() + 3600,
    });
    expect(await authz.handleMissingAuthorization()).toBe(true);
    expect(authz.expiresAtSeconds).toBeUndefined();
    const header = await authz.getAuthorizationHeader();
    expect(header).not.toBe(`Bearer ${accessToken}`);
    expect(refreshes()).toBe(1);
  });

  it("hands a failed renewal to onRefreshError and throws it, and tries again on the next call", async () => {
    const { refreshToken } = transferTokens();
    const onRefreshError = vi.fn();
    const onRefresh = vi.fn();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), { onRefresh, onRefreshError });
    emu.control.injectFault({ endpoint: "token:refresh_token", kind: "server-error", count: 1 });
    const error = await authz.getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusAPIError(error)).toBe(true);
    expect(onRefreshError).toHaveBeenCalledWith(error);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(await authz.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it("adopts a token another process stored meanwhile (read inside the lock) instead of renewing", async () => {
    const { refreshToken } = transferTokens();
    const other = transferTokens();
    const expiry = nowSeconds() + 3600;
    const locked = vi.fn();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      withLock: async (fn) => {
        locked();
        return fn();
      },
      reload: async () => record(other.accessToken, expiry, other.refreshToken),
    });
    expect(await authz.getAuthorizationHeader()).toBe(`Bearer ${other.accessToken}`);
    expect(authz.expiresAtSeconds).toBe(expiry);
    expect(locked).toHaveBeenCalledTimes(1);
    expect(refreshes()).toBe(0);
  });

  it("renews inside the lock when the stored token is missing, expiring or the one just rejected", async () => {
    const { accessToken, refreshToken } = transferTokens();
    let stored: TokenStorageData | null = null;
    const onRefresh = vi.fn();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken,
      expiresAtSeconds: nowSeconds() + 3600,
      withLock: (fn) => fn(),
      reload: async () => stored,
      onRefresh,
    });
    await authz.handleMissingAuthorization();
    const renewed = await authz.getAuthorizationHeader();
    expect(renewed).not.toBe(`Bearer ${accessToken}`);
    expect(refreshes()).toBe(1);

    // The stored copy is the token Globus just refused: not adopted.
    stored = record(renewed.slice("Bearer ".length), nowSeconds() + 3600, refreshToken);
    await authz.handleMissingAuthorization();
    expect(await authz.getAuthorizationHeader()).not.toBe(renewed);
    expect(refreshes()).toBe(2);

    // The stored copy expires within the margin: not adopted either.
    stored = record(transferTokens().accessToken, nowSeconds() + EXPIRES_ADJUST_SECONDS - 5, refreshToken);
    await authz.handleMissingAuthorization();
    expect(await authz.getAuthorizationHeader()).not.toBe(`Bearer ${stored.access_token}`);
    expect(refreshes()).toBe(3);
    expect(onRefresh).toHaveBeenCalledTimes(3);
  });

  it("does not adopt a stored record without an access token (a custom storage's reload)", async () => {
    const { refreshToken } = transferTokens();
    const stored = { ...record("", nowSeconds() + 3600, null), access_token: undefined as unknown as string };
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken: "rejected",
      expiresAtSeconds: nowSeconds() + 3600,
      withLock: (fn) => fn(),
      reload: async () => stored,
    });
    await authz.handleMissingAuthorization();
    expect(await authz.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
    expect(refreshes()).toBe(1);
  });

  it("adopts a rotated refresh token found in storage, so the next renewal uses it", async () => {
    const stale = transferTokens();
    const current = transferTokens();
    // Globus no longer accepts the refresh token the authorizer was made with.
    await loginClient().revokeToken(stale.refreshToken);
    let stored: TokenStorageData | null = record(
      current.accessToken,
      nowSeconds() + 3600,
      current.refreshToken,
    );
    const authz = new RefreshTokenAuthorizer(stale.refreshToken, loginClient(), {
      withLock: (fn) => fn(),
      reload: async () => stored,
    });
    expect(await authz.getAuthorizationHeader()).toBe(`Bearer ${current.accessToken}`);
    stored = null;
    await authz.handleMissingAuthorization();
    expect(await authz.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
    expect(refreshes()).toBe(1);
  });

  it("refuses a renewal that answers for another resource server, keeping and storing nothing", async () => {
    const { refreshToken } = transferTokens();
    const onRefresh = vi.fn();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken: "current",
      expiresAtSeconds: nowSeconds() + 3600,
      resourceServer: "groups.api.globus.org",
      onRefresh,
    });
    await authz.handleMissingAuthorization();
    const error = await authz.getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /for groups\.api\.globus\.org returned a token for transfer\.api\.globus\.org/,
    );
    expect(onRefresh).not.toHaveBeenCalled();
    expect(authz.expiresAtSeconds).toBeUndefined();
  });

  it("takes the one token of a renewal whatever its resource server when none is expected", async () => {
    const { refreshToken } = transferTokens();
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient());
    expect(await authz.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
    const confidential = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: emu.url,
    });
    const service = new ClientCredentialsAuthorizer(confidential, TRANSFER_ALL);
    expect(await service.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
  });

  it("refuses a renewal that returns tokens of several resource servers, adopting none", async () => {
    const confidential = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: emu.url,
    });
    const onRefresh = vi.fn();
    const authz = new ClientCredentialsAuthorizer(confidential, [TRANSFER_ALL, GROUPS_ALL], { onRefresh });
    const error = await authz.getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusError(error)).toBe(true);
    expect((error as Error).message).toMatch(/returned 2 tokens instead of exactly one/);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(authz.expiresAtSeconds).toBeUndefined();
  });

  it("refuses a renewal that returns no token", async () => {
    const authz = new ScriptedAuthorizer(() => ({}));
    const error = await authz.getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusError(error)).toBe(true);
    expect((error as Error).message).toMatch(/returned 0 tokens instead of exactly one/);
  });

  it("fails rather than send again the token Globus just refused, when a renewal returns it", async () => {
    const expiry = nowSeconds() + 3600;
    const authz = new ScriptedAuthorizer(() => ({ [TRANSFER]: record("refused", expiry, null) }), {
      accessToken: "refused",
      expiresAtSeconds: expiry,
    });
    await authz.handleMissingAuthorization();
    const error = await authz.getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusError(error)).toBe(true);
    expect((error as Error).message).toBe("The token renewal did not produce a usable access token.");
    expect(authz.renewals).toBe(1);
  });

  it("uses a renewed token that lives shorter than the margin once, instead of renewing in a loop", async () => {
    const authz = new ScriptedAuthorizer(() => ({ [TRANSFER]: record("short", nowSeconds() + 10, null) }));
    expect(await authz.getAuthorizationHeader()).toBe("Bearer short");
    expect(authz.renewals).toBe(1);
  });

  it("shows its kind and expiry in JSON, never a token", async () => {
    const { accessToken, refreshToken } = transferTokens();
    const expiry = nowSeconds() + 3600;
    const authz = new RefreshTokenAuthorizer(refreshToken, loginClient(), {
      accessToken,
      expiresAtSeconds: expiry,
    });
    const json = JSON.stringify(authz);
    expect(JSON.parse(json)).toEqual({ type: "RefreshTokenAuthorizer", expiresAtSeconds: expiry });
    expect(json).not.toContain(accessToken);
    expect(json).not.toContain(refreshToken);
  });
});
