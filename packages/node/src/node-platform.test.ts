import { ConfidentialAppAuthClient, isGlobusSDKUsageError, MemoryTokenStorage } from "@globus-app/core";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientApp } from "./client-app.ts";
import { CommandLineLoginFlowManager } from "./command-line-login-flow-manager.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { LocalServerLoginFlowManager } from "./local-server-login-flow-manager.ts";
import { nodePlatform } from "./node-platform.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";
import { UserApp } from "./user-app.ts";

const clientId = SAMPLE_NATIVE_CLIENT.id;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("nodePlatform", () => {
  it("names Node's storages and flows, with json + command-line as defaults", () => {
    expect(nodePlatform.name).toBe("node");
    expect(nodePlatform.tokenStorages).toEqual({
      memory: MemoryTokenStorage,
      json: JSONTokenStorage,
      sqlite: SQLiteTokenStorage,
    });
    expect(nodePlatform.loginFlowManagers).toEqual({
      "command-line": CommandLineLoginFlowManager,
      "local-server": LocalServerLoginFlowManager,
    });
    expect(nodePlatform.defaultTokenStorage).toBe("json");
    expect(nodePlatform.defaultLoginFlowManager).toBe("command-line");
    expect(nodePlatform.allowsClientApp).toBe(true);
    expect(UserApp.platform).toBe(nodePlatform);
    expect(ClientApp.platform).toBe(nodePlatform);
  });
});

describe("Node UserApp", () => {
  it("defaults to the command-line flow, named after the app and host", async () => {
    await using app = new UserApp("x", { clientId, config: { tokenStorage: "memory" } });
    const flow = app.loginFlowManager;
    expect(flow).toBeInstanceOf(CommandLineLoginFlowManager);
    expect((flow as CommandLineLoginFlowManager).prefillNamedGrant).toMatch(/^x( on .+)?$/);
    expect(app.tokenStorage.tokenStorage).toBeInstanceOf(MemoryTokenStorage);
  });

  it("builds the local-server flow by name", async () => {
    await using app = new UserApp("x", {
      clientId,
      config: { tokenStorage: "memory", loginFlowManager: "local-server", requestRefreshTokens: true },
    });
    expect(app.loginFlowManager).toBeInstanceOf(LocalServerLoginFlowManager);
    expect((app.loginFlowManager as LocalServerLoginFlowManager).requestRefreshTokens).toBe(true);
  });

  it("rejects unknown names and local-server misuse", async () => {
    // A browser-only name fails where the app is made, not at the first login.
    expect(
      isGlobusSDKUsageError(
        thrown(
          // @ts-expect-error -- "popup" is no Node flow name; JavaScript callers get this error.
          () => new UserApp("x", { clientId, config: { tokenStorage: "memory", loginFlowManager: "popup" } }),
        ),
      ),
    ).toBe(true);
    expect(
      isGlobusSDKUsageError(
        // @ts-expect-error -- "indexeddb" is no Node storage name; JavaScript callers get this error.
        thrown(() => new UserApp("x", { clientId, config: { tokenStorage: "indexeddb" } })),
      ),
    ).toBe(true);
    await using redirected = new UserApp("x", {
      clientId,
      config: {
        tokenStorage: "memory",
        loginFlowManager: "local-server",
        loginRedirectUri: "http://127.0.0.1:1/cb",
      },
    });
    expect(thrown(() => redirected.loginFlowManager)).toMatchObject({
      message: "Cannot define a custom redirect_uri for LocalServerLoginFlowManager.",
    });
  });

  it("uses the JSON file storage by default (created lazily, nothing written here)", () => {
    const app = new UserApp("platform-test", { clientId });
    expect(app.tokenStorage.tokenStorage).toBeInstanceOf(JSONTokenStorage);
    expect((app.tokenStorage.tokenStorage as JSONTokenStorage).filePath).toMatch(
      new RegExp(`${clientId}[/\\\\]platform-test[/\\\\]tokens\\.json$`),
    );
  });
});

describe("Node ClientApp", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());

  it("gets client-credentials tokens with memory storage", async () => {
    await using app = new ClientApp("svc", {
      loginClient: new ConfidentialAppAuthClient({
        clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
        clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
        baseUrl: emu.url,
      }),
      scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
      config: { tokenStorage: "memory" },
    });
    const header = await (await app.getAuthorizer("transfer.api.globus.org")).getAuthorizationHeader();
    expect(header).toMatch(/^Bearer \S+$/);
  });

  it("refuses a login flow", () => {
    expect(
      isGlobusSDKUsageError(
        thrown(
          () =>
            new ClientApp("svc", {
              clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
              clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
              // @ts-expect-error -- a ClientApp takes no login flow; JavaScript callers get this error.
              config: { tokenStorage: "memory", loginFlowManager: "command-line" },
            }),
        ),
      ),
    ).toBe(true);
  });
});
