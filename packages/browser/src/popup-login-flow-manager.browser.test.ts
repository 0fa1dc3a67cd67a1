import {
  isLoginCancelledError,
  isLoginDeniedError,
  isLoginTimeoutError,
  isPopupBlockedError,
  isPopupClosedError,
} from "@globus-app/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  callbackUrl,
  captureNavigation,
  clearPendingLogins,
  fromClick,
  navigateInFrame,
  plainCallbackUrl,
  SCOPES,
  TestEmulator,
  TRANSFER,
  TRANSFER_ALL,
  waitFor,
} from "../test-support/emulator-fixture.ts";
import { UserApp } from "./browser-apps.ts";
import {
  type OpenWindow,
  POPUP_CALLBACK_MESSAGE_TYPE,
  PopupLoginFlowManager,
  type PopupLoginFlowManagerOptions,
} from "./popup-login-flow-manager.ts";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ autoApprove: true });
});
afterAll(() => emu.stop());
afterEach(async () => {
  document.body.replaceChildren();
  clearPendingLogins();
  await emu.control("setAutoApprove", true);
});

/** `window.open`, remembering the window it opened. */
function trackingOpen(): { open: OpenWindow; popup: () => Window | null } {
  let popup: Window | null = null;
  return {
    open: (url, target, features) => {
      popup = window.open(url, target, features);
      return popup;
    },
    popup: () => popup,
  };
}

async function setup(options: PopupLoginFlowManagerOptions = {}) {
  const clientId = await emu.newClientId();
  const loginClient = emu.loginClient(clientId);
  const tracking = trackingOpen();
  const flow = new PopupLoginFlowManager(loginClient, {
    redirectUri: callbackUrl(),
    openWindow: tracking.open,
    windowName: `test-${clientId}`,
    ...options,
  });
  return { clientId, loginClient, flow, popup: tracking.popup };
}

/**
 * Waits until the popup shows Globus's (the emulator's) page: its address is then unreadable here.
 * Moving it earlier races the authorize navigation still under way.
 */
async function atGlobus(popup: Window | null): Promise<Window> {
  if (!popup) throw new Error("no popup");
  await waitFor(() => {
    try {
      void popup.location.href;
      return false;
    } catch {
      return true;
    }
  });
  return popup;
}

/** The state the popup's authorize request carried, read from the emulator's request log. */
async function authorizeState(clientId: string): Promise<string> {
  let state: string | undefined;
  await waitFor(async () => {
    const log = await emu.control("requestLog");
    const entry = log.filter((r) => r.endpoint === "authorize" && r.params.client_id === clientId).at(-1);
    state = typeof entry?.params.state === "string" ? entry.params.state : undefined;
    return state !== undefined;
  });
  return state as string;
}

describe("PopupLoginFlowManager against the emulator", () => {
  it("logs in through a real popup opened by a click (window.open, Globus redirect, callback page → opener)", async () => {
    const clientId = await emu.newClientId();
    await using app = new UserApp("popup-test", {
      loginClient: emu.loginClient(clientId),
      scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
      config: {
        loginFlowManager: PopupLoginFlowManager,
        loginRedirectUri: callbackUrl(),
        tokenStorage: "memory",
      },
    });
    expect(app.loginFlowManager).toBeInstanceOf(PopupLoginFlowManager);
    const events: string[] = [];
    app.on("login", (e) => events.push(`login:${e.source}`));
    await (await fromClick(() => app.login({ force: true }))).running;
    expect(events).toEqual(["login:local"]);
    expect(await app.loginRequired()).toBe(false);
    const stored = await app.tokenStorage.tokenStorage.getTokenDataByResourceServer();
    expect(Object.keys(stored).sort()).toEqual(["auth.globus.org", TRANSFER]);
    expect(
      sessionStorage.length === 0 ||
        Object.keys(sessionStorage).every((k) => !k.startsWith("globus-app:login:")),
    ).toBe(true);
  });

  it("closes the popup once the callback arrives, and works with a callback page that runs no script", async () => {
    const { flow, popup } = await setup({ redirectUri: plainCallbackUrl(), pollIntervalMs: 50 });
    const response = await (await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }))).running;
    expect(Object.keys(response.byResourceServer)).toContain(TRANSFER);
    expect(popup()?.closed).toBe(true);
  });

  it("hands the callback over by postMessage from the callback page (no polling needed)", async () => {
    // Polling once a minute: only completePopupLogin's message can finish this login in time.
    const { flow, popup } = await setup({ pollIntervalMs: 60_000 });
    const response = await (await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }))).running;
    expect(Object.keys(response.byResourceServer)).toContain(TRANSFER);
    await waitFor(() => popup()?.closed === true);
  });

  it("ignores a callback with another state (the popup then closes itself: PopupClosedError)", async () => {
    await emu.control("setAutoApprove", false);
    const { clientId, flow, popup } = await setup({ pollIntervalMs: 50 });
    const { running } = await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }));
    await authorizeState(clientId);
    (await atGlobus(popup())).location.replace(`${callbackUrl()}?code=stolen&state=another-attempt`);
    await expect(running).rejects.toSatisfy(isPopupClosedError);
  });

  it("ignores messages from another window or of another shape; PopupClosedError when the person closes the popup", async () => {
    await emu.control("setAutoApprove", false);
    const { clientId, flow, popup } = await setup({ pollIntervalMs: 50 });
    const { running } = await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }));
    const state = await authorizeState(clientId);
    const forged = `${callbackUrl()}?code=forged&state=${encodeURIComponent(state)}`;
    // Right origin and state, wrong source (this window, not the popup).
    window.postMessage({ type: POPUP_CALLBACK_MESSAGE_TYPE, url: forged }, location.origin);
    window.postMessage({ type: "something-else", url: forged }, location.origin);
    window.postMessage("not an object", location.origin);
    await new Promise((resolve) => setTimeout(resolve, 150));
    let settled = false;
    void running.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    (await atGlobus(popup())).close();
    await expect(running).rejects.toSatisfy(isPopupClosedError);
  });

  it("error=access_denied from the popup's callback page: LoginDeniedError and the popup is closed", async () => {
    await emu.control("setAutoApprove", false);
    const { clientId, flow, popup } = await setup({ pollIntervalMs: 50 });
    const { running } = await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }));
    const state = await authorizeState(clientId);
    // Globus's Deny sends the popup here; the callback page hands it to this window.
    (await atGlobus(popup())).location.replace(
      `${callbackUrl()}?error=access_denied&error_description=The+user+denied&state=${encodeURIComponent(state)}`,
    );
    const error = await running.catch((e: unknown) => e);
    expect(isLoginDeniedError(error)).toBe(true);
    expect(error).toMatchObject({ error: "access_denied", errorDescription: "The user denied" });
    await waitFor(() => popup()?.closed === true);
  });

  it("PopupBlockedError when window.open returns null", async () => {
    const { flow } = await setup({ openWindow: () => null });
    await expect(flow.runLoginFlow({ required_scopes: SCOPES })).rejects.toSatisfy(isPopupBlockedError);
  });

  it("falls back to a redirect login when blocked and asked to; handleRedirect then completes it", async () => {
    const clientId = await emu.newClientId();
    const loginClient = emu.loginClient(clientId);
    const capture = captureNavigation();
    const redirect = new RedirectLoginFlowManager(loginClient, {
      redirectUri: callbackUrl(),
      navigate: capture.navigate,
    });
    const flow = new PopupLoginFlowManager(loginClient, {
      openWindow: () => null,
      fallbackToRedirect: redirect,
    });
    await using app = new UserApp("popup-fallback", {
      loginClient,
      config: { loginFlowManager: flow, tokenStorage: "memory" },
    });
    void app.login({ force: true });
    const callback = await navigateInFrame(await capture.next());
    expect(flow.isRedirectCallback(callback)).toBe(true);
    expect(await app.handleRedirect(callback)).toEqual({ returnUrl: location.href });
    expect(await app.loginRequired()).toBe(false);
  });

  it("LoginTimeoutError after timeoutMs, with the popup closed", async () => {
    await emu.control("setAutoApprove", false);
    const { flow, popup } = await setup({ timeoutMs: 400 });
    const { running } = await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }));
    const error = await running.catch((e: unknown) => e);
    expect(isLoginTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 400 });
    expect(popup()?.closed).toBe(true);
  });

  it("LoginCancelledError when the signal aborts, or a newer login replaces this one", async () => {
    await emu.control("setAutoApprove", false);
    const { flow, popup } = await setup();
    const controller = new AbortController();
    const { running } = await fromClick(() =>
      flow.runLoginFlow({ required_scopes: SCOPES }, { signal: controller.signal }),
    );
    controller.abort();
    await expect(running).rejects.toSatisfy(isLoginCancelledError);
    expect(popup()?.closed).toBe(true);
    await expect(
      flow.runLoginFlow({ required_scopes: SCOPES }, { signal: AbortSignal.abort() }),
    ).rejects.toSatisfy(isLoginCancelledError);

    const { running: first } = await fromClick(() => flow.runLoginFlow({ required_scopes: SCOPES }));
    const stop = new AbortController();
    const { running: second } = await fromClick(() =>
      flow.runLoginFlow({ required_scopes: SCOPES }, { signal: stop.signal }),
    );
    await expect(first).rejects.toSatisfy(isLoginCancelledError);
    // The newer login took over the same popup window.
    expect(popup()?.closed).toBe(false);
    stop.abort();
    await expect(second).rejects.toSatisfy(isLoginCancelledError);
  });
});
