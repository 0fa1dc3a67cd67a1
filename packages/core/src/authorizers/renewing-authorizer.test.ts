// The renewing authorizers' contract (RefreshTokenAuthorizer, ClientCredentialsAuthorizer on
// RenewingAuthorizer), against the emulator's token endpoint.
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rejectionOf } from "../../test-support/rejection-of.ts";
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
const NOW = 1_900_000_000;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
  emu.control.clearFaults();
  emu.control.revokeAll();
});

function nativeClient(fetchWith: typeof fetch = fetch): NativeAppAuthClient {
  return new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url, fetch: fetchWith });
}

function confidentialClient(): ConfidentialAppAuthClient {
  return new ConfidentialAppAuthClient({
    clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
    clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
    baseUrl: emu.url,
  });
}

/** A live Transfer refresh token (and its access token) of the sample native client. */
function issued() {
  const body = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: TRANSFER_ALL,
    refreshTokens: true,
  });
  return { accessToken: body.access_token, refreshToken: body.refresh_token as string };
}

const refreshes = () => emu.control.requestCounts()["token:refresh_token"] ?? 0;
const grants = () => emu.control.requestCounts()["token:client_credentials"] ?? 0;
const tokenOf = (header: string) => header.slice("Bearer ".length);

describe("giving the access token and its expiry together", () => {
  it.each([
    ["an access token without its expiry", { accessToken: "a-token" }],
    ["an expiry without its access token", { expiresAtSeconds: NOW }],
  ])("refuses %s, for either authorizer, before asking Globus anything", (_label, options) => {
    const message =
      "A renewing authorizer cannot be initialized with one of accessToken and expiresAtSeconds. Either provide both or neither.";
    expect(() => new RefreshTokenAuthorizer("a-refresh-token", nativeClient(), options)).toThrow(
      expect.objectContaining({ name: "GlobusSDKUsageError", message }),
    );
    expect(() => new ClientCredentialsAuthorizer(confidentialClient(), TRANSFER_ALL, options)).toThrow(
      expect.objectContaining({ name: "GlobusSDKUsageError", message }),
    );
    expect(emu.control.requestCounts().token ?? 0).toBe(0);
  });

  it("uses a token given with its expiry without asking Globus", async () => {
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), {
      accessToken: "given-token",
      expiresAtSeconds: Date.now() / 1000 + 3600,
    });
    expect(await authorizer.getAuthorizationHeader()).toBe("Bearer given-token");
    expect(refreshes()).toBe(0);
  });

  it("fetches a token on first use when given neither", async () => {
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient());
    expect(authorizer.expiresAtSeconds).toBeUndefined();
    expect(refreshes()).toBe(0);
    const header = await authorizer.getAuthorizationHeader();
    expect(header).toMatch(/^Bearer \S+$/);
    expect(refreshes()).toBe(1);
    expect(authorizer.expiresAtSeconds).toBeGreaterThan(Date.now() / 1000);
  });

  it("refuses an empty refresh token", () => {
    let error: unknown;
    try {
      new RefreshTokenAuthorizer("", nativeClient());
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error), String(error)).toBe(true);
  });
});

describe("the expiry margin", () => {
  it(`keeps a token until ${EXPIRES_ADJUST_SECONDS} s before its expiry and renews it within them`, async () => {
    expect(EXPIRES_ADJUST_SECONDS).toBe(60);
    vi.useFakeTimers({ toFake: ["Date"], now: NOW * 1000 });
    const { refreshToken } = issued();
    const at = (expiresAtSeconds: number) =>
      new RefreshTokenAuthorizer(refreshToken, nativeClient(), { accessToken: "held", expiresAtSeconds });
    expect(await at(NOW + 61).getAuthorizationHeader()).toBe("Bearer held");
    expect(await at(NOW + 60).getAuthorizationHeader()).toBe("Bearer held");
    expect(refreshes()).toBe(0);
    const renewed = await at(NOW + 59).getAuthorizationHeader();
    expect(renewed).not.toBe("Bearer held");
    expect(refreshes()).toBe(1);
    await at(NOW - 1).getAuthorizationHeader();
    expect(refreshes()).toBe(2);
  });

  it("renews once the clock passes into the margin, and not before", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW * 1000 });
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient());
    const first = await authorizer.getAuthorizationHeader();
    const expiry = authorizer.expiresAtSeconds as number;
    vi.setSystemTime((expiry - EXPIRES_ADJUST_SECONDS) * 1000);
    expect(await authorizer.getAuthorizationHeader()).toBe(first);
    vi.setSystemTime((expiry - EXPIRES_ADJUST_SECONDS + 1) * 1000);
    expect(await authorizer.getAuthorizationHeader()).not.toBe(first);
    expect(refreshes()).toBe(2);
  });
});

describe("single-flight renewal", () => {
  it("makes one token request however many callers need a new token at once", async () => {
    const { refreshToken } = issued();
    const onRefresh = vi.fn();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), { onRefresh });
    const headers = await Promise.all(Array.from({ length: 25 }, () => authorizer.getAuthorizationHeader()));
    expect(new Set(headers).size).toBe(1);
    expect(refreshes()).toBe(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it("shares a failed renewal with the callers waiting on it, and tries again on the next call", async () => {
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient());
    emu.control.injectFault({ endpoint: "token:refresh_token", kind: "server-error", count: 1 });
    const failures = await Promise.all(
      Array.from({ length: 5 }, () => rejectionOf(authorizer.getAuthorizationHeader())),
    );
    expect(failures.every((error) => isGlobusAPIError(error) && error.status === 500)).toBe(true);
    expect(new Set(failures).size).toBe(1);
    expect(refreshes()).toBe(1);
    expect(await authorizer.getAuthorizationHeader()).toMatch(/^Bearer \S+$/);
    expect(refreshes()).toBe(2);
  });

  it("makes one client-credentials request for concurrent callers", async () => {
    const authorizer = new ClientCredentialsAuthorizer(confidentialClient(), TRANSFER_ALL);
    const headers = await Promise.all(Array.from({ length: 10 }, () => authorizer.getAuthorizationHeader()));
    expect(new Set(headers).size).toBe(1);
    expect(grants()).toBe(1);
  });
});

describe("renewal hooks", () => {
  it("hands onRefresh the new token response, and answers only once it has finished", async () => {
    const { refreshToken } = issued();
    const seen: TokenResponse[] = [];
    let finished = false;
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), {
      onRefresh: async (response) => {
        seen.push(response);
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished = true;
      },
    });
    const header = await authorizer.getAuthorizationHeader();
    expect(finished).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.grantType).toBe("refresh_token");
    expect(Object.keys(seen[0]?.byResourceServer ?? {})).toEqual([TRANSFER]);
    expect(seen[0]?.byResourceServer[TRANSFER]?.access_token).toBe(tokenOf(header));
  });

  it("tells onRefreshError why a renewal failed and throws the same error, without calling onRefresh", async () => {
    const { refreshToken } = issued();
    await nativeClient().revokeToken(refreshToken);
    const onRefresh = vi.fn();
    const onRefreshError = vi.fn();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), {
      onRefresh,
      onRefreshError,
    });
    const error = await rejectionOf(authorizer.getAuthorizationHeader());
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401, errorCode: "invalid_grant" });
    expect(onRefreshError).toHaveBeenCalledExactlyOnceWith(error);
    expect(onRefresh).not.toHaveBeenCalled();
  });

  it("renews under withLock, and adopts a usable token that reload finds instead of asking Globus", async () => {
    const { refreshToken } = issued();
    const locked: string[] = [];
    let stored: TokenStorageData | null = null;
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), {
      withLock: async (fn) => {
        locked.push("enter");
        try {
          return await fn();
        } finally {
          locked.push("leave");
        }
      },
      reload: async () => stored,
    });
    const first = await authorizer.getAuthorizationHeader();
    expect(locked).toEqual(["enter", "leave"]);
    expect(refreshes()).toBe(1);
    // Another process renewed meanwhile and stored its token: the next renewal takes it.
    stored = {
      resource_server: TRANSFER,
      identity_id: null,
      scope: TRANSFER_ALL,
      access_token: "renewed-elsewhere",
      refresh_token: refreshToken,
      expires_at_seconds: Math.trunc(Date.now() / 1000) + 3600,
      token_type: "Bearer",
    };
    await authorizer.handleMissingAuthorization();
    expect(await authorizer.getAuthorizationHeader()).toBe("Bearer renewed-elsewhere");
    expect(refreshes()).toBe(1);
    expect(first).not.toBe("Bearer renewed-elsewhere");
  });

  it("does not adopt, from reload, the very token a 401 just rejected", async () => {
    const { refreshToken } = issued();
    let stored: TokenStorageData | null = null;
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(), {
      reload: async () => stored,
    });
    const first = await authorizer.getAuthorizationHeader();
    stored = {
      resource_server: TRANSFER,
      identity_id: null,
      scope: TRANSFER_ALL,
      access_token: tokenOf(first),
      refresh_token: refreshToken,
      expires_at_seconds: Math.trunc(Date.now() / 1000) + 3600,
      token_type: "Bearer",
    };
    await authorizer.handleMissingAuthorization();
    const second = await authorizer.getAuthorizationHeader();
    expect(second).not.toBe(first);
    expect(refreshes()).toBe(2);
  });

  it("refuses a renewal that answers for another resource server, adopting and storing nothing", async () => {
    const onRefresh = vi.fn();
    const authorizer = new ClientCredentialsAuthorizer(confidentialClient(), "openid", {
      resourceServer: TRANSFER,
      onRefresh,
    });
    const error = await rejectionOf(authorizer.getAuthorizationHeader());
    expect(isGlobusError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain(`for ${TRANSFER} returned a token for auth.globus.org`);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(authorizer.expiresAtSeconds).toBeUndefined();
  });
});

describe("after a 401", () => {
  it("answers that a retry makes sense and renews on the next header, before the expiry", async () => {
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient());
    const first = await authorizer.getAuthorizationHeader();
    expect(await authorizer.getAuthorizationHeader()).toBe(first);
    expect(await authorizer.handleMissingAuthorization()).toBe(true);
    expect(authorizer.expiresAtSeconds).toBeUndefined();
    const second = await authorizer.getAuthorizationHeader();
    expect(second).not.toBe(first);
    expect(refreshes()).toBe(2);
  });
});

describe("exactly one token per renewal", () => {
  it("refuses a client-credentials answer with two tokens, naming the scopes asked for", async () => {
    const onRefresh = vi.fn();
    const scopes = `openid ${TRANSFER_ALL}`;
    const authorizer = new ClientCredentialsAuthorizer(confidentialClient(), scopes, { onRefresh });
    const error = await rejectionOf(authorizer.getAuthorizationHeader());
    expect(isGlobusError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/returned 2 tokens instead of exactly one/);
    expect((error as Error).message).toContain(`"${scopes}"`);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(authorizer.expiresAtSeconds).toBeUndefined();
  });

  it("refuses a refresh answer with two tokens", async () => {
    const { refreshToken } = issued();
    // The emulator answers a refresh with one token, as Globus does: a proxy adds a second.
    const adding = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!response.ok) return response;
      const body = (await response.json()) as Record<string, unknown>;
      const extra = { ...body, resource_server: "auth.globus.org", scope: "openid" };
      return Response.json({ ...body, other_tokens: [extra] });
    }) as typeof fetch;
    const onRefresh = vi.fn();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient(adding), { onRefresh });
    const error = await rejectionOf(authorizer.getAuthorizationHeader());
    expect((error as Error).message).toMatch(/returned 2 tokens instead of exactly one/);
    // It cannot name the scopes it asked for (a refresh names none): it names those returned.
    expect((error as Error).message).toContain(`${TRANSFER}: "${TRANSFER_ALL}"`);
    expect((error as Error).message).toContain('auth.globus.org: "openid"');
    expect((error as Error).message).not.toContain(refreshToken);
    expect(onRefresh).not.toHaveBeenCalled();
  });

  it("refuses an answer with no token", async () => {
    // Globus's wire format always carries a token; a subclass's own grant may not.
    class EmptyRenewal extends RenewingAuthorizer {
      protected async requestNewToken(): Promise<TokenResponse> {
        return {
          grantType: "client_credentials",
          identityId: null,
          idTokenClaims: null,
          byResourceServer: {},
        };
      }
    }
    const error = await rejectionOf(new EmptyRenewal().getAuthorizationHeader());
    expect((error as Error).message).toMatch(/returned 0 tokens instead of exactly one/);
  });
});

describe("a rotated refresh token", () => {
  let rotating: Emulator;
  beforeAll(async () => {
    rotating = await startEmulator({ port: 0, rotateRefreshTokens: true });
  });
  afterAll(() => rotating.close());

  it("is adopted from each refresh answer and used for the next refresh", async () => {
    const body = rotating.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER_ALL,
      refreshTokens: true,
    });
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: rotating.url });
    const answers: TokenResponse[] = [];
    const authorizer = new RefreshTokenAuthorizer(body.refresh_token as string, client, {
      onRefresh: (response) => {
        answers.push(response);
      },
    });
    for (let i = 0; i < 3; i++) {
      await authorizer.handleMissingAuthorization();
      await authorizer.getAuthorizationHeader();
    }
    expect(rotating.control.requestCounts()["token:refresh_token"]).toBe(3);
    const issuedRefreshTokens = answers.map((answer) => answer.byResourceServer[TRANSFER]?.refresh_token);
    expect(new Set([body.refresh_token, ...issuedRefreshTokens]).size).toBe(4);
    // The first refresh token was replaced: using it again is refused.
    const stale = await rejectionOf(client.refreshToken(body.refresh_token as string));
    expect(stale).toMatchObject({ status: 401, errorCode: "invalid_grant" });
  });
});

describe("what JSON.stringify shows", () => {
  it("names the kind and expiry, never a token or secret", async () => {
    const { refreshToken } = issued();
    const authorizer = new RefreshTokenAuthorizer(refreshToken, nativeClient());
    const header = await authorizer.getAuthorizationHeader();
    const json = JSON.stringify(authorizer);
    expect(JSON.parse(json)).toEqual({
      type: "RefreshTokenAuthorizer",
      expiresAtSeconds: authorizer.expiresAtSeconds,
    });
    expect(json).not.toContain(tokenOf(header));
    expect(json).not.toContain(refreshToken);
  });
});
