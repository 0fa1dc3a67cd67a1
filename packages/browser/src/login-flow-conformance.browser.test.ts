import type { AuthorizationRequest, TokenResponse } from "@globus-app/core";
import { describeLoginFlowConformance, type LoginFlowRun } from "@globus-app/core/testing";
import { afterAll, beforeAll } from "vitest";
import { commands } from "vitest/browser";
import {
  callbackUrl,
  captureNavigation,
  fromClick,
  plainCallbackUrl,
  TestEmulator,
  waitFor,
} from "../test-support/emulator-fixture.ts";
import { PopupLoginFlowManager } from "./popup-login-flow-manager.ts";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

const AUTH_PARAMS = { required_scopes: ["openid", "profile", "email"] };

// The consent page (not auto-approve), so the person can also click Deny.
let emu: TestEmulator;
let clientId: string;
beforeAll(async () => {
  emu = await TestEmulator.start({ autoApprove: false });
  clientId = await emu.newClientId();
});
afterAll(() => emu.stop());

/** A sessionStorage of one's own: each login plays its own browser, as an attacker's would be. */
function privateStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describeLoginFlowConformance("RedirectLoginFlowManager", {
  get issuer() {
    return emu.loginClient(clientId).issuer;
  },
  approve: (url, decision = "allow") => commands.followAuthorize(url, { decision }),
  waitsPastForeignCallbacks: false,
  async start(options = {}): Promise<LoginFlowRun> {
    const capture = captureNavigation();
    const flow = new RedirectLoginFlowManager(emu.loginClient(clientId), {
      redirectUri: callbackUrl(),
      navigate: capture.navigate,
      storage: privateStorage(),
    });
    let settle!: (outcome: TokenResponse | unknown) => void;
    const result = new Promise<TokenResponse | unknown>((resolve) => {
      settle = resolve;
    });
    // runLoginFlow leaves the page; only an abort settles it here. The callback completes the login.
    flow.runLoginFlow(AUTH_PARAMS, options).catch(settle);
    const authorizeUrl = await Promise.race([capture.next(), result.then(() => "")]);
    return {
      authorizeUrl,
      result,
      deliver: async (callback) => {
        await flow.completeRedirect(callback).then(({ response }) => settle(response), settle);
      },
    };
  },
});

/** A popup flow that tells the test the authorize URL (the popup's address is unreadable then). */
class ObservedPopupFlow extends PopupLoginFlowManager {
  #seen!: (url: string) => void;
  readonly authorizeUrl = new Promise<string>((resolve) => {
    this.#seen = resolve;
  });
  protected override async startAuthorization(
    ...args: Parameters<PopupLoginFlowManager["startAuthorization"]>
  ): Promise<AuthorizationRequest> {
    const request = await super.startAuthorization(...args);
    this.#seen(request.url);
    return request;
  }
}

let popups = 0;
const POLL_MS = 50;

async function startPopupLogin(
  options: { signal?: AbortSignal } = {},
  timeoutMs = 60_000,
): Promise<LoginFlowRun> {
  let popup: Window | null = null;
  const flow = new ObservedPopupFlow(emu.loginClient(clientId), {
    // A callback page without script: the flow reads its address, and a refused one stays open.
    redirectUri: plainCallbackUrl(),
    windowName: `conformance-${++popups}`,
    pollIntervalMs: POLL_MS,
    timeoutMs,
    openWindow: (url, target, features) => {
      popup = window.open(url, target, features);
      return popup;
    },
  });
  const { running } = await fromClick(() => flow.runLoginFlow(AUTH_PARAMS, options));
  const result = running.catch((error: unknown) => error);
  return {
    authorizeUrl: await Promise.race([flow.authorizeUrl, result.then(() => "")]),
    result,
    deliver: async (callback) => {
      const window = popup as Window | null;
      if (!window || window.closed) return;
      // Handed over once the popup shows it, or the flow has settled on it (a refusal closes the
      // popup at once). Chromium sometimes drops a navigation of a popup still loading another
      // origin's page, so the test navigates again each second until the page is there; 15 s is no
      // time limit of the flow's, only how long this test waits for the browser.
      let settled = false;
      void result.then(() => {
        settled = true;
      });
      let navigatedAt = 0;
      await waitFor(() => {
        if (settled || window.closed) return true;
        try {
          if (window.location.href === callback) return true;
        } catch {
          // Still on Globus's (the emulator's) page: not readable from here.
        }
        if (performance.now() - navigatedAt > 1000) {
          navigatedAt = performance.now();
          window.location.href = callback;
        }
        return false;
      }, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    },
  };
}

describeLoginFlowConformance("PopupLoginFlowManager", {
  get issuer() {
    return emu.loginClient(clientId).issuer;
  },
  approve: (url, decision = "allow") => commands.followAuthorize(url, { decision }),
  waitsPastForeignCallbacks: true,
  start: (options) => startPopupLogin(options),
  startWithTimeout: () => startPopupLogin({}, 300),
});
