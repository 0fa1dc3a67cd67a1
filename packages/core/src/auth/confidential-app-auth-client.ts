import * as oauth from "oauth4webapi";
import * as v from "valibot";
import { GlobusNetworkError } from "../errors/network-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import {
  GlobusTokenSchema,
  hasDistinctResourceServers,
  type TokenResponse,
  tokenResponseFromBody,
} from "../storage/token-response.ts";
import {
  type AuthCallOptions,
  AuthLoginClient,
  type AuthLoginClientOptions,
  type ClientAuthMethods,
} from "./auth-login-client.ts";

/** Options of {@link ConfidentialAppAuthClient}. */
export interface ConfidentialAppAuthClientOptions extends AuthLoginClientOptions {
  /** The client secret. Never ship it to a browser. */
  clientSecret: string;
}

/**
 * The login client of a confidential app (a service account, a portal's server): authenticates with
 * HTTP Basic (client id and secret), can get tokens with the client-credentials grant. Node only: the
 * browser build exports a `ConfidentialAppAuthClient` whose constructor throws (a secret shipped to a
 * browser is a secret shipped to every visitor), and no browser bundle contains this class.
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
    if (typeof options.clientSecret !== "string" || options.clientSecret === "") {
      throw new GlobusSDKUsageError("A ConfidentialAppAuthClient needs a clientSecret (a non-empty string).");
    }
    this.#secret = options.clientSecret;
  }

  protected override clientAuth(loaded: ClientAuthMethods): oauth.ClientAuth {
    return loaded.ClientSecretBasic(this.#secret);
  }

  /**
   * Gets tokens for the client's own identity with the client-credentials grant.
   *
   * @throws GlobusAPIError when Globus refuses (`invalid_client` for a wrong secret); GlobusNetworkError
   *   when Auth cannot be reached, answers too late (`NETWORK_TIMEOUT`) or `signal` aborts (`NETWORK_ABORTED`).
   */
  clientCredentialsTokens(
    scopes: string | readonly string[],
    options: AuthCallOptions = {},
  ): Promise<TokenResponse> {
    const scope = typeof scopes === "string" ? scopes : scopes.join(" ");
    return this.tokenGrant(
      "client_credentials",
      (as, client, auth, requestOptions) =>
        oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope }), requestOptions),
      oauth.processClientCredentialsResponse,
      undefined,
      options,
    );
  }

  /**
   * Exchanges an access token that a user sent to this service (its resource server is this client)
   * for tokens of the services this client depends on (Globus's dependent-token grant).
   */
  async getDependentTokens(
    accessToken: string,
    options: { scope?: string } & AuthCallOptions = {},
  ): Promise<TokenResponse> {
    const receivedAtSeconds = Math.floor(Date.now() / 1000);
    const parameters = new URLSearchParams({
      token: accessToken,
      ...(options.scope ? { scope: options.scope } : {}),
    });
    const body = await this.tokenEndpointJSON(
      (as, client, auth, requestOptions) =>
        oauth.genericTokenEndpointRequest(
          as,
          client,
          auth,
          "urn:globus:auth:grant_type:dependent_token",
          parameters,
          requestOptions,
        ),
      options.signal ? { signal: options.signal } : {},
    );
    // Globus answers this grant with a JSON array of tokens, which oauth4webapi does not process.
    const parsed = v.safeParse(
      v.pipe(
        v.array(GlobusTokenSchema),
        v.check((tokens) => hasDistinctResourceServers(tokens)),
      ),
      body,
    );
    if (!parsed.success) {
      throw new GlobusNetworkError("Globus Auth sent a dependent-token response this library cannot read.");
    }
    return tokenResponseFromBody(parsed.output, { grantType: "dependent_token", receivedAtSeconds });
  }
}
