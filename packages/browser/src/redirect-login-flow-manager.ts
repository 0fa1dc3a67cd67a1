import {
  type AuthLoginClient,
  type BaseLoginFlowManagerOptions,
  type GlobusAuthorizationParameters,
  type IdTokenDecoder,
  LoginFlowError,
  type LoginFlowManager,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  loadLoginMachinery,
  loginCallbackState,
  readPendingLogin,
  type TokenResponse,
} from "@globus-app/core";
import { appFlowOptions, checkFlowOptions, pageLocation } from "./internal/browser-flow-support.ts";

export { PENDING_LOGIN_KEY_PREFIX } from "@globus-app/core";

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
export class RedirectLoginFlowManager implements LoginFlowManager {
  /** The login client the flow uses. */
  readonly loginClient: AuthLoginClient;
  /** Whether refresh tokens are requested. */
  readonly requestRefreshTokens: boolean;
  /** The grant name shown on the consent page. */
  readonly prefillNamedGrant: string | undefined;
  /** The custom id_token decoder, if any. */
  readonly idTokenDecoder: IdTokenDecoder | undefined;
  /** The configured redirect URI; undefined means the current page's at login time. */
  readonly redirectUri: string | undefined;
  /** How long a pending login stays acceptable, in ms. */
  readonly maxAgeMs: number;
  readonly #storageOption: Storage | undefined;
  readonly #navigate: ((url: string) => void) | undefined;
  readonly #returnUrl: string | (() => string) | undefined;

  /** @throws GlobusSDKUsageError when `redirectUri` is not an absolute URL, or `maxAgeMs` not positive. */
  constructor(loginClient: AuthLoginClient, options: RedirectLoginFlowManagerOptions = {}) {
    checkFlowOptions(OWNER, options, ["maxAgeMs"]);
    this.loginClient = loginClient;
    this.requestRefreshTokens = options.requestRefreshTokens ?? false;
    this.prefillNamedGrant = options.prefillNamedGrant;
    this.idTokenDecoder = options.idTokenDecoder;
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
    return (await this.#steps()).runLoginFlow(authParams, options);
  }

  /**
   * The login half, in the login chunk (a signed-in page load never fetches it), bound to this
   * flow's settings (read anew: `storage` may be overridden).
   */
  async #steps() {
    const { RedirectLoginSteps } = await loadLoginMachinery();
    return new RedirectLoginSteps({
      loginClient: this.loginClient,
      redirectUri: this.redirectUri,
      maxAgeMs: this.maxAgeMs,
      storage: this.storage,
      storageGiven: this.#storageOption !== undefined,
      navigate: this.#navigate,
      returnUrl: this.#returnUrl,
      requestRefreshTokens: this.requestRefreshTokens,
      ...(this.prefillNamedGrant ? { prefillNamedGrant: this.prefillNamedGrant } : {}),
      idTokenDecoder: this.idTokenDecoder,
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
      return readPendingLogin(this.storage, state, this.loginClient.clientId, this.maxAgeMs) !== undefined;
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
    return (await this.#steps()).completeRedirect(url, options);
  }
}
