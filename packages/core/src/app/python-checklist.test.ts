// Behaviours of the Python SDK's GlobusApp (its test-suite checklist; issue #18) that the app
// classes implement, each checked end to end against the emulator.
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rejectionOf } from "../../test-support/rejection-of.ts";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import { RefreshTokenAuthorizer } from "../authorizers/refresh-token-authorizer.ts";
import {
  isMissingIdentityError,
  isMissingTokenError,
  isUnmetScopeRequirementsError,
} from "../errors/token-validation-errors.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { LoginFlowOptions } from "../login/login-flow-manager.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import {
  HasRefreshTokensValidator,
  NotExpiredValidator,
  ScopeRequirementsValidator,
  type TokenDataValidator,
  type TokenValidationContext,
  UnchangingIdentityIDValidator,
} from "../storage/token-data-validators.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";
import { ValidatingTokenStorage } from "../storage/validating-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import { ClientApp } from "./client-app.ts";
import type { GlobusAppConfigInput } from "./globus-app-contracts.ts";
import { UserApp } from "./user-app.ts";

const AUTH = "auth.globus.org";
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const GROUPS = "groups.api.globus.org";
const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";
const [ADA, GRACE] = SAMPLE_IDENTITIES as unknown as [{ id: string }, { id: string }];
const SERVICE = { id: "8b1c0f3e-6a2d-4e9b-a7c5-1d3f5b7e9a20", secret: "checklist-service-secret" };
const THREE_DAYS_MS = 3 * 86_400_000;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
  emu.control.registerClient(SERVICE);
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
  emu.control.setAutoApprove(true);
  emu.control.revokeAll();
  emu.control.clearFaults();
});

function nativeClient(): NativeAppAuthClient {
  return new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
}

function makeApp(
  config: GlobusAppConfigInput = {},
  options: { storage?: MemoryTokenStorage; scopes?: Record<string, string>; name?: string } = {},
) {
  const loginClient = nativeClient();
  const flow = new EmulatorAutoApproveLoginFlow(loginClient, {
    requestRefreshTokens: config.requestRefreshTokens ?? false,
  });
  const storage = options.storage ?? new MemoryTokenStorage();
  const app = new UserApp(options.name ?? "checklist-app", {
    loginClient,
    scopeRequirements: options.scopes ?? { [TRANSFER]: TRANSFER_ALL },
    config: { tokenStorage: storage, loginFlowManager: flow, ...config },
  });
  return { app, flow, storage, loginClient };
}

/**
 * The emulator's auto-approve flow, but asking for fewer scopes than the app requires: how a login
 * whose answer lacks a scope (or the id_token, when `openid` is dropped) is played.
 */
class ScopeDroppingFlow extends EmulatorAutoApproveLoginFlow {
  readonly #drop: string;
  constructor(loginClient: NativeAppAuthClient, drop: string) {
    super(loginClient);
    this.#drop = drop;
  }
  override runLoginFlow(authParams: GlobusAuthorizationParameters, options?: LoginFlowOptions) {
    const required_scopes = (authParams.required_scopes ?? []).filter((scope) => scope !== this.#drop);
    return super.runLoginFlow({ ...authParams, required_scopes }, options);
  }
}

/** A validator that records what it is given, and refuses nothing. */
class RecordingValidator implements TokenDataValidator {
  readonly stores: Array<{ data: Record<string, TokenStorageData>; context: TokenValidationContext }> = [];
  readonly reads: Array<{ data: Record<string, TokenStorageData>; context: TokenValidationContext }> = [];
  beforeStore(data: Readonly<Record<string, TokenStorageData>>, context: TokenValidationContext): void {
    this.stores.push({ data: structuredClone(data), context: { ...context } });
  }
  afterRetrieve(data: Readonly<Record<string, TokenStorageData>>, context: TokenValidationContext): void {
    this.reads.push({ data: structuredClone(data), context: { ...context } });
  }
}

/** An expired record without an identity: what the default validators would each refuse. */
function record(resourceServer: string): TokenStorageData {
  return {
    resource_server: resourceServer,
    identity_id: null,
    scope: "some:scope",
    access_token: `access-${resourceServer}`,
    refresh_token: null,
    expires_at_seconds: 1,
    token_type: "Bearer",
  };
}

describe("the validators a storage or an app starts with", () => {
  it("a ValidatingTokenStorage given no validators stores and hands back any record (expired, no identity, any scope)", async () => {
    const inner = new MemoryTokenStorage();
    const storage = new ValidatingTokenStorage(inner);
    expect(storage.validators).toEqual([]);
    const expired = record(TRANSFER);
    await storage.storeTokenDataByResourceServer({ [TRANSFER]: expired });
    expect(await storage.getTokenData(TRANSFER)).toEqual(expired);
    expect(await storage.getTokenDataByResourceServer()).toEqual({ [TRANSFER]: expired });
    expect(await inner.getTokenData(TRANSFER)).toEqual(expired);
  });

  it("a UserApp checks expiry (or refresh tokens), scopes and identity; a ClientApp only scopes", async () => {
    const kinds = (validators: readonly TokenDataValidator[]) =>
      validators.map((validator) => validator.constructor);
    await using plain = makeApp().app;
    expect(kinds(plain.tokenStorage.validators)).toEqual([
      NotExpiredValidator,
      ScopeRequirementsValidator,
      UnchangingIdentityIDValidator,
    ]);
    await using refreshing = makeApp({ requestRefreshTokens: true }).app;
    expect(kinds(refreshing.tokenStorage.validators)).toEqual([
      HasRefreshTokensValidator,
      ScopeRequirementsValidator,
      UnchangingIdentityIDValidator,
    ]);
    await using service = new ClientApp("svc", {
      loginClient: new ConfidentialAppAuthClient({
        clientId: SERVICE.id,
        clientSecret: SERVICE.secret,
        baseUrl: emu.url,
      }),
      config: { tokenStorage: new MemoryTokenStorage() },
    });
    expect(kinds(service.tokenStorage.validators)).toEqual([ScopeRequirementsValidator]);
  });
});

describe("what validators are given to check a store against", () => {
  it("a login's records with no prior identity and the id_token's identity; a refresh's with the stored identity", async () => {
    const { app } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    const recorder = new RecordingValidator();
    app.tokenStorage.validators.push(recorder);
    await app.login();
    expect(recorder.stores).toHaveLength(1);
    const [login] = recorder.stores;
    expect(login?.context).toEqual({ priorIdentityId: null, tokenDataIdentityId: ADA.id });
    expect(Object.keys(login?.data ?? {}).sort()).toEqual([AUTH, TRANSFER]);
    expect(login?.data[TRANSFER]).toMatchObject({ identity_id: ADA.id, scope: TRANSFER_ALL });

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + THREE_DAYS_MS });
    await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(recorder.stores).toHaveLength(2);
    const refresh = recorder.stores[1];
    expect(refresh?.context).toEqual({ priorIdentityId: ADA.id, tokenDataIdentityId: ADA.id });
    expect(Object.keys(refresh?.data ?? {})).toEqual([TRANSFER]);
    expect(refresh?.data[TRANSFER]?.identity_id).toBe(ADA.id);
  });

  it("another identity's login is checked against the stored identity, and refused", async () => {
    const { app } = makeApp();
    await using _ = app;
    const recorder = new RecordingValidator();
    app.tokenStorage.validators.unshift(recorder);
    await app.login();
    emu.control.setAutoApprove(GRACE.id);
    const error = await rejectionOf(app.login({ force: true }));
    expect(error).toMatchObject({ name: "IdentityMismatchError", storedId: ADA.id, newId: GRACE.id });
    expect(recorder.stores[1]?.context).toEqual({ priorIdentityId: ADA.id, tokenDataIdentityId: GRACE.id });
    expect((await app.tokenStorage.tokenStorage.getTokenData(TRANSFER))?.identity_id).toBe(ADA.id);
  });

  it("a store the validators refuse leaves no identity behind, so another person may log in", async () => {
    const { app, loginClient, storage } = makeApp(
      {},
      { scopes: { [TRANSFER]: TRANSFER_ALL, [AUTH]: "email" } },
    );
    await using _ = app;
    const error = await rejectionOf(
      app.login({ force: true, loginFlowManager: new ScopeDroppingFlow(loginClient, "email") }),
    );
    expect(isUnmetScopeRequirementsError(error), String(error)).toBe(true);
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(await app.tokenStorage.getIdentityId()).toBeNull();
    emu.control.setAutoApprove(GRACE.id);
    await app.login();
    expect((await storage.getTokenData(TRANSFER))?.identity_id).toBe(GRACE.id);
  });
});

describe("reading when nothing is stored", () => {
  it("getTokenData throws MissingTokenError naming the resource server; reading everything runs the validators on nothing", async () => {
    const recorder = new RecordingValidator();
    const storage = new ValidatingTokenStorage(new MemoryTokenStorage(), [recorder]);
    const error = await rejectionOf(storage.getTokenData(TRANSFER));
    expect(isMissingTokenError(error), String(error)).toBe(true);
    expect(error).toMatchObject({
      message: `No token data for ${TRANSFER}`,
      resourceServer: TRANSFER,
      code: "TOKEN_MISSING",
    });
    expect(recorder.reads).toEqual([]);
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(recorder.reads).toEqual([
      { data: {}, context: { priorIdentityId: null, tokenDataIdentityId: null } },
    ]);
    expect(await storage.getIdentityId()).toBeNull();
  });

  it("an app with empty storage needs a login, and without a handler getAuthorizer throws MissingTokenError", async () => {
    const { app, flow } = makeApp({ tokenValidationErrorHandler: null });
    await using _ = app;
    expect(await app.loginRequired()).toBe(true);
    const error = await rejectionOf(app.getAuthorizer(TRANSFER));
    expect(error).toMatchObject({ name: "MissingTokenError", resourceServer: TRANSFER });
    expect(flow.runs).toBe(0);
    expect(emu.control.requestCounts().token ?? 0).toBe(0);
  });
});

describe("a stored token that lacks a required root scope", () => {
  it("is refused on read with UnmetScopeRequirementsError listing every requirement, and a login fixes it", async () => {
    const { app, flow, storage } = makeApp({ tokenValidationErrorHandler: null });
    await using _ = app;
    await app.login();
    app.addScopeRequirements({ [AUTH]: "email" });
    expect(await app.loginRequired()).toBe(true);
    const error = await rejectionOf(app.getAuthorizer(AUTH));
    expect(isUnmetScopeRequirementsError(error), String(error)).toBe(true);
    expect(error).toMatchObject({
      message: "Unmet scope requirements",
      scopeRequirements: { [TRANSFER]: [TRANSFER_ALL], [AUTH]: ["openid", "email"] },
    });
    // The resource server whose token has its scopes is still served.
    await app.getAuthorizer(TRANSFER);
    await app.login();
    expect(flow.runs).toBe(2);
    expect((await storage.getTokenData(AUTH))?.scope.split(" ").sort()).toEqual(["email", "openid"]);
    expect(await app.loginRequired()).toBe(false);
  });

  it("is refused on store, and the tokens stored before are kept", async () => {
    const { app, loginClient, storage } = makeApp(
      {},
      { scopes: { [TRANSFER]: TRANSFER_ALL, [AUTH]: "email" } },
    );
    await using _ = app;
    await app.login();
    const before = await storage.getTokenDataByResourceServer();
    expect(before[AUTH]?.scope.split(" ").sort()).toEqual(["email", "openid"]);
    const error = await rejectionOf(
      app.login({ force: true, loginFlowManager: new ScopeDroppingFlow(loginClient, "email") }),
    );
    expect(error).toMatchObject({ name: "UnmetScopeRequirementsError", message: "Unmet scope requirements" });
    expect(await storage.getTokenDataByResourceServer()).toEqual(before);
  });
});

describe("tokens without an identity where one is needed", () => {
  it("a UserApp refuses a login answer without an id_token (no openid) with MissingIdentityError", async () => {
    const { app, loginClient, storage } = makeApp();
    await using _ = app;
    const error = await rejectionOf(
      app.login({ force: true, loginFlowManager: new ScopeDroppingFlow(loginClient, "openid") }),
    );
    expect(isMissingIdentityError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/doesn't contain an id_token.*'openid'/);
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
  });

  it("refuses it also when an identity is already stored, rather than assuming the answer is that person's", async () => {
    const { app, loginClient, storage } = makeApp();
    await using _ = app;
    await app.login();
    const before = await storage.getTokenDataByResourceServer();
    const error = await rejectionOf(
      app.login({ force: true, loginFlowManager: new ScopeDroppingFlow(loginClient, "openid") }),
    );
    expect(isMissingIdentityError(error), String(error)).toBe(true);
    expect(await storage.getTokenDataByResourceServer()).toEqual(before);
  });

  it("a ClientApp needs none: a client-credentials answer without an id_token is stored", async () => {
    const storage = new MemoryTokenStorage();
    await using app = new ClientApp("svc", {
      loginClient: new ConfidentialAppAuthClient({
        clientId: SERVICE.id,
        clientSecret: SERVICE.secret,
        baseUrl: emu.url,
      }),
      scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
      config: { tokenStorage: storage },
    });
    // The authorizer asks for Transfer's scope alone: no openid, so no id_token.
    await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(await storage.getTokenData(TRANSFER)).toMatchObject({ identity_id: null, scope: TRANSFER_ALL });
    expect(await app.tokenStorage.getIdentityId()).toBeNull();
  });
});

describe("login() runs a flow only when one is needed", () => {
  it("runs none once tokens are stored; force or authParams (even empty) run one", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    await app.login();
    expect(flow.runs).toBe(1);
    await app.login();
    await app.login({});
    expect(flow.runs).toBe(1);
    expect(emu.control.requestCounts().authorize).toBe(1);
    await app.login({ force: true });
    expect(flow.runs).toBe(2);
    await app.login({ authParams: {} });
    expect(flow.runs).toBe(3);
  });

  it("runs none for an expired access token that its refresh token can renew", async () => {
    const { app, flow } = makeApp({ requestRefreshTokens: true });
    await using _ = app;
    await app.login();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + THREE_DAYS_MS });
    await app.login();
    expect(flow.runs).toBe(1);
    expect(await app.getAuthorizer(TRANSFER)).toBeInstanceOf(RefreshTokenAuthorizer);
  });

  it("runs one for an expired access token without a refresh token", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    await app.login();
    expect(await app.getAuthorizer(TRANSFER)).toBeInstanceOf(AccessTokenAuthorizer);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + THREE_DAYS_MS });
    await app.login();
    expect(flow.runs).toBe(2);
  });
});

describe("login() of a ClientApp", () => {
  it("gets and stores tokens when none are stored, asks for none once they are, and is needed again after logout", async () => {
    const storage = new MemoryTokenStorage();
    await using app = new ClientApp("svc", {
      loginClient: new ConfidentialAppAuthClient({
        clientId: SERVICE.id,
        clientSecret: SERVICE.secret,
        baseUrl: emu.url,
      }),
      scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
      config: { tokenStorage: storage },
    });
    expect(await app.loginRequired()).toBe(true);
    await app.login();
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual([AUTH, TRANSFER]);
    // One client-credentials request for every required scope.
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
    expect(await app.loginRequired()).toBe(false);
    await app.login();
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
    await app.logout();
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(await app.loginRequired()).toBe(true);
  });
});

describe("a refresh answer with a new (rotated) refresh token", () => {
  let rotating: Emulator;
  beforeAll(async () => {
    rotating = await startEmulator({ port: 0, autoApprove: true, rotateRefreshTokens: true });
  });
  afterAll(() => rotating.close());

  it("is stored, and the stored one is what the next refresh uses, in this app and the next", async () => {
    const storage = new MemoryTokenStorage();
    const build = () => {
      const loginClient = new NativeAppAuthClient({
        clientId: SAMPLE_NATIVE_CLIENT.id,
        baseUrl: rotating.url,
      });
      return new UserApp("rotating", {
        loginClient,
        scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
        config: {
          tokenStorage: storage,
          requestRefreshTokens: true,
          tokenValidationErrorHandler: null,
          loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient, { requestRefreshTokens: true }),
        },
      });
    };
    const refreshTokenOf = async () => (await storage.getTokenData(TRANSFER))?.refresh_token;
    const app = build();
    await app.login();
    const original = await refreshTokenOf();
    const now = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: now + THREE_DAYS_MS });
    await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    const rotated = await refreshTokenOf();
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(original);
    vi.setSystemTime(now + 2 * THREE_DAYS_MS);
    await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    const again = await refreshTokenOf();
    expect(again).not.toBe(rotated);
    await app.close();
    // A new process over the same storage refreshes with the refresh token stored last.
    const next = build();
    vi.setSystemTime(now + 3 * THREE_DAYS_MS);
    const header = await (await next.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(header).toBe(`Bearer ${(await storage.getTokenData(TRANSFER))?.access_token}`);
    expect(rotating.control.requestCounts()["token:refresh_token"]).toBe(3);
    await next.close();
  });
});

describe("close() and await using", () => {
  function countingStorage() {
    const storage = new MemoryTokenStorage();
    let closes = 0;
    const close = storage.close.bind(storage);
    storage.close = () => {
      closes++;
      return close();
    };
    return { provider: { forGlobusApp: () => storage }, closes: () => closes };
  }

  it("closes the login client an app built from a clientId, and never one it was given", async () => {
    const built = new UserApp("built", {
      clientId: SAMPLE_NATIVE_CLIENT.id,
      config: { tokenStorage: "memory" },
    });
    expect(built.loginClient.closed).toBe(false);
    await built.close();
    expect(built.loginClient.closed).toBe(true);

    const given = nativeClient();
    const app = new UserApp("given", { loginClient: given, config: { tokenStorage: "memory" } });
    await app.close();
    expect(given.closed).toBe(false);

    const confidential = new ConfidentialAppAuthClient({
      clientId: SERVICE.id,
      clientSecret: SERVICE.secret,
      baseUrl: emu.url,
    });
    const service = new ClientApp("svc", { loginClient: confidential, config: { tokenStorage: "memory" } });
    await service.close();
    expect(confidential.closed).toBe(false);
  });

  it("Symbol.asyncDispose closes once: a later close() closes nothing again", async () => {
    const { provider, closes } = countingStorage();
    const app = new UserApp("disposed", {
      clientId: SAMPLE_NATIVE_CLIENT.id,
      config: { tokenStorage: provider },
    });
    const loginClientClose = vi.spyOn(app.loginClient, "close");
    await app[Symbol.asyncDispose]();
    await app.close();
    await app[Symbol.asyncDispose]();
    expect(closes()).toBe(1);
    expect(loginClientClose).toHaveBeenCalledTimes(1);
    await expect(app.getAuthorizer(TRANSFER)).rejects.toSatisfy(isGlobusSDKUsageError);
  });

  it("await using closes at the end of the block, not before", async () => {
    const { provider, closes } = countingStorage();
    {
      await using app = new UserApp("scoped", {
        clientId: SAMPLE_NATIVE_CLIENT.id,
        config: { tokenStorage: provider },
      });
      await app.loginRequired();
      expect(closes()).toBe(0);
    }
    expect(closes()).toBe(1);
  });
});

describe("two apps sharing one storage in the DEFAULT namespace", () => {
  it("each sees the other's tokens and neither loses its own", async () => {
    const storage = new MemoryTokenStorage();
    const transferApp = makeApp({}, { storage, name: "transfer-app", scopes: { [TRANSFER]: TRANSFER_ALL } });
    const groupsApp = makeApp({}, { storage, name: "groups-app", scopes: { [GROUPS]: GROUPS_ALL } });
    await using a = transferApp.app;
    await using b = groupsApp.app;
    expect(a.tokenStorage.namespace).toBe("DEFAULT");
    expect(b.tokenStorage.namespace).toBe("DEFAULT");
    await a.login();
    await b.login();
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual([
      AUTH,
      GROUPS,
      TRANSFER,
    ]);
    expect(await a.loginRequired()).toBe(false);
    expect(await b.loginRequired()).toBe(false);
    // Each reads the other's record through its own validated storage.
    expect((await a.tokenStorage.getTokenData(GROUPS)).scope).toBe(GROUPS_ALL);
    expect((await b.tokenStorage.getTokenData(TRANSFER)).scope).toBe(TRANSFER_ALL);
    const header = await (await a.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(header).toBe(`Bearer ${(await storage.getTokenData(TRANSFER))?.access_token}`);
    expect(transferApp.flow.runs + groupsApp.flow.runs).toBe(2);
    // Logging in again with one app keeps the other's resource server.
    await a.login({ force: true });
    expect((await storage.getTokenData(GROUPS))?.scope).toBe(GROUPS_ALL);
    expect(await b.loginRequired()).toBe(false);
  });
});
