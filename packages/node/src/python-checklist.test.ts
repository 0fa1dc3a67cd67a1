// Behaviours of the Python SDK's GlobusApp (its test-suite checklist; issue #18) that need
// Node's apps: a ClientApp built from a client id and secret, and apps sharing one token file.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfidentialAppAuthClient, NativeAppAuthClient } from "@globus-app/core";
import { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ClientApp } from "./client-app.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { UserApp } from "./user-app.ts";

const AUTH = "auth.globus.org";
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const GROUPS = "groups.api.globus.org";
const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.unstubAllEnvs();
  emu.control.resetCounts();
  emu.control.revokeAll();
});

describe("a ClientApp built from a client id and secret", () => {
  it("builds its confidential login client, gets a token Transfer accepts, and closes that client", async () => {
    vi.stubEnv("GLOBUS_SDK_SERVICE_URL_AUTH", emu.url);
    const app = new ClientApp("svc", {
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
      config: { tokenStorage: "memory" },
    });
    expect(app.loginClient).toBeInstanceOf(ConfidentialAppAuthClient);
    expect(app.loginClient.baseUrl).toBe(emu.url);
    expect(app.clientId).toBe(SAMPLE_CONFIDENTIAL_CLIENT.id);
    const header = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
    const stored = await app.tokenStorage.getTokenData(TRANSFER);
    expect(header).toBe(`Bearer ${stored.access_token}`);
    const answer = await fetch(`${emu.url}transfer/v0.10/endpoint_search?filter_fulltext=tutorial`, {
      headers: { authorization: header },
    });
    expect(answer.status).toBe(200);
    await app.close();
    expect(app.loginClient.closed).toBe(true);
  });

  it("does not close a login client it was given", async () => {
    const loginClient = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: emu.url,
    });
    const app = new ClientApp("svc", { loginClient, config: { tokenStorage: "memory" } });
    await app.close();
    expect(loginClient.closed).toBe(false);
  });
});

describe("two apps sharing one JSON token file in the DEFAULT namespace", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-shared-file-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function appOver(file: string, name: string, scopes: Record<string, string>) {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const flow = new EmulatorAutoApproveLoginFlow(loginClient);
    // Each app its own storage over the one file, as two scripts would have.
    const app = new UserApp(name, {
      loginClient,
      scopeRequirements: scopes,
      config: { tokenStorage: new JSONTokenStorage(file), loginFlowManager: flow },
    });
    return { app, flow };
  }

  it("each sees the other's tokens and neither loses its own", async () => {
    const file = path.join(dir, "tokens.json");
    const transfer = appOver(file, "transfer-app", { [TRANSFER]: TRANSFER_ALL });
    const groups = appOver(file, "groups-app", { [GROUPS]: GROUPS_ALL });
    await using a = transfer.app;
    await using b = groups.app;
    await a.login();
    await b.login();
    const document = JSON.parse(await readFile(file, "utf8")) as { data: Record<string, object> };
    // Beside DEFAULT: the signed-in person's record, in a namespace of its own.
    expect(Object.keys(document.data).sort()).toEqual(["DEFAULT", "DEFAULT::globus-app:user"]);
    expect(Object.keys(document.data.DEFAULT ?? {}).sort()).toEqual([AUTH, GROUPS, TRANSFER]);
    expect(await a.loginRequired()).toBe(false);
    expect(await b.loginRequired()).toBe(false);
    expect((await a.tokenStorage.getTokenData(GROUPS)).scope).toBe(GROUPS_ALL);
    expect((await b.tokenStorage.getTokenData(TRANSFER)).scope).toBe(TRANSFER_ALL);
    // The groups app's token is the one in the file, and the emulator still accepts it.
    const header = await (await b.getAuthorizer(GROUPS)).getAuthorizationHeader();
    const answer = await fetch(`${emu.url}groups/v2/groups/my_groups`, {
      headers: { authorization: header },
    });
    expect(answer.status).toBe(200);
    await a.login({ force: true });
    expect((await b.tokenStorage.getTokenData(GROUPS)).scope).toBe(GROUPS_ALL);
    expect(transfer.flow.runs).toBe(2);
    expect(groups.flow.runs).toBe(1);
  });
});
