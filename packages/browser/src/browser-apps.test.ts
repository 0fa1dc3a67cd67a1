import {
  ConfidentialAppAuthClient,
  isGlobusSDKUsageError,
  MemoryTokenStorage,
  NativeAppAuthClient,
} from "@globus-app/core";
import { describe, expect, it } from "vitest";

// Node has no window, location, sessionStorage or (in Node 20) navigator: the login flows, the
// platform and the apps must import without touching any, and fail only when a page is needed.
describe("browser login flows and apps in Node", () => {
  it("import without touching browser globals", async () => {
    const [redirect, popup, platform, apps] = await Promise.all([
      import("./redirect-login-flow-manager.ts"),
      import("./popup-login-flow-manager.ts"),
      import("./browser-platform.ts"),
      import("./browser-apps.ts"),
    ]);
    expect(typeof redirect.RedirectLoginFlowManager).toBe("function");
    expect(typeof popup.PopupLoginFlowManager).toBe("function");
    expect(typeof popup.completePopupLogin).toBe("function");
    expect(platform.browserPlatform).toMatchObject({
      name: "browser",
      defaultTokenStorage: "indexeddb",
      defaultLoginFlowManager: "redirect",
      allowsClientApp: false,
    });
    // Popup and localStorage are imported and passed, so apps that do not use them do not ship them.
    expect(Object.keys(platform.browserPlatform.tokenStorages)).toEqual(["memory", "indexeddb"]);
    expect(Object.keys(platform.browserPlatform.loginFlowManagers)).toEqual(["redirect"]);
    expect(apps.UserApp.platform).toBe(platform.browserPlatform);
    expect(apps.ClientApp.platform).toBe(platform.browserPlatform);
  });

  it("builds flows and a memory-backed app; page-only calls fail with usage errors, popup hand-over is a no-op", async () => {
    const { RedirectLoginFlowManager } = await import("./redirect-login-flow-manager.ts");
    const { completePopupLogin, PopupLoginFlowManager } = await import("./popup-login-flow-manager.ts");
    const { ClientApp, UserApp } = await import("./browser-apps.ts");
    const loginClient = new NativeAppAuthClient({ clientId: "c", baseUrl: "http://127.0.0.1:9/" });

    const redirect = new RedirectLoginFlowManager(loginClient, { storage: new MapStorage() });
    expect(() => redirect.isRedirectCallback()).toThrow(/needs a page/);
    expect(redirect.isRedirectCallback("http://127.0.0.1:9/cb?code=a&state=b")).toBe(false);
    await expect(redirect.runLoginFlow({ required_scopes: ["openid"] })).rejects.toSatisfy(
      isGlobusSDKUsageError,
    );

    const popupFlow = new PopupLoginFlowManager(loginClient);
    await expect(popupFlow.runLoginFlow({ required_scopes: ["openid"] })).rejects.toSatisfy(
      isGlobusSDKUsageError,
    );
    expect(completePopupLogin("http://127.0.0.1:9/cb?code=a&state=b")).toBe(false);
    expect(() => new PopupLoginFlowManager(loginClient, { timeoutMs: 0 })).toThrow(/timeoutMs/);

    await using app = new UserApp("node-app", { loginClient, config: { tokenStorage: "memory" } });
    expect(app.tokenStorage.tokenStorage).toBeInstanceOf(MemoryTokenStorage);
    expect(app.loginFlowManager).toBeInstanceOf(RedirectLoginFlowManager);
    expect(await app.handleRedirect()).toBeNull();
    expect(await app.loginRequired()).toBe(true);

    expect(() => new ClientApp("svc", { clientId: "c", clientSecret: "s" })).toThrow(/browser platform/);
    // A UserApp must not hold a secret in a browser either, however it is given.
    const secretApp = () =>
      new UserApp("portal", { clientId: "c", clientSecret: "s", config: { tokenStorage: "memory" } });
    expect(secretApp).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR", message: expect.stringMatching(/client secret/) }),
    );
    const confidential = new ConfidentialAppAuthClient({
      clientId: "c",
      clientSecret: "s",
      baseUrl: "http://127.0.0.1:9/",
    });
    expect(
      () => new UserApp("portal", { loginClient: confidential, config: { tokenStorage: "memory" } }),
    ).toThrow(/client secret/);
  });
});

/** A `Storage` for Node, where there is no sessionStorage. */
class MapStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}
