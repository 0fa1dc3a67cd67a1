import { inspect } from "node:util";
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusAPIError } from "../errors/api-error.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import { isIdentityMismatchError, isMissingTokenError } from "../errors/token-validation-errors.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GARE } from "../gare/gare.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import type { GlobusAppConfigInput } from "./globus-app-contracts.ts";
import { UserApp } from "./user-app.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const [ADA, GRACE] = SAMPLE_IDENTITIES as unknown as [{ id: string }, { id: string }];
const COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
  emu.control.setAutoApprove(true);
  emu.control.clearRequirements();
  emu.control.revokeAll();
});

function makeApp(
  config: GlobusAppConfigInput = {},
  storage = new MemoryTokenStorage(),
  fetchWith: typeof fetch = fetch,
) {
  const loginClient = new NativeAppAuthClient({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    baseUrl: emu.url,
    fetch: fetchWith,
  });
  const flow = new EmulatorAutoApproveLoginFlow(loginClient, {
    requestRefreshTokens: config.requestRefreshTokens ?? false,
  });
  const app = new UserApp("test-app", {
    loginClient,
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    config: { tokenStorage: storage, loginFlowManager: flow, ...config },
  });
  return { app, flow, storage };
}

/** Logs in, then lists COLLECTION, which must fail with a GlobusAPIError (a GARE from the fake Transfer). */
async function listingRefused(app: UserApp) {
  await app.login();
  const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/` });
  const error = await transfer.operationLs(COLLECTION).catch((e: unknown) => e);
  expect(isGlobusAPIError(error), String(error)).toBe(true);
  return { error, transfer };
}

/**
 * A fetch that lets the emulator answer and then rewrites the JSON of its refresh-token answers:
 * how a misbehaving Auth (or a proxy) is played, since the emulator itself answers correctly.
 */
function rewritingRefreshAnswers(rewrite: (body: Record<string, unknown>) => Record<string, unknown>) {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    const form = new URLSearchParams(
      init?.body instanceof URLSearchParams ? init.body : String(init?.body ?? ""),
    );
    if (!response.ok || form.get("grant_type") !== "refresh_token") return response;
    const body = rewrite((await response.json()) as Record<string, unknown>);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

describe("UserApp against the emulator", () => {
  it("logs in through PKCE with a verified id_token and stores every resource server's tokens", async () => {
    const { app, storage } = makeApp();
    await using _ = app;
    expect(await app.loginRequired()).toBe(true);
    const events: string[] = [];
    app.on("login", (e) => events.push(`login:${e.identityId}`));
    await app.login();
    expect(events).toEqual([`login:${ADA.id}`]);
    const stored = await storage.getTokenDataByResourceServer();
    expect(Object.keys(stored).sort()).toEqual(["auth.globus.org", TRANSFER]);
    expect(stored[TRANSFER]?.identity_id).toBe(ADA.id);
    expect(stored[TRANSFER]?.refresh_token).toBeNull();
    expect(await app.loginRequired()).toBe(false);
    const authorize = emu.control.requestLog().find((r) => r.endpoint === "authorize");
    expect(authorize?.params.code_challenge_method).toBe("S256");
    expect(String(authorize?.params.state)).toMatch(/^[\w-]{20,}$/);
    expect(authorize?.params.access_type).toBe("online");
    const header = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(header).toBe(`Bearer ${stored[TRANSFER]?.access_token}`);
  });

  it("fetches the JWKS once per client however many logins verify id_tokens", async () => {
    const { app } = makeApp();
    await using _ = app;
    await app.login({ force: true });
    await app.login({ force: true });
    expect(emu.control.requestCounts().jwks).toBe(1);
  });

  it("sends a different random state and verifier on every login", async () => {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const params = { required_scopes: ["openid"] };
    const a = await loginClient.createAuthorizationRequest({
      redirectUri: "http://127.0.0.1:9/cb",
      authParams: params,
    });
    const b = await loginClient.createAuthorizationRequest({
      redirectUri: "http://127.0.0.1:9/cb",
      authParams: params,
    });
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.codeVerifier?.length).toBeGreaterThanOrEqual(43);
    await expect(
      loginClient.createAuthorizationRequest({ redirectUri: "http://127.0.0.1:9/cb", authParams: {} }),
    ).rejects.toSatisfy(isGlobusSDKUsageError);
  });

  it("runs the login handler when tokens are missing, once for concurrent callers", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    const headers = await Promise.all(
      Array.from({ length: 5 }, async () => (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()),
    );
    expect(new Set(headers).size).toBe(1);
    expect(flow.runs).toBe(1);
  });

  it("needs a new login once an access token expires (no refresh tokens), and evicts the cached authorizer", async () => {
    const { app, flow } = makeApp({ tokenValidationErrorHandler: null });
    await using _ = app;
    await app.login();
    await app.getAuthorizer(TRANSFER);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    expect(await app.loginRequired()).toBe(true);
    await expect(app.getAuthorizer(TRANSFER)).rejects.toMatchObject({ name: "ExpiredTokenError" });
    expect(flow.runs).toBe(1);
  });

  it("renews with the refresh token after expiry: one refresh for many concurrent callers", async () => {
    const { app, storage } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    await app.login();
    const before = await storage.getTokenData(TRANSFER);
    expect(before?.refresh_token).toEqual(expect.any(String));
    expect(emu.control.requestLog().find((r) => r.endpoint === "authorize")?.params.access_type).toBe(
      "offline",
    );
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    const refreshed: string[] = [];
    app.on("refresh", (e) => refreshed.push(e.resourceServer));
    const headers = await Promise.all(
      Array.from({ length: 50 }, async () => (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()),
    );
    expect(new Set(headers).size).toBe(1);
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
    expect(refreshed).toEqual([TRANSFER]);
    const after = await storage.getTokenData(TRANSFER);
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(after?.identity_id).toBe(ADA.id);
    expect(headers[0]).toBe(`Bearer ${after?.access_token}`);
  });

  it("meets a GARE from the resource server by logging in with its parameters and retrying", async () => {
    emu.control.requireMfa(COLLECTION);
    const { app, flow } = makeApp({ autoRedriveGares: true });
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/` });
    await app.login();
    const listing = await transfer.operationLs(COLLECTION);
    expect(Array.isArray(listing.DATA)).toBe(true);
    expect(flow.runs).toBe(2);
    const secondAuthorize = emu.control.requestLog().filter((r) => r.endpoint === "authorize")[1];
    expect(secondAuthorize?.params.session_required_mfa).toBe("true");
  });

  it("surfaces the GARE as a typed error when redrive is off", async () => {
    emu.control.requireMfa(COLLECTION);
    const { app } = makeApp();
    await using _ = app;
    const { error } = await listingRefused(app);
    const apiError = error as { status: number; gares: GARE[] };
    expect(apiError.status).toBe(403);
    expect(apiError.gares[0]?.authorization_parameters.session_required_mfa).toBe(true);
    expect(JSON.stringify(error)).not.toMatch(/Bearer/);
  });

  it("satisfies a collection's authentication policy by logging in with the GARE's parameters", async () => {
    const policy = "0a4e2c3b-8d1f-4b6a-9c7e-5f3d2a1b0c9e";
    emu.control.requirePolicies(COLLECTION, [policy]);
    const { app } = makeApp();
    await using _ = app;
    const { error, transfer } = await listingRefused(app);
    const gare = (error as { gares: GARE[] }).gares[0] as GARE;
    expect(gare.authorization_parameters.session_required_policies).toEqual([policy]);
    await app.login({ authParams: gare.authorization_parameters });
    const authorize = emu.control.requestLog().filter((r) => r.endpoint === "authorize")[1];
    expect(authorize?.params.session_required_policies).toBe(policy);
    const listing = await transfer.operationLs(COLLECTION);
    expect(Array.isArray(listing.DATA)).toBe(true);
  });

  it("renews once after a 401 and retries (refresh-token mode)", async () => {
    const { app, storage } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    await app.login();
    const token = (await storage.getTokenData(TRANSFER))?.access_token ?? "";
    await fetch(`${emu.url}v2/oauth2/token/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token, client_id: SAMPLE_NATIVE_CLIENT.id }),
    });
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/` });
    const result = await transfer.endpointSearch("tutorial");
    expect(Array.isArray(result.DATA)).toBe(true);
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
  });

  it("retries 429 (honouring Retry-After) and 5xx, and reports a dropped connection after the retries", async () => {
    const { app } = makeApp();
    await using _ = app;
    await app.login();
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/`, maxRetryDelayMs: 50 });
    emu.control.injectFault({ endpoint: "transfer", kind: "rate-limit", count: 1, retryAfter: 0 });
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", count: 1 });
    await transfer.endpointSearch("x");
    expect(emu.control.requestCounts().transfer).toBe(3);
    emu.control.injectFault({ endpoint: "transfer", kind: "drop-connection", count: 10 });
    const error = await transfer.endpointSearch("x").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusNetworkError" });
    // Logging the error in full (cause included) must not print the Bearer token of the request.
    const token = (await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()).slice(
      "Bearer ".length,
    );
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
    emu.control.clearFaults();
  });

  it("revokes on logout and forgets the identity so another person can log in", async () => {
    const { app, storage } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    await app.login();
    await app.logout();
    expect(emu.control.requestCounts().revoke).toBe(4);
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    emu.control.setAutoApprove(GRACE.id);
    await app.login();
    expect((await storage.getTokenData(TRANSFER))?.identity_id).toBe(GRACE.id);
  });

  it("refuses tokens of another identity without a logout (IdentityMismatchError)", async () => {
    const { app } = makeApp();
    await using _ = app;
    await app.login();
    emu.control.setAutoApprove(GRACE.id);
    const error = await app.login({ force: true }).catch((e: unknown) => e);
    expect(isIdentityMismatchError(error)).toBe(true);
    expect(error).toMatchObject({ storedId: ADA.id, newId: GRACE.id });
  });

  it("merges requirements without duplicates and drops only the affected authorizers", async () => {
    const { app, flow } = makeApp({ tokenValidationErrorHandler: null });
    await using _ = app;
    app.addScopeRequirements({ [TRANSFER]: [TRANSFER_ALL, TRANSFER_ALL] });
    expect(app.scopeRequirements[TRANSFER]?.map(String)).toEqual([TRANSFER_ALL]);
    expect(app.scopeRequirements["auth.globus.org"]?.map(String)).toEqual(["openid"]);
    const copy = app.scopeRequirements;
    copy[TRANSFER]?.pop();
    expect(app.scopeRequirements[TRANSFER]).toHaveLength(1);
    await app.login();
    const auth = await app.getAuthorizer("auth.globus.org");
    app.addScopeRequirements({ "groups.api.globus.org": "urn:globus:auth:scope:groups.api.globus.org:all" });
    expect(await app.getAuthorizer("auth.globus.org")).toBe(auth);
    expect(await app.loginRequired()).toBe(true);
    await expect(app.getAuthorizer("groups.api.globus.org")).rejects.toSatisfy(isMissingTokenError);
    await app.login();
    expect(flow.runs).toBe(2);
    expect(await app.loginRequired()).toBe(false);
  });

  it("does not mutate the caller's auth params", async () => {
    const { app } = makeApp();
    await using _ = app;
    const authParams = { session_message: "hello", required_scopes: ["openid"] };
    await app.login({ authParams });
    expect(authParams).toEqual({ session_message: "hello", required_scopes: ["openid"] });
  });
});

describe("short-lived tokens", () => {
  it("refuses a refresh answer for another resource server, and leaves that server's tokens alone", async () => {
    const storage = new MemoryTokenStorage();
    const { app } = makeApp(
      { requestRefreshTokens: true },
      storage,
      rewritingRefreshAnswers((body) => ({ ...body, resource_server: "auth.globus.org" })),
    );
    await using _ = app;
    await app.login();
    const before = await storage.getTokenDataByResourceServer();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    const error = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader().catch((e: unknown) => e);
    expect(isGlobusError(error), String(error)).toBe(true);
    expect(String(error)).toMatch(/returned a token for auth\.globus\.org/);
    expect(await storage.getTokenDataByResourceServer()).toEqual(before);
  });

  it("keeps the stored refresh token when a refresh answer brings none (it stays valid)", async () => {
    const storage = new MemoryTokenStorage();
    const { app } = makeApp(
      { requestRefreshTokens: true },
      storage,
      rewritingRefreshAnswers(({ refresh_token: _dropped, ...body }) => body),
    );
    await using _ = app;
    await app.login();
    const before = await storage.getTokenData(TRANSFER);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
    const after = await storage.getTokenData(TRANSFER);
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(after?.refresh_token).toBe(before?.refresh_token);
  });

  it("uses a renewed token that lives less than the renewal margin instead of renewing in a loop", async () => {
    const { app } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    emu.control.setTokenLifetimes({ accessToken: 30 });
    try {
      await app.login();
      const authorizer = await app.getAuthorizer(TRANSFER);
      const header = await authorizer.getAuthorizationHeader();
      expect(header).toMatch(/^Bearer /);
      // The stored token expires within the 60 s margin, so one refresh ran, and only one.
      expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
    } finally {
      emu.control.setTokenLifetimes({ accessToken: 172800 });
    }
  });
});

describe("UserApp options", () => {
  const clientId = SAMPLE_NATIVE_CLIENT.id;
  const build = (options: unknown) => () => new UserApp("x", options as never);
  const config = (value: Record<string, unknown>) =>
    build({ clientId, config: { tokenStorage: "memory", ...value } });

  it.each<[string, () => unknown]>([
    ["null options", build(null)],
    ["options that are a string", build("abc")],
    ["a number for clientId", build({ clientId: 5 })],
    ["an object for clientId", build({ clientId: {} })],
    ["a string for scopeRequirements", build({ clientId, scopeRequirements: "abc" })],
    ["a list for scopeRequirements", build({ clientId, scopeRequirements: ["abc"] })],
    ["a loginClient that is not one", build({ loginClient: { clientId } })],
    ["a list for config", build({ clientId, config: [] })],
    ["a string for tokenValidationErrorHandler", config({ tokenValidationErrorHandler: "x" })],
    ["an idTokenDecoder without decode", config({ idTokenDecoder: {} })],
    ["a number for loginFlowManager", config({ loginFlowManager: 5 })],
    ["a storage name that is an Object.prototype member", config({ tokenStorage: "toString" })],
    ["__proto__ as a storage name", config({ tokenStorage: "__proto__" })],
    ["a storage provider that returns no storage", config({ tokenStorage: { forGlobusApp: () => ({}) } })],
    ["a number for environment", config({ environment: 5 })],
    ["a baseUrl that is not a URL", () => new NativeAppAuthClient({ clientId, baseUrl: "not a url" })],
  ])("refuses %s where the app is made, with a usage error", (_label, make) => {
    expect(make).toThrow(expect.objectContaining({ name: "GlobusSDKUsageError", code: "USAGE_ERROR" }));
  });

  it("refuses bad arguments to login, logout and addScopeRequirements with usage errors", async () => {
    const { app } = makeApp();
    await using _ = app;
    expect(() => app.addScopeRequirements(null as never)).toThrow(
      expect.objectContaining({ name: "GlobusSDKUsageError" }),
    );
    await expect(app.login(null as never)).rejects.toSatisfy(isGlobusSDKUsageError);
    await expect(app.logout(null as never)).rejects.toSatisfy(isGlobusSDKUsageError);
    await expect(
      app.login({ authParams: { session_required_identities: "a@example.org" as never } }),
    ).rejects.toSatisfy(isGlobusSDKUsageError);
  });
});
