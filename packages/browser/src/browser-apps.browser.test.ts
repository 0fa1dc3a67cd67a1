import {
  type GlobusAppConfigInput,
  type GlobusAppEventMap,
  isGlobusSDKUsageError,
  isMissingTokenError,
  isTokenStorageError,
  MemoryTokenStorage,
} from "@globus-app/core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  callbackUrl,
  captureNavigation,
  clearPendingLogins,
  navigateInFrame,
  TestEmulator,
  TRANSFER,
  TRANSFER_ALL,
  waitFor,
} from "../test-support/emulator-fixture.ts";
import { ClientApp, UserApp } from "./browser-apps.ts";
import type { BrowserLoginFlowName, BrowserTokenStorageName } from "./browser-platform.ts";
import { FallbackTokenStorage } from "./fallback-token-storage.ts";
import { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";
import { PopupLoginFlowManager } from "./popup-login-flow-manager.ts";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

const DAY_SECONDS = 86_400;

let emu: TestEmulator;
const databases: string[] = [];
beforeAll(async () => {
  emu = await TestEmulator.start({ autoApprove: true });
});
afterAll(() => emu.stop());
afterEach(async () => {
  vi.useRealTimers();
  clearPendingLogins();
  await emu.control("setAutoApprove", true);
  await emu.control("resetClock");
  for (const name of databases.splice(0)) indexedDB.deleteDatabase(name);
});

type Capture = ReturnType<typeof captureNavigation>;

/** A browser UserApp ("indexeddb" storage unless configured) whose redirect login stays in this page. */
function makeApp(
  clientId: string,
  config: GlobusAppConfigInput<BrowserTokenStorageName, BrowserLoginFlowName> = {},
) {
  const loginClient = emu.loginClient(clientId);
  const capture = captureNavigation();
  const flow = new RedirectLoginFlowManager(loginClient, {
    redirectUri: callbackUrl(),
    navigate: capture.navigate,
    requestRefreshTokens: config.requestRefreshTokens ?? false,
  });
  databases.push(`globus-app:${encodeURIComponent(clientId)}`);
  const app = new UserApp("tabs-test", {
    loginClient,
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    config: { loginFlowManager: flow, tokenValidationErrorHandler: null, ...config },
  });
  return { app, capture };
}

/** A full redirect login: authorize URL in a real frame, then `handleRedirect` with its callback. */
async function redirectLogin({ app, capture }: { app: UserApp; capture: Capture }) {
  void app.login({ force: true }).catch(() => {});
  const callback = await navigateInFrame(await capture.next());
  const handled = await app.handleRedirect(callback);
  expect(handled).not.toBeNull();
}

function record<K extends keyof GlobusAppEventMap>(app: UserApp, ...events: K[]) {
  const seen: Array<{ event: K } & GlobusAppEventMap[K]> = [];
  for (const event of events) app.on(event, (payload) => seen.push({ event, ...payload }));
  return seen;
}

function listenToChannel(clientId: string) {
  const channel = new BroadcastChannel(`globus-app:${encodeURIComponent(clientId)}:production:DEFAULT`);
  const messages: unknown[] = [];
  channel.onmessage = (event) => messages.push(event.data);
  return { messages, close: () => channel.close() };
}

describe("browser UserApp and ClientApp", () => {
  it("defaults to IndexedDB (with memory fallback) and the redirect flow; knows the browser's names", async () => {
    const clientId = await emu.newClientId();
    await using app = new UserApp("defaults", { clientId });
    expect(app.config.tokenStorage).toBe("indexeddb");
    expect(app.tokenStorage.tokenStorage).toBeInstanceOf(FallbackTokenStorage);
    expect(app.loginFlowManager).toBeInstanceOf(RedirectLoginFlowManager);
    expect((app.loginFlowManager as RedirectLoginFlowManager).redirectUri).toBeUndefined();

    await using popup = new UserApp("popup", {
      clientId,
      config: {
        tokenStorage: LocalStorageTokenStorage,
        loginFlowManager: PopupLoginFlowManager,
        loginRedirectUri: callbackUrl(),
      },
    });
    expect(popup.tokenStorage.tokenStorage).toBeInstanceOf(LocalStorageTokenStorage);
    expect(popup.loginFlowManager).toBeInstanceOf(PopupLoginFlowManager);
    expect((popup.loginFlowManager as PopupLoginFlowManager).redirectUri).toBe(callbackUrl());

    const error = (() => {
      try {
        // @ts-expect-error -- "json" is no browser storage name; JavaScript callers get this error.
        return new UserApp("bad", { clientId, config: { tokenStorage: "json" } });
      } catch (e) {
        return e;
      }
    })();
    expect(isGlobusSDKUsageError(error)).toBe(true);
    expect(String(error)).toMatch(/"memory", "indexeddb" \(browser\)/);

    // The names of code that is imported and passed now fail with the import to use.
    const moved = (config: Record<string, string>) => {
      try {
        return new UserApp("moved", { clientId, config });
      } catch (e) {
        return e;
      }
    };
    const popupName = moved({ loginFlowManager: "popup" });
    expect(isGlobusSDKUsageError(popupName)).toBe(true);
    expect(String(popupName)).toContain(
      'import { PopupLoginFlowManager } from "globus-app/browser" and pass config: { loginFlowManager: PopupLoginFlowManager }',
    );
    const localName = moved({ tokenStorage: "localstorage" });
    expect(isGlobusSDKUsageError(localName)).toBe(true);
    expect(String(localName)).toContain(
      'import { LocalStorageTokenStorage } from "globus-app/browser" and pass config: { tokenStorage: LocalStorageTokenStorage }',
    );
  });

  it("a ClientApp refuses to run in a browser (its secret would ship to every visitor)", () => {
    let error: unknown;
    try {
      new ClientApp("service", { clientId: "id", clientSecret: "secret" });
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
    expect(String(error)).toMatch(/browser/);
    expect(String(error)).not.toContain("secret\u0000");
  });

  it("handleRedirect does nothing on an ordinary page load", async () => {
    const { app } = makeApp(await emu.newClientId());
    await using _ = app;
    const before = location.href;
    expect(await app.handleRedirect()).toBeNull();
    expect(await app.handleRedirect(`${location.origin}/?code=app-param&state=also-app`)).toBeNull();
    expect(location.href).toBe(before);
  });

  it("two tabs with an expired token make exactly ONE refresh at Globus Auth (Web Locks + shared IndexedDB)", async () => {
    const clientId = await emu.newClientId();
    const a = makeApp(clientId, { requestRefreshTokens: true });
    const b = makeApp(clientId, { requestRefreshTokens: true });
    await using _a = a.app;
    await using _b = b.app;
    const seenByB = record(b.app, "login", "tokensChanged");
    await redirectLogin(a);
    await waitFor(() => seenByB.some((e) => e.event === "login" && e.source === "remote"));
    expect(await b.app.loginRequired()).toBe(false);
    const headerBefore = await (await b.app.getAuthorizer(TRANSFER)).getAuthorizationHeader();

    await emu.control("resetCounts");
    await emu.control("advanceClock", 3 * DAY_SECONDS);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * DAY_SECONDS * 1000 });
    const headers = await Promise.all(
      Array.from({ length: 4 }, () => [a.app, b.app])
        .flat()
        .map(async (app) => (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader()),
    );
    expect(new Set(headers).size).toBe(1);
    expect(headers[0]).not.toBe(headerBefore);
    expect((await emu.control("requestCounts"))["token:refresh_token"]).toBe(1);
    await waitFor(() => seenByB.some((e) => e.event === "tokensChanged" && e.source === "remote"));
  });

  it("a logout in one tab logs the other out too (remote events, cached authorizers dropped, identity forgotten)", async () => {
    const clientId = await emu.newClientId();
    const a = makeApp(clientId);
    const b = makeApp(clientId);
    await using _a = a.app;
    await using _b = b.app;
    await redirectLogin(a);
    const stored = await a.app.tokenStorage.tokenStorage.getTokenDataByResourceServer();
    const adaId = stored[TRANSFER]?.identity_id;
    await waitFor(async () => !(await b.app.loginRequired()));
    // B holds a cached authorizer with a valid token; the logout must not leave it usable.
    await (await b.app.getAuthorizer(TRANSFER)).getAuthorizationHeader();

    const channel = listenToChannel(clientId);
    const seenByB = record(b.app, "logout", "identityChanged", "tokensChanged");
    await a.app.logout();
    await waitFor(() => seenByB.some((e) => e.event === "logout"));
    expect(seenByB.find((e) => e.event === "logout")).toEqual({
      event: "logout",
      resourceServers: expect.arrayContaining([TRANSFER, "auth.globus.org"]),
      source: "remote",
    });
    await waitFor(() => seenByB.some((e) => e.event === "identityChanged"));
    expect(seenByB.find((e) => e.event === "identityChanged")).toEqual({
      event: "identityChanged",
      identityId: null,
      user: null,
      source: "remote",
    });
    expect(await b.app.loginRequired()).toBe(true);
    await expect(b.app.getAuthorizer(TRANSFER)).rejects.toSatisfy(isMissingTokenError);

    // Another person may now log in from B (its identity was forgotten), and A hears about it.
    const grace = emu.info.identities.find((identity) => identity.username.startsWith("grace"));
    await emu.control("setAutoApprove", grace?.id ?? true);
    const seenByA = record(a.app, "login", "identityChanged");
    await redirectLogin(b);
    await waitFor(() => seenByA.some((e) => e.event === "identityChanged"));
    expect(seenByA.find((e) => e.event === "identityChanged")).toEqual({
      event: "identityChanged",
      identityId: grace?.id,
      // The other tab's record of the person, read from the shared storage.
      user: expect.objectContaining({ sub: grace?.id, preferred_username: grace?.username }),
      source: "remote",
    });
    expect(await a.app.getUser()).toMatchObject({ sub: grace?.id });
    expect(grace?.id).not.toBe(adaId);
    expect(await a.app.loginRequired()).toBe(false);

    // What went over the channel said what changed, never a token.
    channel.close();
    const text = JSON.stringify(channel.messages);
    for (const record of Object.values(stored)) {
      expect(text).not.toContain(record.access_token);
      if (record.refresh_token) expect(text).not.toContain(record.refresh_token);
    }
    expect(channel.messages.map((m) => (m as { type: string }).type)).toEqual(
      expect.arrayContaining(["logout", "tokensChanged", "identityChanged", "login"]),
    );
  });

  it("emits storageFallback once when IndexedDB cannot be opened, and keeps working in memory", async () => {
    const original = Object.getOwnPropertyDescriptor(window, "indexedDB");
    const failing = {
      open() {
        throw new DOMException("refused for the test", "InvalidStateError");
      },
    };
    Object.defineProperty(window, "indexedDB", { configurable: true, get: () => failing });
    try {
      const clientId = await emu.newClientId();
      const warnings: string[] = [];
      const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
      const tab = makeApp(clientId, { logger });
      await using app = tab.app;
      const channel = listenToChannel(clientId);
      const fallbacks = record(app, "storageFallback");
      expect(await app.loginRequired()).toBe(true);
      expect(await app.loginRequired()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(fallbacks).toHaveLength(1);
      expect(isTokenStorageError(fallbacks[0]?.error)).toBe(true);
      expect(warnings).toEqual(["storage fallback: tokens live in this page's memory (TokenStorageError)"]);

      await redirectLogin(tab);
      expect(await app.loginRequired()).toBe(false);
      const storage = app.tokenStorage.tokenStorage as FallbackTokenStorage;
      expect(storage.active).toBeInstanceOf(MemoryTokenStorage);
      // This tab's tokens are its own now: nothing is announced to other tabs.
      await new Promise((resolve) => setTimeout(resolve, 50));
      channel.close();
      expect(channel.messages).toEqual([]);
      expect(fallbacks).toHaveLength(1);
    } finally {
      if (original) Object.defineProperty(window, "indexedDB", original);
      else delete (window as { indexedDB?: unknown }).indexedDB;
    }
  });
});
