import { type Emulator, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { transferWithDataAccess } from "../scopes/scope-builders.ts";
import type { ScopesInput } from "../scopes/scope-parser.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import type { GlobusAppConfigInput } from "./globus-app-contracts.ts";
import { UserApp } from "./user-app.ts";

const TRANSFER = "transfer.api.globus.org";
const COLLECTION_A = "0d5bd5a6-16b7-4f0c-a4c6-6a9b2c8f4a01";
const COLLECTION_B = "7e2c9a4f-3b1d-4e8a-9c6f-2d4b8a1e5f02";
const COLLECTION_C = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03";
const SERVICE = { id: "3f0c8d2e-9b7a-4c1e-8f6d-5a2b1c0d9e8f", secret: "service-secret-for-tests" };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
  emu.control.registerClient({ id: SAMPLE_NATIVE_CLIENT.id });
  emu.control.registerClient(SERVICE);
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
  emu.control.clearRequirements();
  emu.control.revokeAll();
});

function makeApp(
  config: GlobusAppConfigInput = {},
  storage = new MemoryTokenStorage(),
  transferScope: ScopesInput = transferWithDataAccess([COLLECTION_A]),
) {
  const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
  const flow = new EmulatorAutoApproveLoginFlow(loginClient, {
    requestRefreshTokens: config.requestRefreshTokens ?? false,
  });
  const app = new UserApp("scopes-app", {
    loginClient,
    scopeRequirements: { [TRANSFER]: transferScope },
    config: { tokenStorage: storage, loginFlowManager: flow, ...config },
  });
  return { app, flow, storage };
}

describe("dependent scopes, consents and GAREs", () => {
  it("checks dependent scopes against the consents API, and asks again only when the cache falls short", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    await app.login();
    await app.getAuthorizer(TRANSFER);
    expect(emu.control.requestCounts().consents).toBe(1);
    app.addScopeRequirements({ [TRANSFER]: transferWithDataAccess([COLLECTION_B]) });
    await app.getAuthorizer(TRANSFER);
    // The cached consents lacked collection B: fetched again, found unmet, a login ran, then they were met.
    expect(flow.runs).toBe(2);
    expect(emu.control.requestCounts().consents).toBeGreaterThanOrEqual(2);
    const scope = String(emu.control.requestLog().filter((r) => r.endpoint === "authorize")[1]?.params.scope);
    expect(scope).toContain(COLLECTION_A);
    expect(scope).toContain(COLLECTION_B);
  });

  it("keeps requirements as given, and a login asks for them merged into one scope per name", async () => {
    const { app, flow } = makeApp({}, new MemoryTokenStorage(), [
      `urn:globus:auth:scope:${TRANSFER}:all[*https://auth.globus.org/scopes/${COLLECTION_A}/data_access]`,
      transferWithDataAccess([COLLECTION_B]),
    ]);
    await using _ = app;
    expect(app.scopeRequirements[TRANSFER]).toHaveLength(2);
    const asked: string[] = [];
    const loginClient = app.loginClient;
    const recording = {
      runLoginFlow: async (...args: Parameters<typeof flow.runLoginFlow>) => {
        const request = await loginClient.createAuthorizationRequest({
          redirectUri: flow.redirectUri,
          authParams: args[0],
        });
        asked.push(new URL(request.url).searchParams.get("scope") ?? "");
        return flow.runLoginFlow(...args);
      },
    };
    await app.login({ loginFlowManager: recording });
    expect(asked).toEqual([
      `urn:globus:auth:scope:${TRANSFER}:all[*https://auth.globus.org/scopes/${COLLECTION_A}/data_access *https://auth.globus.org/scopes/${COLLECTION_B}/data_access] openid`,
    ]);
    // One login granted both dependencies: the consents check passes without another.
    await app.getAuthorizer(TRANSFER);
    expect(flow.runs).toBe(1);
  });

  it("fails a login with ScopeParseError for a malformed requirement, and keeps the stored tokens", async () => {
    const storage = new MemoryTokenStorage();
    const { app } = makeApp({}, storage, "urn:globus:auth:scope:transfer.api.globus.org:all");
    await using _ = app;
    await app.login();
    const before = await storage.getTokenDataByResourceServer();
    // Type-checked here, parsed by the login that needs it (the page load carries no parser).
    app.addScopeRequirements({ [TRANSFER]: "urn:globus:auth:scope:transfer.api.globus.org:all[*unclosed" });
    await expect(app.login({ force: true })).rejects.toMatchObject({
      name: "ScopeParseError",
      code: "SCOPE_PARSE_ERROR",
    });
    expect(await storage.getTokenDataByResourceServer()).toEqual(before);
  });

  it("meets a data_access ConsentRequired GARE with autoRedriveGares", async () => {
    emu.control.requireDataAccess(COLLECTION_C);
    const { app, flow } = makeApp({ autoRedriveGares: true });
    await using _ = app;
    await app.login();
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/` });
    const listing = await transfer.operationLs(COLLECTION_C);
    expect(Array.isArray(listing.DATA)).toBe(true);
    expect(flow.runs).toBe(2);
  });

  it("sweeps every stored resource server on logout({ sweep: true })", async () => {
    const storage = new MemoryTokenStorage();
    const { app } = makeApp({}, storage);
    await using _ = app;
    await app.login();
    await storage.storeTokenDataByResourceServer({
      "groups.api.globus.org": {
        resource_server: "groups.api.globus.org",
        identity_id: null,
        scope: "urn:globus:auth:scope:groups.api.globus.org:all",
        access_token: "stale",
        refresh_token: null,
        expires_at_seconds: 1,
        token_type: "Bearer",
      },
    });
    await app.logout();
    expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["groups.api.globus.org"]);
    await app.logout({ sweep: true });
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
  });

  it("emits refreshFailed and throws a typed error when the refresh token was revoked", async () => {
    const { app } = makeApp(
      { requestRefreshTokens: true },
      undefined,
      "urn:globus:auth:scope:transfer.api.globus.org:all",
    );
    await using _ = app;
    await app.login();
    emu.control.revokeAll();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    const failures: string[] = [];
    app.on("refreshFailed", (e) => failures.push(e.resourceServer));
    const error = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusAPIError", errorCode: "invalid_grant" });
    expect(failures).toEqual([TRANSFER]);
  });

  it("gets dependent tokens for a service that received a user's token", async () => {
    const serviceScope = `https://auth.globus.org/scopes/${SERVICE.id}/all`;
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `${serviceScope}[urn:globus:auth:scope:transfer.api.globus.org:all]`,
    });
    const service = new ConfidentialAppAuthClient({
      clientId: SERVICE.id,
      clientSecret: SERVICE.secret,
      baseUrl: emu.url,
    });
    const dependent = await service.getDependentTokens(issued.access_token);
    expect(dependent.grantType).toBe("dependent_token");
    expect(Object.keys(dependent.byResourceServer)).toEqual([TRANSFER]);
  });

  it("closes a storage it built from a provider, but not a storage instance it was given", async () => {
    const built = new MemoryTokenStorage();
    const close = vi.spyOn(built, "close");
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const app = new UserApp("provider-app", {
      loginClient,
      config: { tokenStorage: { forGlobusApp: () => built }, loginFlowManager: EmulatorAutoApproveLoginFlow },
    });
    expect(app.loginFlowManager).toBeInstanceOf(EmulatorAutoApproveLoginFlow);
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
    const named = new UserApp("named", { loginClient, config: { tokenStorage: "memory" } });
    expect(() => named.loginFlowManager).toThrow(expect.objectContaining({ code: "USAGE_ERROR" }));
    await named.close();
    expect(
      () =>
        new UserApp("misspelt", {
          loginClient,
          // @ts-expect-error -- a misspelt name fails at compile time too; JavaScript callers get this error.
          config: { tokenStorage: "memory", loginFlowManager: "comand-line" },
        }),
    ).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR", message: expect.stringContaining('"comand-line"') }),
    );
  });
});
