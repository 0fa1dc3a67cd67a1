import {
  type AuthLoginClient,
  type AuthorizationRequest,
  BaseLoginFlowManager,
  type BaseLoginFlowManagerOptions,
  type GlobusAuthorizationParameters,
  GlobusSDKUsageError,
  isLoginStateMismatchError,
  LoginCancelledError,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  LoginStateMismatchError,
  LoginTimeoutError,
  loginCallbackState,
  PopupBlockedError,
  PopupClosedError,
  type TokenResponse,
} from "@globus-app/core";
import { appFlowOptions, checkFlowOptions, pageLocation } from "./internal/browser-flow-support.ts";
import {
  RedirectLoginFlowManager,
  type RedirectLoginFlowManagerOptions,
  type RedirectLoginResult,
} from "./redirect-login-flow-manager.ts";

/** The `type` of the message a popup's callback page posts to its opener. */
export const POPUP_CALLBACK_MESSAGE_TYPE = "globus-app:popup-callback";

/** What {@link completePopupLogin} posts to the opener (same origin only). */
export interface PopupCallbackMessage {
  type: typeof POPUP_CALLBACK_MESSAGE_TYPE;
  /** The callback URL, with `code` (or `error`) and `state`. */
  url: string;
}

/** Opens the popup; the signature of `window.open`. */
export type OpenWindow = (url: string, target: string, features: string) => Window | null;

/** Options of {@link PopupLoginFlowManager}. */
export interface PopupLoginFlowManagerOptions extends BaseLoginFlowManagerOptions {
  /**
   * Where Globus Auth sends the popup back; registered for the client, on this page's origin, and
   * serving a page that calls {@link completePopupLogin} (the browser `UserApp.handleRedirect` does).
   * @default `location.origin + location.pathname` at login time
   */
  redirectUri?: string | undefined;
  /** How long the person has to finish, in ms; then `LoginTimeoutError`. @default 300000 (5 minutes) */
  timeoutMs?: number | undefined;
  /** How often the popup is checked (closed? back on this origin?), in ms. @default 250 */
  pollIntervalMs?: number | undefined;
  /** The popup's window name. @default "globus-app-login" */
  windowName?: string | undefined;
  /** The popup's features. @default a 600×700 popup centred over this window */
  windowFeatures?: string | undefined;
  /** Opens the popup (tests inject one). @default `window.open` */
  openWindow?: OpenWindow | undefined;
  /**
   * When the browser blocks the popup, log in with a redirect instead of rejecting with
   * `PopupBlockedError`: `true` for a {@link RedirectLoginFlowManager} with the same client,
   * redirect URI and options, or the manager to use. @default false
   */
  fallbackToRedirect?: boolean | RedirectLoginFlowManager | undefined;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_POLL_MS = 250;

const OWNER = "PopupLoginFlowManager";

function isCallbackMessage(data: unknown): data is PopupCallbackMessage {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as PopupCallbackMessage).type === POPUP_CALLBACK_MESSAGE_TYPE &&
    typeof (data as PopupCallbackMessage).url === "string" &&
    (data as PopupCallbackMessage).url.length < 16_384
  );
}

function defaultFeatures(): string {
  const width = 600;
  const height = 700;
  const view = globalThis as {
    screenX?: number;
    screenY?: number;
    outerWidth?: number;
    outerHeight?: number;
  };
  const left = Math.max(0, Math.round((view.screenX ?? 0) + ((view.outerWidth ?? width) - width) / 2));
  const top = Math.max(0, Math.round((view.screenY ?? 0) + ((view.outerHeight ?? height) - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${left},top=${top}`;
}

/**
 * Call on the page the login popup comes back to (the redirect URI): posts the callback URL to the
 * opener — on this origin only — and closes the popup. Does nothing (returns false) when this page
 * has no opener or the URL is not a callback, so app start-up code may call it unconditionally.
 * The browser `UserApp.handleRedirect` calls it for you.
 *
 * @param url - @default `location.href`
 * @returns whether the callback was handed to the opener.
 * @example
 * ```ts
 * // callback.html
 * import { completePopupLogin } from "@globus-app/browser";
 * completePopupLogin();
 * ```
 */
export function completePopupLogin(url?: string | URL): boolean {
  const self = globalThis as { opener?: Window | null; location?: Location; close?: () => void };
  const opener = self.opener;
  if (!opener || !self.location) return false;
  const href = new URL(url ?? self.location.href, self.location.href).href;
  if (loginCallbackState(href) === undefined) return false;
  try {
    // An opener on another origin is not a login of ours: leave this window alone.
    if (opener.location.origin !== self.location.origin) return false;
  } catch {
    return false;
  }
  const message: PopupCallbackMessage = { type: POPUP_CALLBACK_MESSAGE_TYPE, url: href };
  try {
    // targetOrigin: only an opener on this origin may read the code.
    opener.postMessage(message, self.location.origin);
  } catch {
    return false;
  }
  try {
    self.close?.();
  } catch {
    // Some embedders refuse; the opener closes the popup too.
  }
  return true;
}

interface PendingPopup {
  /** Settles the attempt with `error`; its popup stays open when a newer attempt reuses it. */
  cancel(error: Error, closePopup: boolean): void;
}

/**
 * Logs a person in through a popup window, so the app's page (and its state) stays put. The popup
 * must be opened from a click: `runLoginFlow` calls `window.open` synchronously, before any
 * `await`, so call `app.login({ force: true })` (or with `authParams`) directly in the click handler
 * — a plain `app.login()` first reads storage, and stricter browsers (Safari) then block the popup.
 *
 * The popup goes to Globus Auth and comes back to `redirectUri` on this origin, whose page hands the
 * callback URL to this window ({@link completePopupLogin}, or `UserApp.handleRedirect`). Only a
 * message from this origin, from this popup, with this attempt's state is accepted; the opener
 * also reads the popup's address once it is back on this origin, so a callback page without the
 * library works too. Then the code is exchanged (PKCE verifier kept in memory only).
 *
 * The promise always settles, and every listener and timer is removed when it does:
 * - `PopupBlockedError` when `window.open` returns null (or a redirect, with `fallbackToRedirect`);
 * - `PopupClosedError` when the person closes the popup;
 * - `LoginTimeoutError` after `timeoutMs`;
 * - `LoginCancelledError` when `signal` aborts, or a newer login of this manager starts (the newer
 *   one takes over the same popup window);
 * - `LoginDeniedError` when Globus answers with `error=` (e.g. the person clicked Deny);
 * - `GlobusAPIError` / `GlobusNetworkError` when the code exchange fails.
 *
 * @example
 * ```ts
 * import { PopupLoginFlowManager, UserApp } from "globus-app/browser";
 * const app = new UserApp("portal", { clientId, config: { loginFlowManager: PopupLoginFlowManager } });
 * button.onclick = () => app.login({ force: true }).catch(showError);
 * ```
 */
export class PopupLoginFlowManager extends BaseLoginFlowManager {
  /** The configured redirect URI; undefined means the current page's at login time. */
  readonly redirectUri: string | undefined;
  /** How long the person has to finish, in ms. */
  readonly timeoutMs: number;
  /** How often the popup is checked, in ms. */
  readonly pollIntervalMs: number;
  /** The popup's window name. */
  readonly windowName: string;
  /** The redirect flow used when the popup is blocked, if `fallbackToRedirect` was set. */
  readonly redirectFlow: RedirectLoginFlowManager | undefined;
  readonly #features: string | undefined;
  readonly #openWindow: OpenWindow | undefined;
  #pending: PendingPopup | undefined;

  /** @throws GlobusSDKUsageError for a `redirectUri` that is not absolute, or a non-positive time. */
  constructor(loginClient: AuthLoginClient, options: PopupLoginFlowManagerOptions = {}) {
    super(loginClient, options);
    checkFlowOptions(OWNER, options, ["timeoutMs", "pollIntervalMs"]);
    this.redirectUri = options.redirectUri;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.windowName = options.windowName ?? "globus-app-login";
    this.#features = options.windowFeatures;
    this.#openWindow = options.openWindow;
    const fallback = options.fallbackToRedirect;
    if (fallback instanceof RedirectLoginFlowManager) this.redirectFlow = fallback;
    else if (fallback) {
      const redirectOptions: RedirectLoginFlowManagerOptions = {
        redirectUri: options.redirectUri,
        requestRefreshTokens: this.requestRefreshTokens,
        idTokenDecoder: this.idTokenDecoder,
      };
      if (this.prefillNamedGrant !== undefined) redirectOptions.prefillNamedGrant = this.prefillNamedGrant;
      this.redirectFlow = new RedirectLoginFlowManager(loginClient, redirectOptions);
    }
  }

  /**
   * Provider form, used for `loginFlowManager: PopupLoginFlowManager`: takes `config.loginRedirectUri`,
   * `config.requestRefreshTokens` and the app's id_token decoder; names the grant after the app.
   */
  static forGlobusApp(context: LoginFlowManagerContext): PopupLoginFlowManager {
    return new PopupLoginFlowManager(context.loginClient, appFlowOptions(context));
  }

  /**
   * Opens the popup (synchronously: call it from a click), runs the login in it, and exchanges the
   * code. See the class description for how it settles.
   */
  runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginFlowOptions = {},
  ): Promise<TokenResponse> {
    // No `async` and no `await` before window.open: the click's user activation must still hold.
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new LoginCancelledError());
    let origin: string;
    let redirectUri: string;
    try {
      const location = pageLocation(OWNER, "a popup login");
      origin = location.origin;
      redirectUri = this.redirectUri ?? location.origin + location.pathname;
      if (new URL(redirectUri).origin !== origin) {
        throw new GlobusSDKUsageError(
          `${OWNER}: redirectUri must be on this page's origin (${origin}) to hand the popup's callback back.`,
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    // The newer attempt opens the same window name, so it reuses this popup: closing it first makes
    // Chromium hand back a window that is half closed.
    this.#pending?.cancel(new LoginCancelledError("The login was replaced by a newer login."), false);
    let popup: Window | null = null;
    try {
      const open = this.#openWindow ?? ((url, target, features) => globalThis.open(url, target, features));
      popup = open("about:blank", this.windowName, this.#features ?? defaultFeatures());
    } catch {
      // Sandboxed frames throw rather than return null; it is the same refusal.
      popup = null;
    }
    if (!popup) {
      if (this.redirectFlow) return this.redirectFlow.runLoginFlow(authParams, options);
      return Promise.reject(new PopupBlockedError());
    }
    return this.#run(popup, authParams, redirectUri, origin, options);
  }

  /**
   * Whether `url` is a callback of a redirect login this manager's fallback started (so
   * `UserApp.handleRedirect` completes it). Popup callbacks are not: they go to the opener.
   */
  isRedirectCallback(url: string | URL): boolean {
    return this.redirectFlow?.isRedirectCallback(url) ?? false;
  }

  /**
   * Completes a redirect login of the fallback; see {@link RedirectLoginFlowManager.completeRedirect}.
   *
   * @throws LoginStateMismatchError without `fallbackToRedirect`: no redirect login can be pending.
   */
  completeRedirect(url: string | URL, options: LoginFlowOptions = {}): Promise<RedirectLoginResult> {
    if (!this.redirectFlow) return Promise.reject(new LoginStateMismatchError());
    return this.redirectFlow.completeRedirect(url, options);
  }

  #run(
    popup: Window,
    authParams: GlobusAuthorizationParameters,
    redirectUri: string,
    origin: string,
    options: LoginFlowOptions,
  ): Promise<TokenResponse> {
    const { signal } = options;
    return new Promise<TokenResponse>((resolve, reject) => {
      let request: AuthorizationRequest | undefined;
      let settled = false;
      let closedSeen = false;
      let poll: ReturnType<typeof setInterval> | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;

      const cleanup = (closePopup: boolean): void => {
        settled = true;
        clearInterval(poll);
        clearTimeout(timer);
        globalThis.removeEventListener("message", onMessage);
        signal?.removeEventListener("abort", onAbort);
        if (this.#pending === pending) this.#pending = undefined;
        if (closePopup) {
          try {
            popup.close();
          } catch {
            // Already gone.
          }
        }
      };
      const fail = (error: unknown, closePopup = true): void => {
        if (settled) return;
        cleanup(closePopup);
        reject(error);
      };
      const onCallback = (url: string): void => {
        if (settled || !request) return;
        let code: string;
        try {
          code = this.readCallback(url, request);
        } catch (error) {
          // Another login's callback (an older popup's, a forged one) leaves this login waiting.
          if (isLoginStateMismatchError(error)) return;
          fail(error);
          return;
        }
        cleanup(true);
        this.exchangeCode(request, code, options).then(resolve, reject);
      };
      const onMessage = (event: MessageEvent): void => {
        if (event.origin !== origin || event.source !== popup || !isCallbackMessage(event.data)) return;
        onCallback(event.data.url);
      };
      const onAbort = (): void => fail(new LoginCancelledError());
      const check = (): void => {
        if (popup.closed) {
          // completePopupLogin posts, then closes: give its message one more tick to arrive.
          if (closedSeen) fail(new PopupClosedError());
          closedSeen = true;
          return;
        }
        let href: string | undefined;
        try {
          // Readable only once the popup is back on this origin; Globus's pages throw here.
          href = popup.location.href;
        } catch {
          return;
        }
        if (href && new URL(href, "about:blank").origin === origin) onCallback(href);
      };

      const pending: PendingPopup = { cancel: (error, closePopup) => fail(error, closePopup) };
      this.#pending = pending;
      globalThis.addEventListener("message", onMessage);
      signal?.addEventListener("abort", onAbort, { once: true });
      poll = setInterval(check, this.pollIntervalMs);
      timer = setTimeout(() => fail(new LoginTimeoutError(this.timeoutMs)), this.timeoutMs);

      this.startAuthorization(authParams, redirectUri).then((started) => {
        if (settled) return;
        // Navigating a popup that is being closed can keep it open in Chromium: check first.
        if (popup.closed) {
          fail(new PopupClosedError());
          return;
        }
        request = started;
        try {
          popup.location.replace(started.url);
        } catch (error) {
          fail(error);
        }
      }, fail);
    });
  }
}
