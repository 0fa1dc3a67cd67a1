import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { type GlobusAppEventMap, type GlobusLogger, NativeAppAuthClient } from "@globus-app/core";
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PYTHON_TOKEN_RECORD_KEYS } from "../test-support/python-token-record-keys.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { LocalServerLoginFlowManager } from "./local-server-login-flow-manager.ts";
import { UserApp } from "./user-app.ts";

const [ADA] = SAMPLE_IDENTITIES as unknown as [{ id: string; username: string; name: string }];

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
  dir = await mkdtemp(path.join(os.tmpdir(), "globus-user-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  emu.control.setTokenLifetimes({ accessToken: 172800 });
});

/** Everything secret a login run handled: tokens from every response, codes, verifiers, states. */
function secretCollector() {
  const secrets = new Set<string>();
  const realFetch = globalThis.fetch;
  return {
    secrets,
    wrap(): typeof fetch {
      return async (input, init) => {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        for (const key of ["code_challenge", "state"]) {
          const value = url.searchParams.get(key);
          if (value) secrets.add(value);
        }
        if (typeof init?.body === "string" || init?.body instanceof URLSearchParams) {
          for (const [key, value] of new URLSearchParams(String(init.body))) {
            if (key !== "grant_type" && key !== "client_id" && key !== "redirect_uri") secrets.add(value);
          }
        }
        const response = await realFetch(input, init);
        const text = await response.clone().text();
        for (const match of text.matchAll(/"(access_token|refresh_token|id_token)":"([^"]+)"/g)) {
          secrets.add(match[2] as string);
        }
        return response;
      };
    },
  };
}

function autoBrowser(secrets: Set<string>) {
  return async (url: string): Promise<boolean> => {
    const parsed = new URL(url);
    for (const key of ["code_challenge", "state"]) secrets.add(parsed.searchParams.get(key) ?? "");
    void fetch(url, { redirect: "manual" }).then((r) => {
      const callback = r.headers.get("location") ?? "missing";
      secrets.add(new URL(callback).searchParams.get("code") ?? "");
      return fetch(callback);
    });
    return true;
  };
}

function capturingLogger() {
  const lines: string[] = [];
  const logger = {} as GlobusLogger;
  for (const level of ["debug", "info", "warn", "error"] as const) {
    logger[level] = (message, ...details) => lines.push(`${level} ${message} ${JSON.stringify(details)}`);
  }
  return { logger, lines };
}

describe("the signed-in person", () => {
  it("is kept beside the tokens after login, outside the namespace the Python SDK reads, and cleared on logout", async () => {
    const file = path.join(dir, "tokens.json");
    const collector = secretCollector();
    const log = capturingLogger();
    const loginClient = new NativeAppAuthClient({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      baseUrl: emu.url,
      fetch: collector.wrap(),
    });
    const flow = new LocalServerLoginFlowManager(loginClient, {
      openBrowser: autoBrowser(collector.secrets),
      requestRefreshTokens: true,
      output: new PassThrough(),
    });
    const events: GlobusAppEventMap["identityChanged"][] = [];
    await using app = new UserApp("portal", {
      loginClient,
      scopeRequirements: { "auth.globus.org": ["profile", "email"] },
      config: {
        tokenStorage: new JSONTokenStorage(file),
        loginFlowManager: flow,
        requestRefreshTokens: true,
        logger: log.logger,
      },
    });
    app.on("identityChanged", (event) => events.push(event));
    expect(await app.getUser()).toBeNull();

    await app.login();
    const user = await app.getUser();
    expect(user).toMatchObject({ sub: ADA.id, preferred_username: ADA.username, name: ADA.name });
    expect(events).toEqual([{ identityId: ADA.id, user, source: "local" }]);

    // The file: the app's namespace holds token records only (what a Python reader sees); the user
    // record sits in a namespace of its own.
    const document = JSON.parse(await readFile(file, "utf8"));
    expect(Object.keys(document.data).sort()).toEqual(["DEFAULT", "DEFAULT::globus-app:user"]);
    for (const [rs, record] of Object.entries(document.data.DEFAULT as Record<string, object>)) {
      expect(
        Object.keys(record).every((key) => PYTHON_TOKEN_RECORD_KEYS.includes(key)),
        rs,
      ).toBe(true);
      expect(record).toHaveProperty("access_token");
    }
    expect(document.data["DEFAULT::globus-app:user"]).toEqual({ user });

    // Another app over the same file (the next run of a script) knows the person without a login.
    {
      await using next = new UserApp("portal", {
        clientId: SAMPLE_NATIVE_CLIENT.id,
        config: { tokenStorage: new JSONTokenStorage(file), environment: "production" },
      });
      expect(await next.getUser()).toEqual(user);
    }

    // A refresh keeps the person.
    emu.control.setTokenLifetimes({ accessToken: 10 });
    await app.login({ force: true });
    app.tokenStorage.forgetIdentity();
    const authorizer = await app.getAuthorizer("auth.globus.org");
    await authorizer.getAuthorizationHeader();
    expect(await app.getUser()).toEqual(user);

    await app.logout();
    expect(await app.getUser()).toBeNull();
    expect(events.at(-1)).toEqual({ identityId: null, user: null, source: "local" });
    expect(JSON.parse(await readFile(file, "utf8")).data).not.toHaveProperty("DEFAULT::globus-app:user");

    // Logging: the milestones are there; no secret the run handled is.
    const text = log.lines.join("\n");
    expect(text).toMatch(/login started/);
    expect(text).toMatch(/login finished/);
    expect(text).toMatch(/refreshed the tokens of auth\.globus\.org/);
    expect(text).toMatch(/logged out/);
    collector.secrets.delete("");
    expect(collector.secrets.size).toBeGreaterThan(5);
    for (const secret of collector.secrets) expect(text).not.toContain(secret);
  });
});
