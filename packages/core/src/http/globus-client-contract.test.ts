// GlobusClient's contract, against the emulator's fake Transfer and Auth: binding to an app (scopes,
// environment), the Authorization header on every attempt, the 401 retry, GARE redrive and what an
// error answer becomes.
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rejectionOf, thrownBy } from "../../test-support/rejection-of.ts";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import type { GlobusAppConfigInput } from "../app/globus-app-contracts.ts";
import { UserApp } from "../app/user-app.ts";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import { ClientCredentialsAuthorizer } from "../authorizers/client-credentials-authorizer.ts";
import type { GlobusAuthorizer } from "../authorizers/globus-authorizer.ts";
import { RefreshTokenAuthorizer } from "../authorizers/refresh-token-authorizer.ts";
import { getServiceUrl } from "../config/environment.ts";
import { GlobusAPIError, type GlobusAPIErrorInit, isGlobusAPIError } from "../errors/api-error.ts";
import type { GARE } from "../gare/gare.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { LoginFlowOptions } from "../login/login-flow-manager.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import { GlobusClient } from "./globus-client.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const MFA_COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";
const READ_ONLY_COLLECTION = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.resetCounts();
  emu.control.clearFaults();
  emu.control.clearRequirements();
  emu.control.revokeAll();
});

const transferRequests = () => emu.control.requestCounts().transfer ?? 0;
const transferUrl = () => `${emu.url}transfer/`;

function nativeClient(environment?: string): NativeAppAuthClient {
  return new NativeAppAuthClient({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    baseUrl: emu.url,
    ...(environment ? { environment } : {}),
  });
}

function makeApp(config: GlobusAppConfigInput = {}, loginClient = nativeClient()) {
  const flow = new EmulatorAutoApproveLoginFlow(loginClient, {
    requestRefreshTokens: config.requestRefreshTokens ?? false,
  });
  const app = new UserApp("client-contract", {
    loginClient,
    config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: flow, ...config },
  });
  return { app, flow };
}

function issued(options: { refreshTokens?: boolean } = {}) {
  return emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: TRANSFER_ALL,
    refreshTokens: options.refreshTokens ?? false,
  });
}

/** Wraps an authorizer and counts what the client asks of it. */
function counting(inner: GlobusAuthorizer) {
  const calls = { header: 0, missing: 0 };
  const authorizer: GlobusAuthorizer = {
    getAuthorizationHeader: () => {
      calls.header++;
      return inner.getAuthorizationHeader();
    },
    handleMissingAuthorization: () => {
      calls.missing++;
      return inner.handleMissingAuthorization();
    },
  };
  return { authorizer, calls };
}

describe("a client bound to an app", () => {
  it("registers its default scopes with the app, which then needs them", async () => {
    const { app } = makeApp({ tokenValidationErrorHandler: null });
    await using _ = app;
    await app.login();
    expect(app.scopeRequirements[TRANSFER]).toBeUndefined();
    new TransferClient({ app, baseUrl: transferUrl() });
    expect(app.scopeRequirements[TRANSFER]).toEqual([TRANSFER_ALL]);
    expect(await app.loginRequired()).toBe(true);
  });

  it("registers appScopes instead of its default scopes", async () => {
    const { app } = makeApp();
    await using _ = app;
    const custom = "urn:globus:auth:scope:transfer.api.globus.org:monitor_ongoing";
    new TransferClient({ app, appScopes: custom, baseUrl: transferUrl() });
    expect(app.scopeRequirements[TRANSFER]).toEqual([custom]);
  });

  it("adds scopes with addAppScope, chainably, and a login asks for them", async () => {
    const { app } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    const extra = "urn:globus:auth:scope:transfer.api.globus.org:monitor_ongoing";
    expect(transfer.addAppScope(extra).addAppScope([extra])).toBe(transfer);
    expect(app.scopeRequirements[TRANSFER]).toEqual([TRANSFER_ALL, extra]);
    await app.login();
    const scope = String(emu.control.requestLog().find((r) => r.endpoint === "authorize")?.params.scope);
    expect(scope.split(" ")).toEqual(expect.arrayContaining([TRANSFER_ALL, extra]));
  });

  it("refuses the usage errors of the Python SDK with its messages", async () => {
    const { app } = makeApp();
    await using _ = app;
    const cases: Array<[() => unknown, string]> = [
      [
        () => new TransferClient({ app, authorizer: new AccessTokenAuthorizer("t") }),
        "A TransferClient cannot use both an 'app' and an 'authorizer'.",
      ],
      [
        () => new TransferClient({ appScopes: TRANSFER_ALL }),
        "A TransferClient must have an 'app' to use 'appScopes'.",
      ],
      [
        () => new TransferClient({ baseUrl: transferUrl() }).addAppScope(TRANSFER_ALL),
        "Cannot 'addAppScope' on a client that does not have an 'app'.",
      ],
      [
        () => new GlobusClient({ app }, { service: "nowhere", resourceServer: undefined, defaultScopes: [] }),
        "Unable to use an 'app' with a client with no 'resource_server' defined.",
      ],
    ];
    for (const [make, message] of cases) {
      expect(thrownBy(make)).toMatchObject({ name: "GlobusSDKUsageError", message });
    }
    expect(app.scopeRequirements[TRANSFER]).toBeUndefined();
  });

  it("takes the app's environment, and refuses another with the environment-mismatch error", async () => {
    const { app } = makeApp({ environment: "sandbox" }, nativeClient("sandbox"));
    await using _ = app;
    expect(new TransferClient({ app }).baseUrl).toBe(getServiceUrl("transfer", "sandbox"));
    expect(new TransferClient({ app, environment: "sandbox" }).baseUrl).toBe(
      getServiceUrl("transfer", "sandbox"),
    );
    expect(thrownBy(() => new TransferClient({ app, environment: "preview" }))).toMatchObject({
      name: "GlobusSDKUsageError",
      message:
        "[Environment Mismatch] TransferClient's environment (preview) does not match the GlobusApp's configured environment (sandbox).",
    });
  });

  it("logs in through the app's handler on its first request, then calls the service", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    const result = await transfer.endpointSearch("tutorial");
    expect(Array.isArray(result.DATA)).toBe(true);
    expect(flow.runs).toBe(1);
  });
});

describe("the Authorization header", () => {
  it("is asked of the authorizer on every attempt, retries included", async () => {
    const { authorizer, calls } = counting(new AccessTokenAuthorizer(issued().access_token));
    const transfer = new TransferClient({ authorizer, baseUrl: transferUrl(), maxRetryDelayMs: 10 });
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", count: 2 });
    await transfer.endpointSearch("x");
    expect(transferRequests()).toBe(3);
    expect(calls.header).toBe(3);
  });

  it("is not sent by a client without an authorizer or app", async () => {
    const transfer = new TransferClient({ baseUrl: transferUrl() });
    await rejectionOf(transfer.endpointSearch("x"));
    const logged = emu.control.requestLog().find((r) => r.endpoint === "transfer");
    expect(logged?.headers.authorization).toBeUndefined();
  });
});

describe("a 401 answer", () => {
  it("with a plain access-token authorizer: nothing to renew, one request, the 401 surfaces", async () => {
    const { access_token } = issued();
    await nativeClient().revokeToken(access_token);
    const { authorizer, calls } = counting(new AccessTokenAuthorizer(access_token));
    const transfer = new TransferClient({ authorizer, baseUrl: transferUrl() });
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(isGlobusAPIError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, errorCode: "AuthenticationFailed" });
    expect(transferRequests()).toBe(1);
    expect(calls).toEqual({ header: 1, missing: 1 });
  });

  it("without an authorizer: no retry, the 401 surfaces", async () => {
    const transfer = new TransferClient({ baseUrl: transferUrl() });
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401, errorCode: "AuthenticationFailed" });
    expect(transferRequests()).toBe(1);
  });

  it("with an app holding access tokens only: no renewal, no login, the 401 surfaces", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    emu.control.revokeAll();
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401 });
    expect(transferRequests()).toBe(1);
    expect(flow.runs).toBe(1);
    expect(emu.control.requestCounts()["token:refresh_token"] ?? 0).toBe(0);
  });

  it("with a renewing authorizer: one renewal, one retry, and the answer", async () => {
    const { access_token, refresh_token, expires_in } = issued({ refreshTokens: true });
    await nativeClient().revokeToken(access_token);
    const { authorizer, calls } = counting(
      new RefreshTokenAuthorizer(refresh_token as string, nativeClient(), {
        accessToken: access_token,
        expiresAtSeconds: Date.now() / 1000 + expires_in,
      }),
    );
    const transfer = new TransferClient({ authorizer, baseUrl: transferUrl() });
    const result = await transfer.endpointSearch("x");
    expect(Array.isArray(result.DATA)).toBe(true);
    expect(transferRequests()).toBe(2);
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
    expect(calls).toEqual({ header: 2, missing: 1 });
  });

  it("retried once only: a second 401 surfaces", async () => {
    // An Auth token is no Transfer token: every attempt gets 401, however often it is renewed.
    const { authorizer, calls } = counting(
      new ClientCredentialsAuthorizer(
        new ConfidentialAppAuthClient({
          clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
          clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
          baseUrl: emu.url,
        }),
        "openid",
      ),
    );
    const transfer = new TransferClient({ authorizer, baseUrl: transferUrl() });
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401, errorCode: "AuthenticationFailed" });
    expect(transferRequests()).toBe(2);
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(2);
    expect(calls).toEqual({ header: 2, missing: 1 });
  });

  it("with a renewing authorizer that cannot renew: the renewal's error surfaces after one request", async () => {
    const { access_token, refresh_token, expires_in } = issued({ refreshTokens: true });
    await nativeClient().revokeToken(refresh_token as string);
    const authorizer = new RefreshTokenAuthorizer(refresh_token as string, nativeClient(), {
      accessToken: access_token,
      expiresAtSeconds: Date.now() / 1000 + expires_in,
    });
    const transfer = new TransferClient({ authorizer, baseUrl: transferUrl() });
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401, errorCode: "invalid_grant" });
    expect((error as GlobusAPIError).url).toBe(`${emu.url}v2/oauth2/token`);
    expect(transferRequests()).toBe(1);
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
  });
});

/** The auto-approve flow, but dropping the session parameters a GARE asks for: the GARE stays unmet. */
class SessionIgnoringFlow extends EmulatorAutoApproveLoginFlow {
  override runLoginFlow(authParams: GlobusAuthorizationParameters, options?: LoginFlowOptions) {
    return super.runLoginFlow({ required_scopes: authParams.required_scopes ?? [] }, options);
  }
}

describe("GARE redrive", () => {
  it("meets the first 403 GARE with one login using its parameters, and retries", async () => {
    emu.control.requireMfa(MFA_COLLECTION);
    const { app, flow } = makeApp({ autoRedriveGares: true });
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    const listing = await transfer.operationLs(MFA_COLLECTION);
    expect(Array.isArray(listing.DATA)).toBe(true);
    expect(flow.runs).toBe(2);
    expect(transferRequests()).toBe(2);
    const authorize = emu.control.requestLog().filter((r) => r.endpoint === "authorize")[1];
    expect(authorize?.params.session_required_mfa).toBe("true");
  });

  it("redrives a request once: a second GARE surfaces as the error", async () => {
    emu.control.requireMfa(MFA_COLLECTION);
    const loginClient = nativeClient();
    const flow = new SessionIgnoringFlow(loginClient);
    const app = new UserApp("client-contract", {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: flow, autoRedriveGares: true },
    });
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    const error = await rejectionOf(transfer.operationLs(MFA_COLLECTION));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 403 });
    expect((error as GlobusAPIError<GARE>).gares[0]?.authorization_parameters.session_required_mfa).toBe(
      true,
    );
    expect(flow.runs).toBe(2);
    expect(transferRequests()).toBe(2);
  });

  it("leaves a 403 without a GARE alone, redrive or not", async () => {
    const { app, flow } = makeApp({ autoRedriveGares: true });
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    const error = await rejectionOf(
      transfer.post(`v0.10/operation/endpoint/${READ_ONLY_COLLECTION}/mkdir`, {
        json: { DATA_TYPE: "mkdir", path: "/~/new-dir" },
      }),
    );
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 403, errorCode: "PermissionDenied" });
    expect((error as GlobusAPIError).gares).toEqual([]);
    expect(flow.runs).toBe(1);
    expect(transferRequests()).toBe(1);
  });

  it("does not redrive when autoRedriveGares is off", async () => {
    emu.control.requireMfa(MFA_COLLECTION);
    const { app, flow } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    const error = await rejectionOf(transfer.operationLs(MFA_COLLECTION));
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 403 });
    expect((error as GlobusAPIError).gares).toHaveLength(1);
    expect(flow.runs).toBe(1);
  });
});

describe("what an error answer becomes", () => {
  it("a GlobusAPIError with the status, Globus's code and message, the request's method and URL without its query", async () => {
    const { app } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: transferUrl() });
    await app.login();
    emu.control.requireMfa(MFA_COLLECTION);
    const error = (await rejectionOf(
      transfer.operationLs(MFA_COLLECTION, { path: "/~/" }),
    )) as GlobusAPIError<GARE>;
    const url = `${transferUrl()}v0.10/operation/endpoint/${MFA_COLLECTION}/ls`;
    expect(error).toMatchObject({
      name: "GlobusAPIError",
      code: "API_ERROR",
      status: 403,
      method: "GET",
      url,
    });
    expect(error.message).toMatch(new RegExp(`^GET ${url.replace(/[.?]/g, "\\$&")} failed with 403 \\w+`));
    expect(error.errorCode).toBe("AuthorizationRequired");
    expect(error.message).toContain("requires a multi-factor authentication session");
    expect(error.gares[0]?.authorization_parameters.session_required_mfa).toBe(true);
    // The body stays readable but is not serialised with the error.
    expect(error.body).toEqual(expect.objectContaining({ authorization_parameters: expect.any(Object) }));
    expect(Object.keys(error)).not.toContain("body");
  });

  it("the service's own error type when the client builds one", async () => {
    class TransferAPIError extends GlobusAPIError {
      override readonly name = "TransferAPIError";
    }
    const client = new GlobusClient(
      { baseUrl: transferUrl() },
      {
        service: "transfer",
        resourceServer: TRANSFER,
        defaultScopes: TRANSFER_ALL,
        createError: (init: GlobusAPIErrorInit) => new TransferAPIError(init),
      },
    );
    const error = await rejectionOf(client.get("v0.10/endpoint_search"));
    expect(error).toBeInstanceOf(TransferAPIError);
    expect(error).toMatchObject({ status: 401, errorCode: "AuthenticationFailed" });
    expect(isGlobusAPIError(error)).toBe(true);
  });

  it("5xx after the retries; at once when the service's retry rule says no", async () => {
    const authorizer = new AccessTokenAuthorizer(issued().access_token);
    const transfer = new TransferClient({
      authorizer,
      baseUrl: transferUrl(),
      retryLimit: 2,
      maxRetryDelayMs: 10,
    });
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", status: 502, count: 5 });
    expect(await rejectionOf(transfer.endpointSearch("x"))).toMatchObject({
      name: "GlobusAPIError",
      status: 502,
    });
    expect(transferRequests()).toBe(3);
    emu.control.clearFaults();
    emu.control.resetCounts();
    const strict = new GlobusClient(
      { authorizer, baseUrl: transferUrl(), retryLimit: 2, maxRetryDelayMs: 10 },
      { service: "transfer", resourceServer: TRANSFER, defaultScopes: TRANSFER_ALL, retryCheck: () => false },
    );
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", status: 502, count: 5 });
    expect(await rejectionOf(strict.get("v0.10/endpoint_search"))).toMatchObject({ status: 502 });
    expect(transferRequests()).toBe(1);
  });

  it("a GlobusNetworkError for a success answer whose body is not JSON", async () => {
    const transfer = new TransferClient({
      authorizer: new AccessTokenAuthorizer(issued().access_token),
      baseUrl: transferUrl(),
      retryLimit: 0,
    });
    emu.control.injectFault({ endpoint: "transfer", kind: "malformed-json" });
    const error = await rejectionOf(transfer.endpointSearch("x"));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_ERROR" });
    expect((error as Error).message).toContain("a body that is not JSON");
  });
});
