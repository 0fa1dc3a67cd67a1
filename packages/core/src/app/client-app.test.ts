import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { ClientApp } from "./client-app.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.useRealTimers();
  emu.control.resetCounts();
});

function confidentialClient() {
  return new ConfidentialAppAuthClient({
    clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
    clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
    baseUrl: emu.url,
  });
}

function makeApp(storage = new MemoryTokenStorage()) {
  return new ClientApp("svc", {
    loginClient: confidentialClient(),
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    config: { tokenStorage: storage },
  });
}

describe("ClientApp against the emulator", () => {
  it("gets a service token once, stores it and reuses it", async () => {
    const storage = new MemoryTokenStorage();
    await using app = makeApp(storage);
    const header = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(header).toMatch(/^Bearer \S+$/);
    expect(await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()).toBe(header);
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
    const stored = await storage.getTokenData(TRANSFER);
    expect(stored?.access_token).toBe(header.slice("Bearer ".length));
    expect(stored?.identity_id).toBeNull();
    expect(stored?.scope).toBe(TRANSFER_ALL);
  });

  it("logs in with one client-credentials request for every required scope", async () => {
    const storage = new MemoryTokenStorage();
    await using app = makeApp(storage);
    await app.login({ force: true });
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
    const scopes = emu.control.requestLog().find((r) => r.endpoint === "token")?.params.scope ?? "";
    expect(String(scopes).split(" ").sort()).toEqual(["openid", TRANSFER_ALL]);
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual([
      "auth.globus.org",
      TRANSFER,
    ]);
    expect(await app.loginRequired()).toBe(false);
  });

  it("fetches a new token when the stored one expires", async () => {
    await using app = makeApp();
    const first = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * 86_400_000 });
    const second = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(second).not.toBe(first);
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(2);
  });

  it("shares one token request among concurrent callers", async () => {
    await using app = makeApp();
    const headers = await Promise.all(
      Array.from({ length: 25 }, async () => (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()),
    );
    expect(new Set(headers).size).toBe(1);
    expect(emu.control.requestCounts()["token:client_credentials"]).toBe(1);
  });

  it("revokes and removes its tokens on logout, and the emulator sees the revocations", async () => {
    const storage = new MemoryTokenStorage();
    await using app = makeApp(storage);
    await app.login({ force: true });
    const token = (await storage.getTokenData(TRANSFER))?.access_token;
    await app.logout();
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(emu.control.requestCounts().revoke).toBe(2);
    const introspection = await fetch(`${emu.url}v2/oauth2/token/introspect`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${SAMPLE_CONFIDENTIAL_CLIENT.id}:${SAMPLE_CONFIDENTIAL_CLIENT.secret}`)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: token ?? "" }),
    });
    expect(await introspection.json()).toEqual({ active: false });
  });

  it("never closes a storage it was given, and closes idempotently", async () => {
    const storage = new MemoryTokenStorage();
    const close = vi.spyOn(storage, "close");
    const app = makeApp(storage);
    await app.close();
    await app.close();
    expect(close).not.toHaveBeenCalled();
    await expect(app.getAuthorizer(TRANSFER)).rejects.toSatisfy(isGlobusSDKUsageError);
  });

  it("rejects the configurations Python rejects, with usage errors", () => {
    const base = { baseUrl: "http://127.0.0.1:1/" };
    const cases: Array<[string, () => unknown]> = [
      ["no secret", () => new ClientApp("x", { clientId: "abc" })],
      [
        "login flow",
        () =>
          new ClientApp("x", {
            clientId: "abc",
            clientSecret: "s",
            config: { loginFlowManager: "command-line" },
          }),
      ],
      [
        "native login client",
        () =>
          new ClientApp("x", {
            loginClient: new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, ...base }),
          }),
      ],
      ["neither", () => new ClientApp("x", {})],
      [
        "both",
        () =>
          new ClientApp("x", {
            clientId: "abc",
            loginClient: new ConfidentialAppAuthClient({ clientId: "abc", clientSecret: "s", ...base }),
          }),
      ],
      [
        "environment mismatch",
        () =>
          new ClientApp("x", {
            loginClient: new ConfidentialAppAuthClient({ clientId: "abc", clientSecret: "s", ...base }),
            config: { environment: "sandbox" },
          }),
      ],
      [
        "unknown storage",
        // @ts-expect-error -- an unknown name fails at compile time too; JavaScript callers get this error.
        () => new ClientApp("x", { clientId: "abc", clientSecret: "s", config: { tokenStorage: "nope" } }),
      ],
      [
        "unknown environment",
        () => new ClientApp("x", { clientId: "abc", clientSecret: "s", config: { environment: "moon" } }),
      ],
    ];
    for (const [label, build] of cases) {
      expect(build, label).toThrow(
        expect.objectContaining({ name: "GlobusSDKUsageError", code: "USAGE_ERROR" }),
      );
    }
  });

  it("keeps the client secret out of errors", async () => {
    const client = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: "wrong-secret-value",
      baseUrl: emu.url,
    });
    const error = await client.clientCredentialsTokens(TRANSFER_ALL).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GlobusAPIError", status: 401, errorCode: "invalid_client" });
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain(
      "wrong-secret-value",
    );
  });
});
