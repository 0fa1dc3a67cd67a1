// The login half of the browser's RedirectLoginFlowManager, in the login chunk (a login or a
// callback loads it; a signed-in page load runs neither): starting a login (the authorization
// request, the pending login, the navigation) and completing one (the callback check and the code
// exchange). Web APIs are read from globalThis where the page has them.
import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { LoginFlowError } from "../errors/login-flow-error.ts";
import { LoginCancelledError, LoginStateMismatchError } from "../errors/login-flow-errors.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { BaseLoginFlowManager, type BaseLoginFlowManagerOptions } from "./base-login-flow-manager.ts";
import { loginCallbackState } from "./login-callback-state.ts";
import type { LoginFlowOptions } from "./login-flow-manager.ts";
import {
  cleanCallbackFromAddressBar,
  isStalePendingLogin,
  PENDING_LOGIN_KEY_PREFIX,
  type PendingLogin,
  type PendingLoginStore,
  parseStoredPendingLogin,
  readPendingLogin,
} from "./pending-login.ts";

const OWNER = "RedirectLoginFlowManager";

/** What the steps are given by the redirect flow. @internal */
export interface RedirectLoginSettings extends BaseLoginFlowManagerOptions {
  readonly loginClient: AuthLoginClient;
  /** The pending logins' store (sessionStorage unless the flow was given one). */
  readonly storage: PendingLoginStore;
  /** Whether the caller gave the store (then `redirectUri` may be on another origin). */
  readonly storageGiven: boolean;
  /** The configured redirect URI; undefined means this page's. */
  readonly redirectUri: string | undefined;
  readonly navigate: ((url: string) => void) | undefined;
  readonly returnUrl: string | (() => string) | undefined;
  /** How long a pending login stays acceptable, in ms. */
  readonly maxAgeMs: number;
}

/** The page's address, or a usage error naming what needed it. */
function pageLocation(what: string): Location {
  const location = (globalThis as { location?: Location }).location;
  if (!location) throw new GlobusSDKUsageError(`${OWNER}: ${what} needs a page (globalThis.location).`);
  return location;
}

/**
 * Starts and completes redirect logins for the browser's `RedirectLoginFlowManager`, with the
 * authorization-code machinery of {@link BaseLoginFlowManager}.
 * @internal
 */
export class RedirectLoginSteps extends BaseLoginFlowManager {
  readonly #settings: RedirectLoginSettings;

  constructor(settings: RedirectLoginSettings) {
    super(settings.loginClient, settings);
    this.#settings = settings;
  }

  /** See `RedirectLoginFlowManager.runLoginFlow`. */
  async runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginFlowOptions = {},
  ): Promise<TokenResponse> {
    const { signal } = options;
    if (signal?.aborted) throw new LoginCancelledError();
    const redirectUri = this.#resolveRedirectUri();
    const returnUrl = this.#resolveReturnUrl();
    const { storage } = this.#settings;
    this.#prune(storage);
    const request = await this.startAuthorization(authParams, redirectUri);
    if (signal?.aborted) throw new LoginCancelledError();
    const entry: PendingLogin = {
      v: 1,
      clientId: this.loginClient.clientId,
      state: request.state,
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
      returnUrl,
      createdAt: Date.now(),
    };
    try {
      storage.setItem(PENDING_LOGIN_KEY_PREFIX + request.state, JSON.stringify(entry));
    } catch (error) {
      throw new LoginFlowError("Could not save the pending login in sessionStorage.", undefined, {
        cause: error,
      });
    }
    try {
      (this.#settings.navigate ?? ((url: string) => pageLocation("navigating").assign(url)))(request.url);
    } catch (error) {
      storage.removeItem(PENDING_LOGIN_KEY_PREFIX + request.state);
      throw error;
    }
    return new Promise<TokenResponse>((_resolve, reject) => {
      signal?.addEventListener("abort", () => reject(new LoginCancelledError()), { once: true });
    });
  }

  /** See `RedirectLoginFlowManager.completeRedirect`. */
  async completeRedirect(
    url: string | URL,
    options: LoginFlowOptions,
  ): Promise<{ response: TokenResponse; returnUrl: string }> {
    // The state the callback claims only finds the pending login; readCallback then checks it.
    const state = loginCallbackState(url);
    if (!state) throw new LoginStateMismatchError();
    const { storage, maxAgeMs } = this.#settings;
    const entry = readPendingLogin(storage, state, this.loginClient.clientId, maxAgeMs);
    if (entry) storage.removeItem(PENDING_LOGIN_KEY_PREFIX + state);
    // Leave the address bar alone only when the callback belongs to another app's pending login.
    if (entry || storage.getItem(PENDING_LOGIN_KEY_PREFIX + state) === null)
      cleanCallbackFromAddressBar(state);
    if (!entry) throw new LoginStateMismatchError();
    const request = {
      url: "",
      state: entry.state,
      codeVerifier: entry.codeVerifier,
      redirectUri: entry.redirectUri,
    };
    const code = this.readCallback(url, request);
    if (entry.codeVerifier === null && !this.loginClient.isConfidential) {
      throw new LoginStateMismatchError("The pending login has no PKCE verifier; start a new login.");
    }
    const response = await this.exchangeCode(request, code, options);
    return { response, returnUrl: entry.returnUrl };
  }

  /** The redirect URI: the option (on this origin unless a storage was given), else this page's. */
  #resolveRedirectUri(): string {
    const { redirectUri } = this.#settings;
    const location = (globalThis as { location?: Location }).location;
    if (redirectUri === undefined) {
      const page = pageLocation("a login without a redirectUri");
      return page.origin + page.pathname;
    }
    // The pending login lives in this origin's sessionStorage; a callback on another origin never finds it.
    if (location && !this.#settings.storageGiven && new URL(redirectUri).origin !== location.origin) {
      throw new GlobusSDKUsageError(
        `${OWNER}: redirectUri must be on this page's origin (${location.origin}).`,
      );
    }
    return redirectUri;
  }

  /** The same-origin http(s) URL to come back to. */
  #resolveReturnUrl(): string {
    const option = this.#settings.returnUrl;
    const location = (globalThis as { location?: Location }).location;
    const value = typeof option === "function" ? option() : (option ?? location?.href);
    if (value === undefined) {
      throw new GlobusSDKUsageError(`${OWNER}: returnUrl is required outside a page.`);
    }
    let parsed: URL;
    try {
      parsed = location ? new URL(value, location.href) : new URL(value);
    } catch {
      throw new GlobusSDKUsageError(`${OWNER}: returnUrl must be a URL.`);
    }
    // The return URL is handed back for the app to navigate to: a `javascript:` or `data:` URL would
    // run script (their origin is "null", as is a sandboxed page's), another origin would be an
    // open redirect.
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new GlobusSDKUsageError(`${OWNER}: returnUrl must be an http or https URL.`);
    }
    if (location && parsed.origin !== location.origin) {
      throw new GlobusSDKUsageError(`${OWNER}: returnUrl must be on this page's origin.`);
    }
    return parsed.href;
  }

  /** Removes unreadable and stale pending logins (abandoned attempts). */
  #prune(storage: PendingLoginStore): void {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(PENDING_LOGIN_KEY_PREFIX)) keys.push(key);
    }
    for (const key of keys) {
      const raw = storage.getItem(key);
      const entry = raw === null ? undefined : parseStoredPendingLogin(raw);
      if (!entry || isStalePendingLogin(entry, this.#settings.maxAgeMs)) storage.removeItem(key);
    }
  }
}
