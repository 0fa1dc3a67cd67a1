import {
  type AuthLoginClient,
  BaseLoginFlowManager,
  type BaseLoginFlowManagerOptions,
  type GlobusAuthorizationParameters,
  GlobusSDKUsageError,
  LoginCancelledError,
  LoginFlowError,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  LoginStateMismatchError,
  loginCallbackState,
  type TokenResponse,
} from "@globus-app/core";
import { appFlowOptions, checkFlowOptions, pageLocation } from "./internal/browser-flow-support.ts";
import { type PendingLogin, parsePendingLogin } from "./internal/parse-pending-login.ts";

/** Prefix of the sessionStorage keys of pending redirect logins; one key per `state`. */
export const PENDING_LOGIN_KEY_PREFIX = "globus-app:login:";

/** Query parameters a callback carries, removed from the address bar once it is handled. */
const CALLBACK_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss"];

/** Options of {@link RedirectLoginFlowManager}. */
export interface RedirectLoginFlowManagerOptions extends BaseLoginFlowManagerOptions {
  /**
   * Where Globus Auth sends the person back: registered for the client and, with the default
   * `storage`, on this page's origin (sessionStorage does not cross origins).
   * @default `location.origin + location.pathname` at login time
   */
  redirectUri?: string | undefined;
  /**
   * Where the pending login (state, PKCE verifier, return URL) is kept until the callback. It must
   * survive the round trip to Globus in this tab. @default `sessionStorage`, looked up on first use
   */
  storage?: Storage | undefined;
  /** Sends the browser to the authorize URL. @default `url => location.assign(url)` */
  navigate?: ((url: string) => void) | undefined;
  /**
   * The same-origin http(s) page to come back to after the login, returned by
   * {@link RedirectLoginFlowManager.completeRedirect}. A function is called at login time.
   * @default `location.href` at login time
   */
  returnUrl?: string | (() => string) | undefined;
  /** How long a pending login stays acceptable, in ms; older ones are pruned. @default 3600000 (1 hour) */
  maxAgeMs?: number | undefined;
}

/** What {@link RedirectLoginFlowManager.completeRedirect} returns. */
export interface RedirectLoginResult {
  /** The verified tokens; store them (the browser `UserApp.handleRedirect` does). */
  response: TokenResponse;
  /** The same-origin URL the person was on when the login started (or the `returnUrl` option). */
  returnUrl: string;
}

const OWNER = "RedirectLoginFlowManager";

/** The callback URL without its OAuth parameters; other parameters and the hash stay. */
function withoutCallbackParams(url: URL): string {
  const clean = new URL(url);
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
  return clean.href;
}

/**
 * Logs a person in by sending this tab to Globus Auth and handling the redirect back (the
 * authorization-code flow with PKCE and a random `state`). The default flow of browser apps.
 *
 * `runLoginFlow` (and so `app.login()`) keeps the pending login in sessionStorage under a key per
 * state, then **navigates away**: its promise never settles in this page (it rejects with
 * `LoginCancelledError` only if `signal` aborts). When the person comes back, the page calls
 * {@link RedirectLoginFlowManager.completeRedirect} (the browser `UserApp.handleRedirect` does it
 * and stores the tokens), which checks the state, exchanges the code and cleans the address bar.
 *
 * Unlike the Globus JS SDK, a failed callback never leaves half a login behind: the pending entry
 * is removed whatever happens (codes are single-use anyway), stored tokens are untouched, and the
 * next `login()` starts clean. Concurrent or abandoned attempts do not collide (one entry per
 * state; entries older than `maxAgeMs` are pruned).
 *
 * @example
 * ```ts
 * const flow = new RedirectLoginFlowManager(loginClient, { redirectUri: "https://portal.example.org/callback" });
 * if (flow.isRedirectCallback()) {
 *   const { response, returnUrl } = await flow.completeRedirect();
 * } else {
 *   await flow.runLoginFlow({ required_scopes: ["openid"] }); // navigates away
 * }
 * ```
 */
export class RedirectLoginFlowManager extends BaseLoginFlowManager {
  /** The configured redirect URI; undefined means the current page's at login time. */
  readonly redirectUri: string | undefined;
  /** How long a pending login stays acceptable, in ms. */
  readonly maxAgeMs: number;
  readonly #storageOption: Storage | undefined;
  readonly #navigate: ((url: string) => void) | undefined;
  readonly #returnUrl: string | (() => string) | undefined;

  /** @throws GlobusSDKUsageError when `redirectUri` is not an absolute URL, or `maxAgeMs` not positive. */
  constructor(loginClient: AuthLoginClient, options: RedirectLoginFlowManagerOptions = {}) {
    super(loginClient, options);
    checkFlowOptions(OWNER, options, ["maxAgeMs"]);
    this.redirectUri = options.redirectUri;
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
    this.#storageOption = options.storage;
    this.#navigate = options.navigate;
    this.#returnUrl = options.returnUrl;
  }

  /**
   * Provider form, used for `loginFlowManager: "redirect"`: takes `config.loginRedirectUri`,
   * `config.requestRefreshTokens` and the app's id_token decoder; names the grant after the app.
   */
  static forGlobusApp(context: LoginFlowManagerContext): RedirectLoginFlowManager {
    return new RedirectLoginFlowManager(context.loginClient, appFlowOptions(context));
  }

  /** The storage of pending logins. */
  protected get storage(): Storage {
    if (this.#storageOption) return this.#storageOption;
    try {
      const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage;
      if (storage) return storage;
    } catch (error) {
      // Sandboxed frames and disabled storage make merely reading `sessionStorage` throw.
      throw new LoginFlowError(
        "The redirect login needs sessionStorage, which is not accessible here.",
        undefined,
        {
          cause: error,
        },
      );
    }
    throw new LoginFlowError("The redirect login needs sessionStorage, which does not exist here.");
  }

  /**
   * Starts a login: creates the authorization request, saves it for the callback, and navigates to
   * Globus Auth. The promise never settles in this page; it rejects with `LoginCancelledError` if
   * `options.signal` aborts (after navigation the callback may still complete the login).
   *
   * @throws LoginCancelledError when `signal` is aborted.
   * @throws GlobusSDKUsageError when `authParams.required_scopes` is empty, `returnUrl` is not an
   *   http(s) URL, or `returnUrl` (or, with the default storage, `redirectUri`) is not on this page's
   *   origin.
   * @throws LoginFlowError when sessionStorage cannot be used.
   */
  async runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginFlowOptions = {},
  ): Promise<TokenResponse> {
    const { signal } = options;
    if (signal?.aborted) throw new LoginCancelledError();
    const redirectUri = this.#resolveRedirectUri();
    const returnUrl = this.#resolveReturnUrl();
    const storage = this.storage;
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
      (this.#navigate ?? ((url: string) => pageLocation(OWNER, "navigating").assign(url)))(request.url);
    } catch (error) {
      storage.removeItem(PENDING_LOGIN_KEY_PREFIX + request.state);
      throw error;
    }
    return new Promise<TokenResponse>((_resolve, reject) => {
      signal?.addEventListener("abort", () => reject(new LoginCancelledError()), { once: true });
    });
  }

  /**
   * Whether `url` is a callback of a redirect login this manager started in this tab: it carries
   * `state` with `code` or `error`, and a pending login for that state (and this client) exists.
   * An app's own query parameters never make it one.
   *
   * @param url - @default `location.href`
   */
  isRedirectCallback(url: string | URL = pageLocation(OWNER, "isRedirectCallback").href): boolean {
    const state = loginCallbackState(url);
    if (!state) return false;
    try {
      return this.#read(this.storage, state) !== undefined;
    } catch {
      return false;
    }
  }

  /**
   * Completes a redirect login from its callback URL: checks the state against the pending login,
   * removes that pending login (whatever happens next), removes `code`, `state` and `error*` from
   * the address bar (other parameters and the hash stay), and exchanges the code. Does not store
   * the tokens; the browser `UserApp.handleRedirect` does.
   *
   * @param url - @default `location.href`
   * @throws LoginStateMismatchError for a callback of no pending login here: no or unknown state,
   *   another client's, older than `maxAgeMs`, replayed (already completed) or without a verifier.
   * @throws LoginIssuerMismatchError when the callback's `iss` is not Globus Auth's (RFC 9207).
   * @throws LoginDeniedError when Globus answered with `error=` (e.g. `access_denied`).
   * @throws LoginFlowError when the callback has neither a code nor an error.
   * @throws GlobusAPIError / GlobusNetworkError when the token endpoint refuses or fails; stored
   *   tokens are untouched and a new login works.
   */
  async completeRedirect(
    url: string | URL = pageLocation(OWNER, "completeRedirect").href,
    options: LoginFlowOptions = {},
  ): Promise<RedirectLoginResult> {
    // The state the callback claims only finds the pending login; readCallback then checks it.
    const state = loginCallbackState(url);
    if (!state) throw new LoginStateMismatchError();
    const storage = this.storage;
    const entry = this.#take(storage, state);
    // Leave the address bar alone only when the callback belongs to another app's pending login.
    if (entry || storage.getItem(PENDING_LOGIN_KEY_PREFIX + state) === null) this.#cleanAddressBar(state);
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

  #resolveRedirectUri(): string {
    const location = (globalThis as { location?: Location }).location;
    if (this.redirectUri === undefined) {
      const page = pageLocation(OWNER, "a login without a redirectUri");
      return page.origin + page.pathname;
    }
    // The pending login lives in this origin's sessionStorage; a callback on another origin never finds it.
    if (location && !this.#storageOption && new URL(this.redirectUri).origin !== location.origin) {
      throw new GlobusSDKUsageError(
        `${OWNER}: redirectUri must be on this page's origin (${location.origin}).`,
      );
    }
    return this.redirectUri;
  }

  #resolveReturnUrl(): string {
    const option = this.#returnUrl;
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

  /**
   * Reads a valid, fresh pending login of this client. One that is stale or unreadable is removed,
   * and so are its code and state from the address bar: nothing will complete that login, and a
   * code must not linger in the history.
   */
  #read(storage: Storage, state: string): PendingLogin | undefined {
    const key = PENDING_LOGIN_KEY_PREFIX + state;
    const raw = storage.getItem(key);
    if (raw === null) return undefined;
    const entry = this.#parse(raw);
    if (!entry || entry.state !== state || this.#isStale(entry)) {
      storage.removeItem(key);
      this.#cleanAddressBar(state);
      return undefined;
    }
    return entry.clientId === this.loginClient.clientId ? entry : undefined;
  }

  /** Reads and removes a pending login, so a second callback with the same state is refused. */
  #take(storage: Storage, state: string): PendingLogin | undefined {
    const entry = this.#read(storage, state);
    if (entry) storage.removeItem(PENDING_LOGIN_KEY_PREFIX + state);
    return entry;
  }

  #parse(raw: string): PendingLogin | undefined {
    try {
      return parsePendingLogin(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }

  #isStale(entry: PendingLogin): boolean {
    const age = Date.now() - entry.createdAt;
    return age > this.maxAgeMs || age < -this.maxAgeMs;
  }

  /** Drops abandoned attempts (the person never came back), so entries do not pile up. */
  #prune(storage: Storage): void {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(PENDING_LOGIN_KEY_PREFIX)) keys.push(key);
    }
    for (const key of keys) {
      const raw = storage.getItem(key);
      const entry = raw === null ? undefined : this.#parse(raw);
      if (!entry || this.#isStale(entry)) storage.removeItem(key);
    }
  }

  #cleanAddressBar(state: string): void {
    const location = (globalThis as { location?: Location }).location;
    const history = (globalThis as { history?: History }).history;
    if (!location || typeof history?.replaceState !== "function") return;
    const current = new URL(location.href);
    // Only this page's own callback: a URL handed in from elsewhere (a popup, a test) is left alone.
    if (current.searchParams.get("state") !== state) return;
    try {
      history.replaceState(history.state, "", withoutCallbackParams(current));
    } catch {
      // A sandboxed document may refuse; the login itself does not depend on it.
    }
  }
}
