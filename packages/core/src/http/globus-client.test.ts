import { createServer } from "node:net";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rejectionOf } from "../../test-support/rejection-of.ts";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { ClientApp } from "../app/client-app.ts";
import { corePlatform } from "../app/globus-app-platform.ts";
import { UserApp } from "../app/user-app.ts";
import {
  ConfidentialAppAuthClient,
  type ConfidentialAppAuthClientOptions,
} from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import { isGlobusAPIError } from "../errors/api-error.ts";
import { isGlobusNetworkError } from "../errors/network-error.ts";
import { isTokenStorageError, TokenStorageError } from "../errors/token-storage-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import { AuthClient } from "./auth-client.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.clearFaults();
  vi.unstubAllEnvs();
});

function transferToken(): string {
  return emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER_ALL }).access_token;
}

function transferClient(options: { timeoutMs?: number } = {}) {
  return new TransferClient({
    baseUrl: `${emu.url}transfer/`,
    authorizer: new AccessTokenAuthorizer(transferToken()),
    retryLimit: 0,
    ...options,
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function confidentialApp(secret: string, config: Record<string, unknown> = {}) {
  return new ClientApp("svc", {
    loginClient: new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: secret,
      baseUrl: emu.url,
    }),
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    config: { tokenStorage: new MemoryTokenStorage(), ...config },
  });
}

describe("GlobusClient time limits", () => {
  it("times out a request whose answer stops after the headers", async () => {
    emu.control.injectFault({ endpoint: "transfer", kind: "stall-body" });
    const error = await rejectionOf(transferClient({ timeoutMs: 300 }).operationLs(COLLECTION));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
  }, 8_000);

  it("takes its default time limit from GLOBUS_SDK_HTTP_TIMEOUT", async () => {
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", "0.3");
    emu.control.injectFault({ endpoint: "transfer", kind: "latency", latencyMs: 60_000 });
    const error = await rejectionOf(transferClient().operationLs(COLLECTION));
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
  }, 8_000);

  it("reports the caller's abort as NETWORK_ABORTED", async () => {
    emu.control.injectFault({ endpoint: "transfer", kind: "latency", latencyMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(
      transferClient().get(`v0.10/operation/endpoint/${COLLECTION}/ls`, { signal: controller.signal }),
    );
    expect(error).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_ABORTED" });
  }, 8_000);

  it("bounds an app's token fetch and its service calls by the app's httpTimeoutMs", async () => {
    vi.stubEnv("GLOBUS_SDK_SERVICE_URL_AUTH", emu.url);
    // A platform that builds confidential clients from a secret, as Node's does (core's does not).
    class SecretClientApp extends ClientApp {
      static override readonly platform = {
        ...corePlatform,
        confidentialLoginClient: (options: ConfidentialAppAuthClientOptions) =>
          new ConfidentialAppAuthClient(options),
      };
    }
    await using app = new SecretClientApp("svc", {
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
      config: { tokenStorage: "memory", httpTimeoutMs: 300 },
    });
    expect(app.loginClient.timeoutMs).toBe(300);
    emu.control.injectFault({ endpoint: "token", kind: "latency", latencyMs: 60_000 });
    const token = await rejectionOf(
      app.getAuthorizer(TRANSFER).then((authorizer) => authorizer.getAuthorizationHeader()),
    );
    expect(token).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/`, retryLimit: 0 });
    emu.control.injectFault({ endpoint: "transfer", kind: "latency", latencyMs: 60_000 });
    const call = await rejectionOf(transfer.operationLs(COLLECTION));
    expect(call).toMatchObject({ name: "GlobusNetworkError", code: "NETWORK_TIMEOUT" });
  }, 8_000);
});

describe("GlobusClient error types", () => {
  it("surfaces a wrong client secret met while fetching a token as Auth's invalid_client", async () => {
    const secret = "wrong-secret-that-must-not-leak";
    await using app = confidentialApp(secret);
    const error = await rejectionOf(
      new TransferClient({ app, baseUrl: `${emu.url}transfer/` }).operationLs(COLLECTION),
    );
    expect(isGlobusAPIError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, errorCode: "invalid_client" });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(secret);
  });

  it("passes a TokenStorageError from the app's storage through unchanged", async () => {
    class BrokenStorage extends MemoryTokenStorage {
      override async getTokenData(): Promise<never> {
        throw new TokenStorageError("tokens.json is corrupt", { location: "tokens.json" });
      }
      override async getTokenDataByResourceServer(): Promise<never> {
        throw new TokenStorageError("tokens.json is corrupt", { location: "tokens.json" });
      }
    }
    await using app = confidentialApp(SAMPLE_CONFIDENTIAL_CLIENT.secret, {
      tokenStorage: new BrokenStorage(),
    });
    const error = await rejectionOf(
      new TransferClient({ app, baseUrl: `${emu.url}transfer/` }).operationLs(COLLECTION),
    );
    expect(isTokenStorageError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ location: "tokens.json" });
  });

  it("passes an unexpected failure of the app through unchanged, not as a network error", async () => {
    await using app = confidentialApp(SAMPLE_CONFIDENTIAL_CLIENT.secret);
    const bug = new RangeError("the SQLite driver is not installed");
    vi.spyOn(app, "getAuthorizer").mockRejectedValue(bug);
    const error = await rejectionOf(
      new TransferClient({ app, baseUrl: `${emu.url}transfer/` }).operationLs(COLLECTION),
    );
    expect(error).toBe(bug);
  });

  it("names the cause of a refused connection and leaves the token out", async () => {
    const port = await closedPort();
    const token = transferToken();
    const transfer = new TransferClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      authorizer: new AccessTokenAuthorizer(token),
      retryLimit: 0,
    });
    const error = await rejectionOf(transfer.operationLs(COLLECTION));
    expect(isGlobusNetworkError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ code: "NETWORK_ERROR" });
    expect((error as Error).message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(token);
  });
});

describe("where a client bound to an app sends the app's tokens", () => {
  async function signedInApp() {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const app = new UserApp("test-app", {
      loginClient,
      config: { tokenStorage: "memory", loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient) },
    });
    await app.login();
    return app;
  }

  it("sends an AuthClient's requests to the app's Auth (its login client's baseUrl), not production", async () => {
    await using app = await signedInApp();
    const auth = new AuthClient({ app });
    expect(auth.baseUrl).toBe(emu.url);
    expect((await auth.userinfo()).sub).toBe(SAMPLE_IDENTITIES[0].id);
  });

  it("refuses an AuthClient whose explicit baseUrl is not the app's Auth", async () => {
    await using app = await signedInApp();
    let error: unknown;
    try {
      new AuthClient({ app, baseUrl: "https://auth.globus.org/" });
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error), String(error)).toBe(true);
    expect(String((error as Error).message)).toContain(emu.url);
    // The same URL written without its trailing slash is the same Auth.
    expect(new AuthClient({ app, baseUrl: emu.url.replace(/\/$/, "") }).baseUrl).toBe(emu.url);
  });

  it("still lets a service client point at an explicit baseUrl, but not at another environment", async () => {
    await using app = await signedInApp();
    expect(new TransferClient({ app, baseUrl: `${emu.url}transfer/` }).baseUrl).toBe(`${emu.url}transfer/`);
    expect(() => new TransferClient({ app, environment: "sandbox" })).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR" }),
    );
  });
});
