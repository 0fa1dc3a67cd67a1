import { AccessTokenAuthorizer, AuthClient } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../test-support/emulator-fixture.ts";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());

const lastHeaders = async (endpoint: string) =>
  (await emu.control("requestLog")).filter((entry) => entry.endpoint === endpoint).at(-1)?.headers;

describe("who is calling, as a browser sends it", () => {
  it("a service call carries X-Globus-Client-Info (allowed by CORS) and the browser's own User-Agent", async () => {
    const { access_token } = await emu.control("issueTokens", {
      clientId: emu.info.nativeClientId,
      scope: "openid profile email",
    });
    const auth = new AuthClient({
      baseUrl: emu.url,
      authorizer: new AccessTokenAuthorizer(access_token),
      appName: "portal",
    });
    await auth.userinfo();
    const headers = await lastHeaders("userinfo");
    expect(headers?.["x-globus-client-info"]).toMatch(/^product=globus-app-js,version=\d+\.\d+\.\d+/);
    expect(headers?.["user-agent"]).toBe(navigator.userAgent);
  });

  it("OAuth calls carry neither header, so they stay simple CORS requests", async () => {
    const client = emu.loginClient(emu.info.nativeClientId);
    await client.revokeToken("not-a-token");
    const headers = await lastHeaders("revoke");
    expect(headers?.["x-globus-client-info"]).toBeUndefined();
    expect(headers?.["user-agent"]).toBe(navigator.userAgent);
  });
});
