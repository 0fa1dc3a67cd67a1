import * as oauth from "oauth4webapi";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { AuthLoginClient, type AuthLoginClientOptions } from "./auth-login-client.ts";

/** Options of {@link ConfidentialAppAuthClient}. */
export interface ConfidentialAppAuthClientOptions extends AuthLoginClientOptions {
  /** The client secret. Never ship it to a browser. */
  clientSecret: string;
}

/**
 * The login client of a confidential app (a service account, a portal's server): authenticates with
 * HTTP Basic (client id and secret), can get tokens with the client-credentials grant.
 *
 * @example
 * ```ts
 * const client = new ConfidentialAppAuthClient({ clientId: "…", clientSecret: process.env.SECRET! });
 * const tokens = await client.clientCredentialsTokens(["urn:globus:auth:scope:transfer.api.globus.org:all"]);
 * ```
 */
export class ConfidentialAppAuthClient extends AuthLoginClient {
  readonly isConfidential = true;
  readonly #secret: string;

  constructor(options: ConfidentialAppAuthClientOptions) {
    super(options);
    if (!options.clientSecret)
      throw new GlobusSDKUsageError("A ConfidentialAppAuthClient needs a clientSecret.");
    this.#secret = options.clientSecret;
  }

  protected clientAuth(): oauth.ClientAuth {
    return oauth.ClientSecretBasic(this.#secret);
  }

  /** Gets tokens for the client's own identity with the client-credentials grant. */
  clientCredentialsTokens(scopes: string | readonly string[]): Promise<TokenResponse> {
    return this.clientCredentialsRequest(typeof scopes === "string" ? scopes : scopes.join(" "));
  }

  /**
   * Exchanges an access token that a user sent to this service (its resource server is this client)
   * for tokens of the services this client depends on (Globus's dependent-token grant).
   */
  getDependentTokens(accessToken: string, options: { scope?: string } = {}): Promise<TokenResponse> {
    return this.dependentTokenRequest(accessToken, options.scope);
  }
}
