import type { AuthLoginClient, AuthorizationRequest } from "../auth/auth-login-client.ts";
import type { IdTokenDecoder } from "../auth/id-token-decoder.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { LoginCallbackInput } from "./login-callback-state.ts";
import type { LoginFlowManager, LoginFlowOptions } from "./login-flow-manager.ts";
import { parseLoginCallback } from "./parse-login-callback.ts";

/** Options of {@link BaseLoginFlowManager}. */
export interface BaseLoginFlowManagerOptions {
  /** Ask for refresh tokens. @default false */
  requestRefreshTokens?: boolean;
  /** The grant name shown on Globus's consent page (native clients). */
  prefillNamedGrant?: string;
  /** Replaces the built-in id_token verification. */
  idTokenDecoder?: IdTokenDecoder | undefined;
}

/**
 * Base of the authorization-code flows: builds the authorize URL (PKCE, random state, session
 * parameters) and exchanges the code. Subclasses decide how the person reaches the URL and how the
 * code comes back.
 */
export abstract class BaseLoginFlowManager implements LoginFlowManager {
  /** The login client the flow uses. */
  readonly loginClient: AuthLoginClient;
  /** Whether refresh tokens are requested. */
  readonly requestRefreshTokens: boolean;
  /** The grant name shown on the consent page. */
  readonly prefillNamedGrant: string | undefined;
  /** The custom id_token decoder, if any. */
  readonly idTokenDecoder: IdTokenDecoder | undefined;

  constructor(loginClient: AuthLoginClient, options: BaseLoginFlowManagerOptions = {}) {
    this.loginClient = loginClient;
    this.requestRefreshTokens = options.requestRefreshTokens ?? false;
    this.prefillNamedGrant = options.prefillNamedGrant;
    this.idTokenDecoder = options.idTokenDecoder;
  }

  abstract runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options?: LoginFlowOptions,
  ): Promise<TokenResponse>;

  /** Starts an authorization request for `redirectUri`. */
  protected startAuthorization(
    authParams: GlobusAuthorizationParameters,
    redirectUri: string,
  ): Promise<AuthorizationRequest> {
    return this.loginClient.createAuthorizationRequest({
      redirectUri,
      authParams,
      requestRefreshTokens: this.requestRefreshTokens,
      ...(this.prefillNamedGrant ? { prefillNamedGrant: this.prefillNamedGrant } : {}),
    });
  }

  /**
   * The authorization code of a callback, checked against the login `request` started (see
   * {@link parseLoginCallback}: state, repeated parameters, `iss`, `error`).
   */
  protected readCallback(callback: LoginCallbackInput, request: AuthorizationRequest): string {
    return parseLoginCallback(callback, { state: request.state, issuer: this.loginClient.issuer });
  }

  /**
   * Exchanges the code the callback delivered for tokens, verifying the id_token with this flow's
   * decoder, else the app's (`options.idTokenDecoder`), else against Globus's keys. `options.signal`
   * cancels the request.
   */
  protected exchangeCode(
    request: AuthorizationRequest,
    code: string,
    options: LoginFlowOptions = {},
  ): Promise<TokenResponse> {
    return this.loginClient.exchangeAuthorizationCode(
      { code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUri },
      this.idTokenDecoder ?? options.idTokenDecoder,
      options.signal ? { signal: options.signal } : {},
    );
  }
}
