import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { globusLogoutUrl } from "../auth/globus-logout-url.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import { UserApp } from "./user-app.ts";

const [, GRACE] = SAMPLE_IDENTITIES as unknown as [{ id: string }, { id: string }];
const PORTAL = "https://portal.example.org/";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: GRACE.id, redirectUris: [PORTAL] });
});
afterAll(() => emu.close());
afterEach(() => {
  delete (globalThis as { location?: unknown }).location;
});

function makeApp() {
  const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
  return new UserApp("Lab portal", {
    loginClient,
    config: { tokenStorage: "memory", loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient) },
  });
}

/** The page's `location`, as a browser has it: where the app sends the page is recorded. */
function fakePage(href: string) {
  const url = new URL(href);
  const assigned: string[] = [];
  (globalThis as { location?: unknown }).location = {
    origin: url.origin,
    pathname: url.pathname,
    href,
    assign: (to: string) => assigned.push(to),
  };
  return assigned;
}

describe("logout({ globusSession: true })", () => {
  it("revokes, then sends the page to Globus Auth's web logout, which ends the sign-in session", async () => {
    await using app = makeApp();
    await app.login();
    const assigned = fakePage(`${PORTAL}?tab=files`);
    const revokes = emu.control.requestCounts().revoke ?? 0;
    await app.logout({ globusSession: true });
    expect((emu.control.requestCounts().revoke ?? 0) - revokes).toBeGreaterThan(0);
    expect(await app.getUser()).toBeNull();
    expect(assigned).toHaveLength(1);
    const target = new URL(assigned[0] as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${emu.url}v2/web/logout`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      client_id: SAMPLE_NATIVE_CLIENT.id,
      redirect_uri: PORTAL,
      redirect_name: "Lab portal",
    });
    // Following it: the emulator's page links back, and the browser's sign-in session is gone.
    const page = await fetch(target);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`href="${PORTAL}">Return to Lab portal</a>`);
    expect(emu.control.revokeAll().sessions).toBe(0);
  });

  it("redirectTo names the way back; without a page it is a usage error before anything is revoked", async () => {
    await using app = makeApp();
    await app.login();
    const revokes = emu.control.requestCounts().revoke ?? 0;
    const error = await app.logout({ globusSession: true }).catch((e: unknown) => e);
    expect(isGlobusSDKUsageError(error)).toBe(true);
    expect(emu.control.requestCounts().revoke ?? 0).toBe(revokes);
    expect(await app.loginRequired()).toBe(false);

    const assigned = fakePage(`${PORTAL}files`);
    await app.logout({ globusSession: true, redirectTo: `${PORTAL}bye` });
    expect(new URL(assigned[0] as string).searchParams.get("redirect_uri")).toBe(`${PORTAL}bye`);
  });
});

describe("globusLogoutUrl", () => {
  it("builds Globus Auth's web logout address for an environment or a base URL", () => {
    expect(globusLogoutUrl({ clientId: "c", redirectUri: PORTAL, environment: "sandbox" })).toBe(
      `https://auth.sandbox.globuscs.info/v2/web/logout?client_id=c&redirect_uri=${encodeURIComponent(PORTAL)}`,
    );
    const url = new URL(
      globusLogoutUrl({ clientId: "c", redirectUri: PORTAL, redirectName: "A & B", authBaseUrl: emu.url }),
    );
    expect(url.searchParams.get("redirect_name")).toBe("A & B");
    expect(url.href.startsWith(`${emu.url}v2/web/logout?`)).toBe(true);
  });
});
