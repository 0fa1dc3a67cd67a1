import { readFileSync } from "node:fs";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { ClientApp } from "../app/client-app.ts";
import type { GlobusAppPlatform } from "../app/globus-app-contracts.ts";
import { corePlatform } from "../app/globus-app-platform.ts";
import { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import { clientInfoHeaders, LIBRARY_VERSION } from "./client-info.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => vi.unstubAllEnvs());

const lastHeaders = (endpoint: string) =>
  emu.control
    .requestLog()
    .filter((entry) => entry.endpoint === endpoint)
    .at(-1)?.headers;

describe("X-Globus-Client-Info and User-Agent (the Python SDK's app_name)", () => {
  it("the version sent is the package's", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });

  it("a service client sends both, with the bound app's name, or its own", async () => {
    const token = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER_ALL,
    }).access_token;
    const transfer = new TransferClient({
      baseUrl: `${emu.url}transfer/`,
      authorizer: new AccessTokenAuthorizer(token),
      appName: "lab-sync",
    });
    await transfer.endpointSearch("tutorial");
    expect(lastHeaders("transfer")).toMatchObject({
      "x-globus-client-info": `product=globus-app-js,version=${LIBRARY_VERSION}`,
      "user-agent": `globus-app-js-${LIBRARY_VERSION}/lab-sync`,
    });
  });

  it("an app built from a client id gives its login client its name, sent on OAuth calls, made safe", async () => {
    vi.stubEnv("GLOBUS_SDK_SERVICE_URL_AUTH", emu.url);
    class NodeLikeClientApp extends ClientApp {
      static override readonly platform: GlobusAppPlatform = {
        ...corePlatform,
        confidentialLoginClient: (options) => new ConfidentialAppAuthClient(options),
      };
    }
    const app = new NodeLikeClientApp("nightly copy\r\nX-Injected: 1", {
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      scopeRequirements: { "transfer.api.globus.org": TRANSFER_ALL },
    });
    try {
      expect(app.loginClient.appName).toBe("nightly copy\r\nX-Injected: 1");
      await (await app.getAuthorizer("transfer.api.globus.org")).getAuthorizationHeader();
      expect(lastHeaders("token")).toMatchObject({
        "x-globus-client-info": `product=globus-app-js,version=${LIBRARY_VERSION}`,
        // A name cannot break the request or add a header: control characters become "_".
        "user-agent": `globus-app-js-${LIBRARY_VERSION}/nightly copy__X-Injected: 1`,
      });
    } finally {
      await app.close();
    }
  });

  it("browsers: no User-Agent, and nothing on OAuth calls (they stay simple CORS requests)", () => {
    const g = globalThis as { document?: unknown };
    g.document = {};
    try {
      expect(clientInfoHeaders("portal", "service")).toEqual({
        "x-globus-client-info": `product=globus-app-js,version=${LIBRARY_VERSION}`,
      });
      expect(clientInfoHeaders("portal", "auth")).toEqual({});
    } finally {
      delete g.document;
    }
  });
});
