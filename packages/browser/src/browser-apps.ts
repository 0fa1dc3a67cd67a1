import {
  ClientApp as CoreClientApp,
  UserApp as CoreUserApp,
  type GlobusAppOptions,
  type GlobusAppPlatform,
} from "@globus-app/core";
import {
  type BrowserLoginFlowName,
  type BrowserTokenStorageName,
  browserPlatform,
} from "./browser-platform.ts";
import { completePopupLogin } from "./popup-login-flow-manager.ts";

/**
 * A `UserApp` for browsers: tokens in IndexedDB (falling back to memory, with a `storageFallback`
 * event, where IndexedDB cannot be opened), login by redirect, and tabs that share one login —
 * events of other tabs arrive with `source: "remote"`, and refresh is single-flight across tabs.
 * Defaults: `tokenStorage: "indexeddb"`, `loginFlowManager: "redirect"`; also `"memory"`. The popup
 * flow and localStorage are imported and passed, so apps that do not use them do not download them:
 * `import { PopupLoginFlowManager, LocalStorageTokenStorage } from "globus-app/browser"`, then
 * `config: { loginFlowManager: PopupLoginFlowManager, tokenStorage: LocalStorageTokenStorage }`.
 *
 * With the redirect flow, `login()` (and a `getAuthorizer()` that needs a login, through the
 * default `tokenValidationErrorHandler`) navigates away and never settles; call
 * {@link UserApp.handleRedirect} when the app starts to finish a login that came back.
 *
 * @example
 * ```ts
 * const app = new UserApp("my-portal", {
 *   clientId: "…",
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 *   config: { requestRefreshTokens: true },
 * });
 * const handled = await app.handleRedirect();   // null unless this page is a login callback
 * if (handled) history.replaceState(null, "", handled.returnUrl);
 * if (await app.loginRequired()) loginButton.hidden = false;
 * loginButton.onclick = () => app.login();       // navigates to Globus Auth
 * ```
 */
export class UserApp extends CoreUserApp {
  static override readonly platform: GlobusAppPlatform = browserPlatform;

  /** The browser's names only: `tokenStorage: "json"` or `loginFlowManager: "popup"` fails at compile time. */
  constructor(appName?: string, options?: GlobusAppOptions<BrowserTokenStorageName, BrowserLoginFlowName>) {
    super(appName, options);
  }

  /**
   * Finishes a login that came back to this page. For a redirect login of this app (a `code` or
   * `error` with the `state` of a login started in this tab, by the `"redirect"` flow or a popup
   * flow's redirect fallback), checks and exchanges the code, stores the tokens, emits `login`,
   * `tokensChanged` (and `identityChanged`), cleans the address bar and returns where the login
   * started. In a login popup, hands the callback to the opener and closes the popup
   * ({@link completePopupLogin}). On an ordinary page load, does nothing. Call it once at start-up.
   *
   * @param url - @default `location.href`
   * @returns `{ returnUrl }` after a redirect login; null otherwise — also for a replayed, stale or
   *   foreign callback, which is no pending login of this app.
   * @throws LoginDeniedError when the person refused (the pending login is removed).
   * @throws GlobusAPIError / GlobusNetworkError when the code exchange fails; stored tokens are
   *   untouched and a new `login()` works.
   * @throws TokenValidationError (e.g. `IdentityMismatchError`) when the new tokens cannot be stored.
   */
  override async handleRedirect(url?: string): Promise<{ returnUrl: string } | null> {
    // Same signature as core's (and Node's) UserApp: the entries' types must stay equal.
    const handled = await super.handleRedirect(url);
    if (handled) return handled;
    completePopupLogin(url);
    return null;
  }
}

/**
 * The `ClientApp` of the browser platform, which refuses to run: a client secret must never ship
 * to a browser. Constructing one throws `GlobusSDKUsageError`; use a `UserApp`, or run the
 * `ClientApp` on a server (`@globus-app/node`).
 *
 * @example
 * ```ts
 * new ClientApp("svc", { clientId, clientSecret }); // throws GlobusSDKUsageError
 * ```
 */
export class ClientApp extends CoreClientApp {
  static override readonly platform: GlobusAppPlatform = browserPlatform;
}
