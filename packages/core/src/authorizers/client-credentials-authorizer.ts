import type { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { type ScopesInput, serializeScopes } from "../scopes/scope-parser.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { RenewingAuthorizer, type RenewingAuthorizerOptions } from "./renewing-authorizer.ts";

/**
 * Gets and renews a service account's access token with the client-credentials grant. The scopes
 * must all belong to one resource server.
 *
 * @example
 * ```ts
 * const authz = new ClientCredentialsAuthorizer(confidentialClient, TransferScopes.all);
 * ```
 */
export class ClientCredentialsAuthorizer extends RenewingAuthorizer {
  readonly #client: ConfidentialAppAuthClient;
  readonly #scopes: string;

  constructor(
    client: ConfidentialAppAuthClient,
    scopes: ScopesInput,
    options: RenewingAuthorizerOptions = {},
  ) {
    super(options);
    this.#client = client;
    this.#scopes = serializeScopes(scopes);
  }

  protected override get requestedScopes(): string {
    return this.#scopes;
  }

  protected requestNewToken(): Promise<TokenResponse> {
    return this.#client.clientCredentialsTokens(this.#scopes);
  }
}
