import { createHash } from "node:crypto";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rejectionOf } from "../../test-support/rejection-of.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import { isGlobusNetworkError } from "../errors/network-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { AuthClient } from "../http/auth-client.ts";
import type { AuthorizationRequest } from "./auth-login-client.ts";
import { ConfidentialAppAuthClient } from "./confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "./native-app-auth-client.ts";

let emu: Emulator;
let impostor: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
  impostor = await startEmulator({ port: 0, freshSigningKey: true });
});
afterAll(async () => {
  await emu.close();
  await impostor.close();
});

async function authorize(client: NativeAppAuthClient, authParams: Record<string, unknown> = {}) {
  const request = await client.createAuthorizationRequest({
    redirectUri: "http://127.0.0.1:9/callback",
    authParams: { required_scopes: ["openid", "profile", "email"], ...authParams },
  });
  const response = await fetch(request.url, { redirect: "manual" });
  const callback = new URL(response.headers.get("location") ?? "");
  expect(callback.searchParams.get("state")).toBe(request.state);
  return { request, code: callback.searchParams.get("code") ?? "" };
}

function exchange(client: NativeAppAuthClient, request: AuthorizationRequest, code: string) {
  return client.exchangeAuthorizationCode({
    code,
    codeVerifier: request.codeVerifier,
    redirectUri: request.redirectUri,
  });
}

describe("login client", () => {
  it("builds Globus's authorize URL with PKCE, a random state and session parameters", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const request = await client.createAuthorizationRequest({
      redirectUri: client.defaultNativeRedirectUri,
      authParams: {
        required_scopes: ["openid", "urn:globus:auth:scope:transfer.api.globus.org:all"],
        session_required_mfa: true,
        session_required_single_domain: ["example.org"],
        session_message: "Please use MFA",
        prompt: "login",
      },
      requestRefreshTokens: true,
      prefillNamedGrant: "tests on host",
    });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${emu.url}v2/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: SAMPLE_NATIVE_CLIENT.id,
      redirect_uri: `${emu.url}v2/web/auth-code`,
      scope: "openid urn:globus:auth:scope:transfer.api.globus.org:all",
      response_type: "code",
      code_challenge_method: "S256",
      access_type: "offline",
      prefill_named_grant: "tests on host",
      session_required_mfa: "true",
      session_required_single_domain: "example.org",
      session_message: "Please use MFA",
      prompt: "login",
      state: request.state,
    });
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it("exchanges a code and returns the verified identity", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    const response = await exchange(client, request, code);
    expect(response.identityId).toBe(SAMPLE_IDENTITIES[0].id);
    expect(response.idTokenClaims).toMatchObject({ aud: SAMPLE_NATIVE_CLIENT.id, iss: emu.issuer });
    expect(response.byResourceServer["auth.globus.org"]?.token_type).toBe("Bearer");
    // Userinfo is AuthClient's (off the login path); the token works there.
    const auth = new AuthClient({
      baseUrl: emu.url,
      authorizer: new AccessTokenAuthorizer(response.byResourceServer["auth.globus.org"]?.access_token ?? ""),
    });
    expect((await auth.userinfo()).sub).toBe(SAMPLE_IDENTITIES[0].id);
  });

  it("rejects an id_token whose signature does not match the published key", async () => {
    // The JWKS request is answered by another emulator with another key: a forged or swapped key.
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      fetch: (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        return fetch(url.endsWith("/jwk.json") ? `${impostor.url}jwk.json` : input, init);
      },
    });
    const { request, code } = await authorize(client);
    const error = await exchange(client, request, code).catch((e: unknown) => e);
    expect(isGlobusError(error)).toBe(true);
    expect(error).toMatchObject({ code: "ID_TOKEN_INVALID" });
    expect(JSON.stringify(error)).not.toContain(code);
  });

  it("uses a custom id_token decoder when given one", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    const seen: string[] = [];
    const response = await client.exchangeAuthorizationCode(
      { code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUri },
      {
        decode: async (jwt) => {
          seen.push(jwt);
          return { sub: "custom-subject" };
        },
      },
    );
    expect(seen).toHaveLength(1);
    expect(response.identityId).toBe("custom-subject");
  });

  it.each<[string, () => unknown]>([
    [
      "throws",
      () => {
        throw new TypeError("cannot parse");
      },
    ],
    ["returns null", () => null],
    ["returns claims without a string subject", () => ({ sub: 5 })],
  ])("reports a custom id_token decoder that %s as ID_TOKEN_INVALID", async (_label, decode) => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    const error = await client
      .exchangeAuthorizationCode(
        { code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUri },
        { decode: async () => decode() as never },
      )
      .catch((e: unknown) => e);
    expect(isGlobusError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ code: "ID_TOKEN_INVALID" });
  });

  it("reports a refused code as a GlobusAPIError without the code in it", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    await exchange(client, request, code);
    const error = await exchange(client, request, code).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusAPIError", errorCode: "invalid_grant" });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(code);
  });

  it("refuses plain http to anything but loopback", () => {
    expect(() => new NativeAppAuthClient({ clientId: "x", baseUrl: "http://auth.example.org/" })).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR" }),
    );
    let error: unknown;
    try {
      new NativeAppAuthClient({ clientId: "" });
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });
});

/** A fetch that lets the emulator answer code exchanges and then rewrites the JSON of the answer. */
function rewritingTokenAnswers(rewrite: (body: Record<string, unknown>) => unknown) {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (!String(input).endsWith("/v2/oauth2/token") || !response.ok) return response;
    const body = rewrite((await response.json()) as Record<string, unknown>);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

describe("login client errors", () => {
  it.each([
    [
      "two tokens for one resource server",
      (b: Record<string, unknown>) => ({ ...b, other_tokens: [b, ...(b.other_tokens as unknown[])] }),
    ],
    ["an empty resource server", (b: Record<string, unknown>) => ({ ...b, resource_server: "" })],
    [
      "a resource server named __proto__",
      (b: Record<string, unknown>) => ({ ...b, resource_server: "__proto__" }),
    ],
  ])("refuses a token answer with %s as unreadable, whatever else it holds", async (_label, rewrite) => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      fetch: rewritingTokenAnswers(rewrite),
    });
    const { request, code } = await authorize(client);
    const error = await exchange(client, request, code).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusNetworkError" });
  });

  it("reports a 5xx from the token endpoint as a GlobusAPIError with its status", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    emu.control.injectFault({ endpoint: "token", kind: "server-error", count: 1 });
    const error = await exchange(client, request, code).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 500 });
  });

  it("reports a dropped connection as a GlobusNetworkError", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const { request, code } = await authorize(client);
    emu.control.injectFault({ endpoint: "token", kind: "drop-connection", count: 1 });
    const error = await exchange(client, request, code).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_ERROR" });
    expect(JSON.stringify(error)).not.toContain(code);
  });
});

function mintedRefreshToken(): string {
  const minted = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: "openid urn:globus:auth:scope:transfer.api.globus.org:all",
    refreshTokens: true,
  });
  return minted.refresh_token ?? "";
}

describe("login client time limits and cancellation", () => {
  afterEach(() => {
    emu.control.clearFaults();
    vi.unstubAllEnvs();
  });

  it("times out a refresh when Auth accepts the connection and never answers", async () => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      timeoutMs: 300,
    });
    const refreshToken = mintedRefreshToken();
    emu.control.injectFault({ endpoint: "token:refresh_token", kind: "latency", latencyMs: 60_000 });
    const error = await rejectionOf(client.refreshToken(refreshToken));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
    expect(isGlobusNetworkError(error)).toBe(true);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(refreshToken);
  }, 8_000);

  it("times out a code exchange whose answer stops after the headers (the body is bounded too)", async () => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      timeoutMs: 300,
    });
    const { request, code } = await authorize(client);
    emu.control.injectFault({ endpoint: "token", kind: "stall-body" });
    const error = await rejectionOf(exchange(client, request, code));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
  }, 8_000);

  it("times out the JWKS fetch of the id_token check as a timeout, not as a bad id_token", async () => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      timeoutMs: 300,
    });
    const { request, code } = await authorize(client);
    emu.control.injectFault({ endpoint: "jwks", kind: "latency", latencyMs: 60_000 });
    const error = await rejectionOf(exchange(client, request, code));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
    expect((error as Error).message).toContain("jwk.json");
  }, 8_000);

  it("times out revocation and the consents GET", async () => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      timeoutMs: 300,
    });
    emu.control.injectFault({ endpoint: "revoke", kind: "latency", latencyMs: 60_000 });
    const revoked = await rejectionOf(client.revokeToken(mintedRefreshToken()));
    expect(revoked).toMatchObject({ code: "NETWORK_TIMEOUT" });
    emu.control.injectFault({ endpoint: "consents", kind: "stall-body" });
    const got = await rejectionOf(
      client.getJSON(`v2/api/identities/${SAMPLE_IDENTITIES[0].id}/consents`, "Bearer x"),
    );
    expect(got).toMatchObject({ code: "NETWORK_TIMEOUT" });
  }, 8_000);

  it("takes its time limit from GLOBUS_SDK_HTTP_TIMEOUT (seconds) when not given one", async () => {
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", "0.3");
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    expect(client.timeoutMs).toBe(300);
    emu.control.injectFault({ endpoint: "token:refresh_token", kind: "latency", latencyMs: 60_000 });
    const error = await rejectionOf(client.refreshToken(mintedRefreshToken()));
    expect(error).toMatchObject({ code: "NETWORK_TIMEOUT" });
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", "-1");
    expect(
      new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url }).timeoutMs,
    ).toBeNull();
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", "");
    expect(new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url }).timeoutMs).toBe(
      60_000,
    );
  }, 8_000);

  it("cancels a pending refresh when the caller's signal aborts, as NETWORK_ABORTED", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    emu.control.injectFault({ endpoint: "token:refresh_token", kind: "latency", latencyMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(client.refreshToken(mintedRefreshToken(), { signal: controller.signal }));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_ABORTED" });
    const already = await rejectionOf(
      client.refreshToken(mintedRefreshToken(), { signal: AbortSignal.abort(new Error("stop")) }),
    );
    expect(already).toMatchObject({ code: "NETWORK_ABORTED" });
  }, 8_000);
});

describe("login client error types", () => {
  afterEach(() => emu.control.clearFaults());

  it("names the cause of a refused connection, not undici's bare 'fetch failed'", async () => {
    const port = await closedPort();
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: `http://127.0.0.1:${port}/`,
    });
    const refreshToken = "refresh-token-that-must-not-leak";
    const error = await rejectionOf(client.refreshToken(refreshToken));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_ERROR" });
    expect((error as Error).message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(refreshToken);
  });

  it.each(["none", "RS256", "HS512", "no-sub"] as const)(
    "refuses an id_token forged as %s as ID_TOKEN_INVALID (code exchange and refresh)",
    async (forgery) => {
      const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
      const { request, code } = await authorize(client);
      emu.control.forgeNextIdToken(forgery);
      const exchanged = await rejectionOf(exchange(client, request, code));
      expect(exchanged, String(exchanged)).toMatchObject({
        name: "GlobusError",
        code: "ID_TOKEN_INVALID",
      });
      const refreshToken = mintedRefreshToken();
      emu.control.forgeNextIdToken(forgery);
      const refreshed = await rejectionOf(client.refreshToken(refreshToken));
      expect(refreshed, String(refreshed)).toMatchObject({ code: "ID_TOKEN_INVALID" });
      expect(`${(refreshed as Error).message} ${JSON.stringify(refreshed)}`).not.toContain(refreshToken);
    },
  );
});

/** A loopback port nothing listens on (a server was bound there and closed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("login client id_token options (Python's IDTokenDecoder: leeway, configuration and keys in advance)", () => {
  const counts = () => emu.control.requestCounts();
  afterEach(() => {
    emu.control.resetClock();
    emu.control.resetCounts();
    emu.control.setTokenLifetimes({ accessToken: 172_800 });
  });

  async function login(client: NativeAppAuthClient) {
    const { request, code } = await authorize(client);
    return exchange(client, request, code);
  }

  it("discovers the OpenID configuration once per client, and fetches the keys from its jwks_uri", async () => {
    emu.control.resetCounts();
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await login(client);
    await login(client);
    expect(counts()).toMatchObject({ "openid-configuration": 1, jwks: 1 });
  });

  it("makes no discovery request when the configuration is given, and none for keys given with it", async () => {
    const openidConfiguration = await (await fetch(`${emu.url}.well-known/openid-configuration`)).json();
    const jwks = await (await fetch(`${emu.url}jwk.json`)).json();
    emu.control.resetCounts();
    const configured = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      openidConfiguration,
    });
    expect((await login(configured)).identityId).toBe(SAMPLE_IDENTITIES[0].id);
    expect(counts()["openid-configuration"]).toBeUndefined();
    expect(counts().jwks).toBe(1);

    emu.control.resetCounts();
    const withKeys = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      openidConfiguration,
      jwks,
    });
    expect((await login(withKeys)).identityId).toBe(SAMPLE_IDENTITIES[0].id);
    expect((await login(withKeys)).identityId).toBe(SAMPLE_IDENTITIES[0].id);
    expect(counts()["openid-configuration"]).toBeUndefined();
    expect(counts().jwks).toBeUndefined();
  });

  it("rejects an id_token signed with a key other than the keys given in advance, without fetching keys", async () => {
    const openidConfiguration = await (await fetch(`${emu.url}.well-known/openid-configuration`)).json();
    const otherKeys = await (await fetch(`${impostor.url}jwk.json`)).json();
    emu.control.resetCounts();
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      openidConfiguration,
      jwks: otherKeys,
    });
    expect(await rejectionOf(login(client))).toMatchObject({ code: "ID_TOKEN_INVALID" });
    expect(counts().jwks).toBeUndefined();
  });

  it("accepts an id_token that expired up to jwtLeewaySeconds ago by this clock (300 s by default)", async () => {
    // Globus Auth's clock 10 minutes behind ours, and 60 s tokens: the id_token expired 9 minutes ago here.
    emu.control.setTokenLifetimes({ accessToken: 60 });
    emu.control.advanceClock(-600);
    const strict = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const error = await rejectionOf(login(strict));
    expect(error).toMatchObject({ code: "ID_TOKEN_INVALID" });
    expect((error as Error).message).toMatch(/not valid now/);
    const lenient = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      jwtLeewaySeconds: 900,
    });
    expect((await login(lenient)).identityId).toBe(SAMPLE_IDENTITIES[0].id);
  });

  it.each<[string, Record<string, unknown>]>([
    ["keys without a configuration", { jwks: { keys: [] } }],
    ["a negative leeway", { jwtLeewaySeconds: -1 }],
    ["a leeway that is not a number", { jwtLeewaySeconds: "300" }],
    ["a configuration without jwks_uri", { openidConfiguration: { issuer: "https://auth.globus.org" } }],
    [
      "a plain-http jwks_uri off this machine",
      { openidConfiguration: { issuer: "https://auth.globus.org", jwks_uri: "http://example.org/jwk.json" } },
    ],
  ])("refuses %s with a usage error when the login code loads", async (_label, options) => {
    const client = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      ...options,
    });
    const error = await rejectionOf(authorize(client));
    expect(isGlobusSDKUsageError(error), String(error)).toBe(true);
  });
});

describe("login client: the caller's own state, PKCE verifier and authorize parameters", () => {
  const verifier = "my-own-verifier_0123456789.abcdefghijklmnopqrstuvwxyz~ABC";
  const state = "portal-session-7f3c9a2e1b";

  it("uses them in the authorize URL and the code exchange completes with the given verifier", async () => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const request = await client.createAuthorizationRequest({
      redirectUri: "http://127.0.0.1:9/callback",
      authParams: { required_scopes: ["openid"] },
      codeVerifier: verifier,
      state,
      queryParams: { ui_locales: "fr", session_required_single_domain: "example.org" },
    });
    const url = new URL(request.url);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
      ui_locales: "fr",
      session_required_single_domain: "example.org",
    });
    expect(request).toMatchObject({ state, codeVerifier: verifier });
    const callback = new URL(
      (await fetch(request.url, { redirect: "manual" })).headers.get("location") ?? "",
    );
    expect(callback.searchParams.get("state")).toBe(state);
    const response = await exchange(client, request, callback.searchParams.get("code") ?? "");
    expect(response.identityId).toBe(SAMPLE_IDENTITIES[0].id);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a verifier shorter than 43 characters", { codeVerifier: "short-verifier-123" }],
    ["a verifier with a character outside RFC 7636's", { codeVerifier: `${"a".repeat(43)}!` }],
    ["a state shorter than 16 characters", { state: "guessable" }],
    ["a state with a control character", { state: "abcdefghijklmnop\nq" }],
    ["a query parameter the request sets (state)", { queryParams: { state: "x" } }],
    ["a query parameter the request sets (scope)", { queryParams: { scope: "openid email" } }],
    [
      "a query parameter authParams set",
      { queryParams: { prompt: "none" }, authParams: { required_scopes: ["openid"], prompt: "login" } },
    ],
    ["a query parameter that is not a string", { queryParams: { ui_locales: 3 } }],
  ])("refuses %s with a usage error that does not repeat it", async (_label, options) => {
    const client = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const error = await rejectionOf(
      client.createAuthorizationRequest({
        redirectUri: "http://127.0.0.1:9/callback",
        authParams: { required_scopes: ["openid"] },
        ...options,
      }),
    );
    expect(isGlobusSDKUsageError(error), String(error)).toBe(true);
    for (const value of [options.codeVerifier, options.state]) {
      if (typeof value === "string") expect((error as Error).message).not.toContain(value);
    }
  });

  it("refuses a verifier for a confidential client, which uses no PKCE", async () => {
    const client = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: emu.url,
    });
    const error = await rejectionOf(
      client.createAuthorizationRequest({
        redirectUri: SAMPLE_CONFIDENTIAL_CLIENT.redirectUris[0],
        authParams: { required_scopes: ["openid"] },
        codeVerifier: verifier,
      }),
    );
    expect(isGlobusSDKUsageError(error)).toBe(true);
    const own = await client.createAuthorizationRequest({
      redirectUri: SAMPLE_CONFIDENTIAL_CLIENT.redirectUris[0],
      authParams: { required_scopes: ["openid"] },
      state,
    });
    expect(own).toMatchObject({ state, codeVerifier: null });
  });
});
