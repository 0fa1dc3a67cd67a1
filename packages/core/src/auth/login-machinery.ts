// The OAuth machinery of the login clients, in a module of its own: AuthLoginClient loads it with a
// dynamic import() on the first call that talks to Globus Auth's OAuth endpoints, so bundlers put
// oauth4webapi, PKCE, the id_token check, the token-response checks, GARE → authorize
// query and the consents check in a chunk that a signed-in page load never downloads. Over 400
// lines, kept whole: LoginMachinery is one class whose calls share one deadline, fetch wrapper and
// error mapping; its checks live beside it (check-login-options.ts, id-token-checks.ts).
import * as oauth from "oauth4webapi";
import { GlobusAPIError, globusAPIErrorFromBody } from "../errors/api-error.ts";
import { GlobusError, safeCause } from "../errors/globus-error.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import { GlobusNetworkError } from "../errors/network-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { toAuthorizeQuery } from "../gare/to-authorize-query.ts";
import { clientInfoHeaders } from "../http/client-info.ts";
import { fetchFailure, requestDeadline } from "../http/request-deadline.ts";
import { parseConsentsResponse } from "../scopes/consent.ts";
import { consentGraph, consentGraphMeets } from "../scopes/consent-forest.ts";
import type { ScopeLike } from "../scopes/scope.ts";
import { mergeScopeTrees, scopeTreeString } from "../scopes/scope-graph.ts";
import { checkTokenResponseBody } from "../storage/check-token-response-body.ts";
import { type TokenGrantType, type TokenResponse, tokenResponseFromBody } from "../storage/token-response.ts";
import type {
  AuthCallOptions,
  AuthorizationRequest,
  AuthorizationRequestOptions,
  ClientAuthMethods,
  LoginClientSettings,
  TokenRequestSender,
  TokenResponseProcessor,
} from "./auth-login-client.ts";
import { checkCallerSecrets, checkIdTokenOptions, type IdTokenCheck } from "./check-login-options.ts";
import { assertIdTokenShape, decodeIdToken } from "./id-token-checks.ts";
import type { IdTokenClaims, IdTokenDecoder } from "./id-token-decoder.ts";

const clientAuthMethods: ClientAuthMethods = { None: oauth.None, ClientSecretBasic: oauth.ClientSecretBasic };

/**
 * What an {@link AuthLoginClient} does once its first OAuth call loads this module: every call to
 * Globus Auth's OAuth endpoints, through oauth4webapi, under the client's time limit.
 * @internal
 */
export class LoginMachinery {
  readonly #settings: LoginClientSettings;
  readonly #as: oauth.AuthorizationServer;
  readonly #client: oauth.Client;
  // Typed loosely: oauth4webapi's option types differ per call, the values are the same for all.
  readonly #requestOptions: Record<symbol, unknown>;
  readonly #idTokenCheck: IdTokenCheck;
  /** `X-Globus-Client-Info` and `User-Agent` outside browsers; none in browsers. */
  readonly #headers: Record<string, string>;
  /** Globus Auth as the id_token check knows it (issuer, keys' URL, algorithms), once discovered. */
  #signer: Promise<oauth.AuthorizationServer> | undefined;

  constructor(settings: LoginClientSettings) {
    this.#settings = settings;
    this.#idTokenCheck = checkIdTokenOptions(settings.idTokenOptions, settings.loopbackHttp);
    this.#headers = clientInfoHeaders(settings.appName, "auth");
    const { baseUrl } = settings;
    this.#as = {
      issuer: settings.issuer,
      authorization_endpoint: `${baseUrl}v2/oauth2/authorize`,
      token_endpoint: `${baseUrl}v2/oauth2/token`,
      revocation_endpoint: `${baseUrl}v2/oauth2/token/revoke`,
      jwks_uri: `${baseUrl}jwk.json`,
      id_token_signing_alg_values_supported: ["RS512"],
    };
    this.#client = {
      client_id: settings.clientId,
      id_token_signed_response_alg: "RS512",
      [oauth.clockTolerance]: this.#idTokenCheck.jwtLeewaySeconds,
    };
    this.#requestOptions = settings.loopbackHttp ? { [oauth.allowInsecureRequests]: true } : {};
  }

  clientAuth(): oauth.ClientAuth {
    return this.#settings.clientAuth(clientAuthMethods);
  }

  /**
   * Starts an authorization-code login: a random `state`, and for native clients a PKCE S256 pair
   * (a 43-character verifier). Returns the authorize URL and what the code exchange will need.
   *
   * @throws GlobusSDKUsageError when `authParams.required_scopes` is empty.
   */
  async createAuthorizationRequest(options: AuthorizationRequestOptions): Promise<AuthorizationRequest> {
    const scopes = options.authParams.required_scopes ?? [];
    if (!scopes.every((scope) => typeof scope === "string")) {
      throw new GlobusSDKUsageError("authParams.required_scopes must be a list of scope strings.");
    }
    const native = !this.#settings.isConfidential;
    const { state, codeVerifier } = checkCallerSecrets(options, native);
    const query = new URLSearchParams({
      client_id: this.#settings.clientId,
      redirect_uri: options.redirectUri,
      // Merged as Globus Auth reads one request (`a[b] a[c]` → `a[b c]`); the app passes its
      // requirements unparsed, so that the scope parser stays in this chunk.
      scope: mergeScopeTrees(scopes).map(scopeTreeString).join(" "),
      state,
      response_type: "code",
      ...(codeVerifier
        ? {
            code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
            code_challenge_method: "S256",
          }
        : {}),
      access_type: options.requestRefreshTokens ? "offline" : "online",
      ...(options.prefillNamedGrant && native ? { prefill_named_grant: options.prefillNamedGrant } : {}),
      ...toAuthorizeQuery(options.authParams),
    });
    for (const [name, value] of Object.entries(options.queryParams ?? {})) {
      if (query.has(name) || typeof value !== "string") {
        throw new GlobusSDKUsageError(
          `queryParams.${name} ${typeof value !== "string" ? "must be a string" : "is set by the request itself and cannot be replaced"}.`,
        );
      }
      query.set(name, value);
    }
    const url = `${this.#as.authorization_endpoint}?${query}`;
    return { url, state, codeVerifier, redirectUri: options.redirectUri };
  }

  /**
   * Exchanges an authorization code for tokens and verifies the id_token.
   *
   * @param decoder - replaces the built-in id_token verification (see {@link IdTokenDecoder}).
   * @throws GlobusAPIError when Globus refuses the code (`invalid_grant`, …); GlobusError
   * `ID_TOKEN_INVALID` when the id_token is not acceptable; GlobusNetworkError when Auth cannot be
   * reached, answers too late (`NETWORK_TIMEOUT`) or the call is cancelled (`NETWORK_ABORTED`).
   */
  async exchangeAuthorizationCode(
    request: { code: string; codeVerifier: string | null; redirectUri: string },
    decoder?: IdTokenDecoder,
    options: AuthCallOptions = {},
  ): Promise<TokenResponse> {
    const params = new URLSearchParams({ code: request.code });
    // oauth4webapi only accepts callback parameters that went through validateAuthResponse.
    const callback = oauth.validateAuthResponse(this.#as, this.#client, params, oauth.skipStateCheck);
    return this.tokenGrant(
      "authorization_code",
      (as, client, auth, options) =>
        oauth.authorizationCodeGrantRequest(
          as,
          client,
          auth,
          callback,
          request.redirectUri,
          request.codeVerifier ?? oauth.nopkce,
          options,
        ),
      oauth.processAuthorizationCodeResponse,
      decoder,
      options,
    );
  }

  /**
   * Renews an access token with a refresh token (one resource server per call). When Globus answers
   * without a new refresh token, the one used stays valid (RFC 6749 §6), so the response carries it:
   * storing the response must not erase it.
   *
   * @throws as {@link exchangeAuthorizationCode}.
   */
  async refreshToken(refreshToken: string, options: AuthCallOptions = {}): Promise<TokenResponse> {
    const response = await this.tokenGrant(
      "refresh_token",
      (as, client, auth, requestOptions) =>
        oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions),
      oauth.processRefreshTokenResponse,
      undefined,
      options,
    );
    const records = Object.entries(response.byResourceServer).map(([rs, record]) => [
      rs,
      record.refresh_token === null ? { ...record, refresh_token: refreshToken } : record,
    ]);
    return { ...response, byResourceServer: Object.fromEntries(records) };
  }

  /**
   * Revokes an access or refresh token. Revoking an unknown token succeeds, as in OAuth.
   *
   * @throws GlobusAPIError when Globus refuses; GlobusNetworkError as {@link exchangeAuthorizationCode}.
   */
  async revokeToken(token: string, options: AuthCallOptions = {}): Promise<void> {
    const url = this.#as.revocation_endpoint as string;
    await this.#bounded(`POST ${url}`, options.signal, async (requestOptions) => {
      const response = await this.#call("POST", url, () =>
        oauth.revocationRequest(this.#as, this.#client, this.clientAuth(), token, requestOptions),
      );
      await this.#process("POST", url, () => oauth.processRevocationResponse(response));
    });
  }

  /**
   * GETs a JSON document from Globus Auth with an `Authorization` header value (used for the consents API), without
   * pulling a full HTTP client onto the login path.
   *
   * @throws GlobusAPIError for an error status; GlobusNetworkError as {@link exchangeAuthorizationCode}.
   */
  async getJSON(path: string, authorization: string, options: AuthCallOptions = {}): Promise<unknown> {
    const url = new URL(path, this.#settings.baseUrl).href;
    const label = `GET ${url.split("?")[0]}`;
    return this.#bounded(label, options.signal, async (requestOptions) => {
      const send = requestOptions[oauth.customFetch] as (url: string, init: RequestInit) => Promise<Response>;
      const response = await this.#call("GET", url, () =>
        send(url, { method: "GET", headers: { authorization, accept: "application/json" } }),
      );
      if (!response.ok) throw await apiErrorFromResponse("GET", url, response);
      return this.#process("GET", url, () => response.json());
    });
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
  tokenGrant(
    grantType: TokenGrantType,
    send: TokenRequestSender,
    process: TokenResponseProcessor,
    decoder?: IdTokenDecoder,
    options: AuthCallOptions = {},
  ): Promise<TokenResponse> {
    const url = this.#as.token_endpoint as string;
    return this.#bounded(`POST ${url}`, options.signal, (requestOptions) =>
      this.#tokenGrant(grantType, send, process, decoder, requestOptions),
    );
  }

  async #tokenGrant(
    grantType: TokenGrantType,
    send: TokenRequestSender,
    process: TokenResponseProcessor,
    decoder: IdTokenDecoder | undefined,
    requestOptions: Record<symbol, unknown>,
  ): Promise<TokenResponse> {
    const url = this.#as.token_endpoint as string;
    const receivedAtSeconds = nowSeconds();
    const response = await this.#call("POST", url, () =>
      send(this.#as, this.#client, this.clientAuth(), requestOptions),
    );
    if (response.status === 200) {
      // oauth4webapi refuses these id_tokens too, but with errors that do not say the id_token was at fault.
      const raw: unknown = await response
        .clone()
        .json()
        .catch(() => undefined);
      const idToken = (raw as { id_token?: unknown } | undefined)?.id_token;
      if (typeof idToken === "string") assertIdTokenShape(idToken);
    }
    const body = await this.#process("POST", url, () => process(this.#as, this.#client, response));
    const normalised = { ...body, token_type: body.token_type === "bearer" ? "Bearer" : body.token_type };
    const checked = checkTokenResponseBody(normalised);
    if ("invalid" in checked) {
      throw new GlobusNetworkError(
        `Globus Auth sent a token response this library cannot read ('${checked.invalid}' is invalid).`,
      );
    }
    let claims: IdTokenClaims | null = null;
    if (checked.body.id_token) {
      claims = decoder
        ? await decodeIdToken(decoder, checked.body.id_token)
        : await this.#verifyIdToken(response, body, requestOptions);
    }
    return tokenResponseFromBody(checked.body, {
      grantType,
      receivedAtSeconds,
      identityId: claims?.sub ?? null,
      idTokenClaims: claims,
    });
  }

  /**
   * Sends a token request built with oauth4webapi (`send`) and returns the JSON body of Globus's
   * successful answer, for grants whose answer oauth4webapi cannot process (the dependent-token
   * grant's array). For subclasses that add grants.
   *
   * @throws GlobusAPIError when Globus refuses; GlobusNetworkError when Auth cannot be reached,
   *   the body is not JSON, the answer comes too late or the call is cancelled.
   */
  tokenEndpointJSON(send: TokenRequestSender, options: AuthCallOptions = {}): Promise<unknown> {
    const url = this.#as.token_endpoint as string;
    return this.#bounded(`POST ${url}`, options.signal, async (requestOptions) => {
      const response = await this.#call("POST", url, () =>
        send(this.#as, this.#client, this.clientAuth(), requestOptions),
      );
      if (!response.ok) throw await apiErrorFromResponse("POST", url, response);
      return this.#process("POST", url, () => response.json());
    });
  }

  /**
   * Runs one call to Auth under the client's time limit and the caller's signal: every fetch of
   * `run` (through the oauth4webapi options it is given) shares one deadline that also covers
   * reading the answers, and any failure after the deadline passed is reported as the timeout or
   * the cancellation it is. A fetch that fails is a GlobusNetworkError naming its cause.
   */
  async #bounded<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (requestOptions: Record<symbol, unknown>) => Promise<T>,
  ): Promise<T> {
    const deadline = requestDeadline(this.#settings.timeoutMs, signal);
    let current = what;
    const requestOptions = {
      ...this.#requestOptions,
      [oauth.customFetch]: async (url: string, init: RequestInit) => {
        const method = init.method ?? "GET";
        current = `${method} ${url.split("?")[0]}`;
        try {
          const headers = new Headers(init.headers);
          for (const [name, value] of Object.entries(this.#headers)) headers.set(name, value);
          return await this.#settings.fetch(url, { ...init, headers, signal: deadline.signal });
        } catch (error) {
          throw deadline.failure(current) ?? fetchFailure(method, url, error);
        }
      },
    };
    try {
      return await deadline.race(run(requestOptions));
    } catch (error) {
      throw deadline.failure(current) ?? error;
    }
  }

  async #verifyIdToken(
    response: Response,
    body: oauth.TokenEndpointResponse,
    requestOptions: Record<symbol, unknown>,
  ): Promise<IdTokenClaims> {
    const { jwks } = this.#idTokenCheck;
    // Keys given in advance are the only keys: a fresh server object each time (oauth4webapi caches
    // keys per object) with a cache that is always fresh, so they are never fetched.
    const signer = jwks
      ? { ...(await this.#signerOf(requestOptions)) }
      : await this.#signerOf(requestOptions);
    try {
      await oauth.validateApplicationLevelSignature(signer, response, {
        ...requestOptions,
        [oauth.jwksCache]: jwks
          ? ({ jwks: structuredClone(jwks), uat: nowSeconds() } as oauth.JWKSCacheInput)
          : this.#jwksCache,
      });
    } catch (error) {
      // The JWKS could not be fetched (typed by the fetch wrapper): not a verdict on the id_token.
      if (isGlobusError(error)) throw error;
      throw new GlobusError("The id_token's signature could not be verified.", "ID_TOKEN_INVALID", {
        cause: safeCause(error),
      });
    }
    const claims = oauth.getValidatedIdTokenClaims(body);
    if (!claims || typeof claims.sub !== "string") {
      throw new GlobusError("The id_token has no subject.", "ID_TOKEN_INVALID");
    }
    return claims as IdTokenClaims;
  }

  /**
   * Globus Auth as the id_token check needs it: the configuration given in advance, else discovered
   * (`.well-known/openid-configuration`) once per client; a failed discovery is not kept.
   */
  #signerOf(requestOptions: Record<symbol, unknown>): Promise<oauth.AuthorizationServer> {
    const given = this.#idTokenCheck.openidConfiguration;
    if (given) {
      return Promise.resolve({
        ...this.#as,
        issuer: given.issuer,
        jwks_uri: given.jwks_uri,
        id_token_signing_alg_values_supported: [
          ...(given.id_token_signing_alg_values_supported ?? ["RS512"]),
        ],
      });
    }
    this.#signer ??= this.#discover(requestOptions).catch((error: unknown) => {
      this.#signer = undefined;
      throw error;
    });
    return this.#signer;
  }

  async #discover(requestOptions: Record<symbol, unknown>): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(this.#settings.issuer);
    const url = `${this.#settings.baseUrl}.well-known/openid-configuration`;
    const response = await this.#call("GET", url, () =>
      oauth.discoveryRequest(issuer, { ...requestOptions, algorithm: "oidc" }),
    );
    const found = await this.#process("GET", url, () => oauth.processDiscoveryResponse(issuer, response));
    return {
      ...this.#as,
      jwks_uri: found.jwks_uri ?? (this.#as.jwks_uri as string),
      id_token_signing_alg_values_supported: found.id_token_signing_alg_values_supported ?? ["RS512"],
    };
  }

  // Shared by every id_token this client verifies, so the JWKS is fetched once (oauth4webapi refreshes it
  // after five minutes, or at once when an unknown key id appears).
  readonly #jwksCache: oauth.JWKSCacheInput = {};

  async #call(method: string, url: string, send: () => Promise<Response>): Promise<Response> {
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (isGlobusError(error)) throw error;
      throw fetchFailure(method, url, error);
    }
    // oauth4webapi reads OAuth error bodies of 4xx answers only; a 5xx is still Globus's answer.
    if (response.status >= 500) throw await apiErrorFromResponse(method, url, response);
    return response;
  }

  async #process<T>(method: string, url: string, process: () => Promise<T>): Promise<T> {
    try {
      return await process();
    } catch (error) {
      if (isGlobusError(error)) throw error;
      if (error instanceof oauth.ResponseBodyError) {
        throw new GlobusAPIError(
          {
            status: error.status,
            method,
            url,
            errorCode: error.error,
            detail: error.error_description,
            body: { error: error.error, error_description: error.error_description },
          },
          { cause: safeCause(error) },
        );
      }
      if (error instanceof oauth.WWWAuthenticateChallengeError) {
        throw await apiErrorFromResponse(method, url, error.response);
      }
      if (
        error instanceof oauth.OperationProcessingError &&
        (error.code === oauth.JWT_TIMESTAMP_CHECK || error.code === oauth.JWT_CLAIM_COMPARISON)
      ) {
        const problem =
          error.code === oauth.JWT_TIMESTAMP_CHECK ? "is not valid now" : "was not issued for this client";
        throw new GlobusError(`The id_token ${problem}: ${error.message}`, "ID_TOKEN_INVALID", {
          cause: safeCause(error),
        });
      }
      throw new GlobusNetworkError(
        `${method} ${url} returned a response this library cannot read: ${safeCause(error).message}`,
        {
          cause: safeCause(error),
        },
      );
    }
  }
}

/** Builds a {@link GlobusAPIError} from a non-2xx response. */
async function apiErrorFromResponse(
  method: string,
  url: string,
  response: Response,
): Promise<GlobusAPIError> {
  const body = await response.json().catch(() => undefined);
  return globusAPIErrorFromBody({ status: response.status, method, url, body, headers: response.headers });
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `GlobusApp.logout`'s body: a logout revokes tokens, so it loads with this chunk. @internal */
export { runLogout } from "../app/run-logout.ts";
/** The check of a token renewal's answer (renewing authorizers). @internal */
export { renewedRecord } from "../authorizers/renewed-record.ts";
/** The login half of the browser's redirect flow. @internal */
export { RedirectLoginSteps } from "../login/redirect-login-steps.ts";

/**
 * Reads a consents API answer (`GET /v2/api/identities/<id>/consents`) into the check the app's
 * scope validator asks: whether the consents meet some scopes' dependencies. The ConsentForest
 * check without the class (its tree API is not needed here).
 * @internal
 */
export function consentChecker(body: unknown): {
  meetsScopeRequirements(scopes: readonly ScopeLike[]): boolean;
} {
  const graph = consentGraph(parseConsentsResponse(body));
  return { meetsScopeRequirements: (scopes) => consentGraphMeets(graph, mergeScopeTrees(scopes)) };
}
