import type * as oauth from "oauth4webapi";
import { getAuthUrl, resolveEnvironment, resolveTimeoutMs } from "../config/environment.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import { isLoopbackHttp } from "../internal/is-loopback-http.ts";
import type { TokenGrantType, TokenResponse } from "../storage/token-response.ts";
import type { IdTokenDecoder } from "./id-token-decoder.ts";
import { type LoadedLoginMachinery, loadLoginMachinery } from "./load-login-machinery.ts";

/**
 * The client authentication methods of the oauth4webapi the library loaded, handed to
 * `AuthLoginClient.clientAuth`. Two functions rather than the module: a module namespace handed
 * around would keep all of oauth4webapi in the bundle.
 */
export interface ClientAuthMethods {
  None: typeof oauth.None;
  ClientSecretBasic: typeof oauth.ClientSecretBasic;
}

/** Options shared by the login clients. */
export interface AuthLoginClientOptions {
  /** The client id registered with Globus Auth. */
  clientId: string;
  /** Globus environment. @default `GLOBUS_SDK_ENVIRONMENT` or "production" */
  environment?: string;
  /**
   * Globus Auth's base URL (ending in `/`), e.g. a local emulator's. @default the environment's Auth URL
   * (`GLOBUS_SDK_SERVICE_URL_AUTH` honoured).
   */
  baseUrl?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * A name for the application, sent in `User-Agent` (`globus-app-js-<version>/<appName>`) outside
   * browsers, as the Python SDK's login clients' `app_name`. Apps pass theirs to the login client
   * they build.
   */
  appName?: string;
  /**
   * Time limit of each call to Globus Auth in milliseconds (a code exchange, refresh, revocation or
   * consents GET, with the JWKS fetch of its id_token check and the reading of every answer), or
   * `null` for none. Past it the call fails with a `GlobusNetworkError` coded `NETWORK_TIMEOUT`.
   * @default `GLOBUS_SDK_HTTP_TIMEOUT` (seconds; -1 is none), else 60000
   */
  timeoutMs?: number | null;
  /**
   * How far the id_token's `exp`, `iat` and `nbf` may be off this machine's clock, in seconds. This
   * and the next two options are checked when the login code loads (the first login, callback or
   * refresh), which throws `GlobusSDKUsageError` for a bad value.
   * @default 300
   */
  jwtLeewaySeconds?: number;
  /**
   * Globus Auth's OpenID configuration, supplied in advance (e.g. read at build time): the id_token
   * check then makes no discovery request. Without it the first id_token check fetches
   * `<baseUrl>.well-known/openid-configuration` once per client.
   */
  openidConfiguration?: OpenIdConfiguration;
  /**
   * Globus Auth's signing keys (a JWKS), supplied in advance with `openidConfiguration`: the id_token
   * check then fetches no keys, and a token signed with another key fails. Without it the keys are
   * fetched from `openidConfiguration.jwks_uri` (and again when an unknown key id appears).
   */
  jwks?: { keys: readonly JsonWebKey[] };
}

/** A login client's id_token options as given (possibly undefined each). @internal */
interface IdTokenOptions {
  readonly jwtLeewaySeconds: number | undefined;
  readonly openidConfiguration: OpenIdConfiguration | undefined;
  readonly jwks: { keys: readonly JsonWebKey[] } | undefined;
}

/** What the id_token check reads of Globus Auth's OpenID configuration (other fields are ignored). */
export interface OpenIdConfiguration {
  /** e.g. `https://auth.globus.org`. */
  readonly issuer: string;
  /** Where the signing keys are, e.g. `https://auth.globus.org/jwk.json`. */
  readonly jwks_uri: string;
  /** The id_token signature algorithms, e.g. `["RS512"]`. @default ["RS512"] */
  readonly id_token_signing_alg_values_supported?: readonly string[];
}

/** Options of one call of a login client that goes to Globus Auth. */
export interface AuthCallOptions {
  /**
   * Cancels the call: it then fails with a `GlobusNetworkError` coded `NETWORK_ABORTED` (the
   * signal's reason as `cause`). Combined with the client's time limit.
   */
  signal?: AbortSignal;
}

/** A started authorization-code login: the URL to send the person to and what the callback needs. */
export interface AuthorizationRequest {
  /** The authorize URL. */
  readonly url: string;
  /** The random `state` sent with it; the callback must echo it. */
  readonly state: string;
  /** The PKCE verifier (native clients), kept secret until the code exchange. */
  readonly codeVerifier: string | null;
  /** The redirect URI the callback arrives at. */
  readonly redirectUri: string;
}

/** Options of {@link AuthLoginClient.createAuthorizationRequest}. */
export interface AuthorizationRequestOptions {
  redirectUri: string;
  /** Scopes (`required_scopes`) and session parameters. `required_scopes` must not be empty. */
  authParams: GlobusAuthorizationParameters;
  /** Ask for refresh tokens (`access_type=offline`). @default false */
  requestRefreshTokens?: boolean;
  /** Pre-filled name of the grant (native clients), e.g. "my-app on my-laptop". */
  prefillNamedGrant?: string;
  /**
   * Your own PKCE code verifier (native clients; as `verifier` in the Python SDK's
   * `oauth2_start_flow`): 43 to 128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636). @default a random one
   */
  codeVerifier?: string;
  /**
   * Your own `state` (checked on the callback as the random one is): 16 to 1024 visible ASCII
   * characters, so that it stays hard to guess. @default a random one (43 characters)
   */
  state?: string;
  /**
   * More authorize-URL parameters (as `query_params` in the Python SDK's `oauth2_get_authorize_url`),
   * e.g. `{ session_required_identities: … }` spelt by hand or a parameter Globus added later. A
   * parameter this request already sets (client_id, redirect_uri, scope, state, response_type, the
   * PKCE pair, access_type, prefill_named_grant, or one from `authParams`) is refused, not replaced.
   */
  queryParams?: Readonly<Record<string, string>>;
}

/**
 * Builds a token request with oauth4webapi from a login client's server metadata, client, client
 * authentication and request options (fetch bound to the call's time limit and signal, loopback
 * http); see {@link AuthLoginClient}'s `tokenGrant`.
 */
export type TokenRequestSender = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  clientAuth: oauth.ClientAuth,
  options: Record<symbol, unknown>,
) => Promise<Response>;

/**
 * Checks a token endpoint's answer: one of oauth4webapi's `process…Response` functions (see
 * {@link AuthLoginClient}'s `tokenGrant`).
 */
export type TokenResponseProcessor = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  response: Response,
) => Promise<oauth.TokenEndpointResponse>;

/**
 * What a login client hands its OAuth machinery: its settings, fixed at construction.
 * @internal
 */
export interface LoginClientSettings {
  readonly clientId: string;
  readonly baseUrl: string;
  readonly issuer: string;
  readonly timeoutMs: number | null;
  readonly fetch: typeof fetch;
  /** The application name, for `User-Agent` (see `clientInfoHeaders`). */
  readonly appName: string | undefined;
  readonly isConfidential: boolean;
  /** The id_token options as given (checked by the machinery). */
  readonly idTokenOptions: IdTokenOptions;
  /** Whether Globus Auth is plain http on this machine (the emulator), the one place http is allowed. */
  readonly loopbackHttp: boolean;
  /** How the client authenticates at the token endpoint, built with the loaded oauth4webapi. */
  readonly clientAuth: (oauth: ClientAuthMethods) => oauth.ClientAuth;
}

/**
 * Base of {@link NativeAppAuthClient} and `ConfidentialAppAuthClient`: the OAuth calls a GlobusApp
 * makes to Globus Auth, all through oauth4webapi (authorize URL with PKCE and a random state, code
 * exchange, refresh, revocation, consents), with the `other_tokens` response split per resource
 * server and the id_token verified. Userinfo, identities and other Auth APIs are {@link AuthClient}'s.
 *
 * Building one costs nothing: the OAuth code (oauth4webapi, PKCE, the id_token check, the response
 * checks) is a separate module loaded by the first call that needs it — a login, a callback, a
 * refresh, a revocation — so a page whose person is already signed in never downloads it. When that
 * module cannot be loaded (offline, or a redeploy removed the old chunk files) the call fails with a
 * `GlobusNetworkError` (`NETWORK_ERROR`) and the next call tries again.
 */
export abstract class AuthLoginClient {
  /** The client id. */
  readonly clientId: string;
  /** The Globus environment. */
  readonly environment: string;
  /** Globus Auth's base URL, ending in `/`. */
  readonly baseUrl: string;
  /** Globus Auth's issuer: the base URL without its trailing slash (`https://auth.globus.org`). */
  readonly issuer: string;
  /** Whether this client authenticates with a secret. */
  abstract readonly isConfidential: boolean;
  /** Time limit of each call in milliseconds, or `null` for none (see {@link AuthLoginClientOptions.timeoutMs}). */
  readonly timeoutMs: number | null;
  /** The application name sent in `User-Agent` (see {@link AuthLoginClientOptions.appName}). */
  readonly appName: string | undefined;

  readonly #fetch: typeof fetch;
  readonly #loopbackHttp: boolean;
  readonly #idTokenOptions: IdTokenOptions;
  #machinery: LoadedLoginMachinery | undefined;
  #closed = false;

  constructor(options: AuthLoginClientOptions) {
    if (typeof options?.clientId !== "string" || options.clientId === "") {
      throw new GlobusSDKUsageError("A login client needs a clientId (a non-empty string).");
    }
    this.clientId = options.clientId;
    this.appName = options.appName;
    this.environment = resolveEnvironment(options.environment);
    this.timeoutMs = resolveTimeoutMs(options.timeoutMs, "A login client's timeoutMs");
    const baseUrl = options.baseUrl ?? getAuthUrl(this.environment);
    let base: URL;
    try {
      base = new URL(baseUrl);
    } catch {
      throw new GlobusSDKUsageError(
        `Globus Auth's URL must be absolute (got '${baseUrl}' from ${options.baseUrl === undefined ? "GLOBUS_SDK_SERVICE_URL_AUTH" : "baseUrl"}).`,
      );
    }
    if (base.protocol !== "https:" && !isLoopbackHttp(base)) {
      throw new GlobusSDKUsageError(`Globus Auth must be reached over https (got ${base.origin}).`);
    }
    this.baseUrl = base.href.endsWith("/") ? base.href : `${base.href}/`;
    this.issuer = this.baseUrl.replace(/\/$/, "");
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
    this.#loopbackHttp = isLoopbackHttp(base);
    // Checked by the login code when it loads (the first login, callback or refresh): a page load
    // does not carry the checks.
    const { jwtLeewaySeconds, openidConfiguration, jwks } = options;
    this.#idTokenOptions = { jwtLeewaySeconds, openidConfiguration, jwks };
  }

  /**
   * How the client authenticates at the token endpoint, built with the oauth4webapi client
   * authentication methods the library loaded: none for native clients (PKCE instead), HTTP Basic
   * for confidential ones.
   */
  protected clientAuth(oauth: ClientAuthMethods): oauth.ClientAuth {
    return oauth.None();
  }

  /**
   * The OAuth machinery of this client, loaded on first use and kept. A failed load is not kept:
   * the next call loads again.
   */
  async #load(): Promise<LoadedLoginMachinery> {
    if (this.#machinery) return this.#machinery;
    const { LoginMachinery } = await loadLoginMachinery();
    this.#machinery ??= new LoginMachinery({
      clientId: this.clientId,
      baseUrl: this.baseUrl,
      issuer: this.issuer,
      timeoutMs: this.timeoutMs,
      fetch: this.#fetch,
      appName: this.appName,
      isConfidential: this.isConfidential,
      loopbackHttp: this.#loopbackHttp,
      idTokenOptions: this.#idTokenOptions,
      clientAuth: (oauth) => this.clientAuth(oauth),
    });
    return this.#machinery;
  }

  /** The default redirect for native command-line logins: Globus's page that shows the code. */
  get defaultNativeRedirectUri(): string {
    return `${this.baseUrl}v2/web/auth-code`;
  }

  /**
   * Starts an authorization-code login: a random `state`, and for native clients a PKCE S256 pair
   * (a 43-character verifier). Returns the authorize URL and what the code exchange will need.
   *
   * @throws GlobusSDKUsageError when `authParams.required_scopes` is empty; GlobusNetworkError when
   *   the login code cannot be loaded.
   */
  async createAuthorizationRequest(options: AuthorizationRequestOptions): Promise<AuthorizationRequest> {
    if ((options.authParams.required_scopes ?? []).length === 0) {
      throw new GlobusSDKUsageError(
        "A login flow cannot start without scopes in the authorization parameters.",
      );
    }
    return (await this.#load()).createAuthorizationRequest(options);
  }

  /**
   * Exchanges an authorization code for tokens and verifies the id_token.
   *
   * @param decoder - replaces the built-in id_token verification (see {@link IdTokenDecoder}).
   * @throws GlobusAPIError when Globus refuses the code (`invalid_grant`, …); GlobusError
   * `ID_TOKEN_INVALID` when the id_token is not acceptable; GlobusNetworkError when Auth cannot be
   * reached, answers too late (`NETWORK_TIMEOUT`), the call is cancelled (`NETWORK_ABORTED`) or the
   * login code cannot be loaded.
   */
  async exchangeAuthorizationCode(
    request: { code: string; codeVerifier: string | null; redirectUri: string },
    decoder?: IdTokenDecoder,
    options: AuthCallOptions = {},
  ): Promise<TokenResponse> {
    return (await this.#load()).exchangeAuthorizationCode(request, decoder, options);
  }

  /**
   * Renews an access token with a refresh token (one resource server per call). When Globus answers
   * without a new refresh token, the one used stays valid (RFC 6749 §6), so the response carries it:
   * storing the response must not erase it.
   *
   * @throws as {@link exchangeAuthorizationCode}.
   */
  async refreshToken(refreshToken: string, options: AuthCallOptions = {}): Promise<TokenResponse> {
    return (await this.#load()).refreshToken(refreshToken, options);
  }

  /**
   * Revokes an access or refresh token. Revoking an unknown token succeeds, as in OAuth.
   *
   * @throws GlobusAPIError when Globus refuses; GlobusNetworkError as {@link exchangeAuthorizationCode}.
   */
  async revokeToken(token: string, options: AuthCallOptions = {}): Promise<void> {
    return (await this.#load()).revokeToken(token, options);
  }

  /**
   * GETs a JSON document from Globus Auth with an `Authorization` header value (used for the consents API), without
   * pulling a full HTTP client onto the login path.
   *
   * @throws GlobusAPIError for an error status; GlobusNetworkError as {@link exchangeAuthorizationCode}.
   */
  async getJSON(path: string, authorization: string, options: AuthCallOptions = {}): Promise<unknown> {
    return (await this.#load()).getJSON(path, authorization, options);
  }

  /** Marks the client closed; later calls are still allowed (fetch holds no resources). */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs one grant: `send` builds the token request with oauth4webapi, `process` (one of
   * oauth4webapi's `process…Response`) checks the answer; the body is then validated and split per
   * resource server and its id_token verified, as for every grant. For subclasses that add grants.
   *
   * @throws GlobusAPIError when Globus refuses; GlobusNetworkError when Auth cannot be reached,
   *   answers with what this library cannot read, answers too late (`NETWORK_TIMEOUT`) or the call
   *   is cancelled (`NETWORK_ABORTED`); GlobusError `ID_TOKEN_INVALID` when the id_token is not
   *   acceptable.
   */
  protected async tokenGrant(
    grantType: TokenGrantType,
    send: TokenRequestSender,
    process: TokenResponseProcessor,
    decoder?: IdTokenDecoder,
    options: AuthCallOptions = {},
  ): Promise<TokenResponse> {
    return (await this.#load()).tokenGrant(grantType, send, process, decoder, options);
  }

  /**
   * Sends a token request built with oauth4webapi (`send`) and returns the JSON body of Globus's
   * successful answer, for grants whose answer oauth4webapi cannot process (the dependent-token
   * grant's array). For subclasses that add grants.
   *
   * @throws GlobusAPIError when Globus refuses; GlobusNetworkError when Auth cannot be reached,
   *   the body is not JSON, the answer comes too late or the call is cancelled.
   */
  protected async tokenEndpointJSON(
    send: TokenRequestSender,
    options: AuthCallOptions = {},
  ): Promise<unknown> {
    return (await this.#load()).tokenEndpointJSON(send, options);
  }
}
