import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";
import { RenewingAuthorizer, type RenewingAuthorizerOptions } from "./renewing-authorizer.ts";

/**
 * Renews access tokens with a refresh token: 60 s before expiry, or after a 401. Adopts a rotated
 * refresh token when Globus returns one; hands every new response to `onRefresh` (apps store it).
 *
 * @example
 * ```ts
 * const authz = new RefreshTokenAuthorizer(refreshToken, loginClient, { accessToken, expiresAtSeconds });
 * const header = await authz.getAuthorizationHeader();
 * ```
 */
export class RefreshTokenAuthorizer extends RenewingAuthorizer {
  #refreshToken: string;
  readonly #loginClient: AuthLoginClient;

  constructor(refreshToken: string, loginClient: AuthLoginClient, options: RenewingAuthorizerOptions = {}) {
    super(options);
    if (!refreshToken) throw new GlobusSDKUsageError("A RefreshTokenAuthorizer needs a refresh token.");
    this.#refreshToken = refreshToken;
    this.#loginClient = loginClient;
  }

  protected requestNewToken(): Promise<TokenResponse> {
    return this.#loginClient.refreshToken(this.#refreshToken);
  }

  protected override adoptRefreshToken(record: TokenStorageData): void {
    if (record.refresh_token) this.#refreshToken = record.refresh_token;
  }
}
