import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { ConfidentialAppAuthClient } from "../auth/confidential-app-auth-client.ts";
import { ClientCredentialsAuthorizer } from "../authorizers/client-credentials-authorizer.ts";
import type { GlobusAuthorizer } from "../authorizers/globus-authorizer.ts";
import { isMissingTokenError } from "../errors/token-validation-errors.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import { hasMethod } from "../internal/has-method.ts";
import { mergeScopes } from "../scopes/scope-parser.ts";
import type { ScopeRequirementsValidator, TokenDataValidator } from "../storage/token-data-validators.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";
import { GlobusApp } from "./globus-app.ts";
import type { GlobusAppOptions } from "./globus-app-contracts.ts";
import { confidentialLoginClient } from "./globus-app-platform.ts";

/**
 * A GlobusApp for a service account (a confidential client acting as itself): gets tokens with the
 * client-credentials grant — one request for every required scope — stores them, and fetches a new
 * token when one expires. Never runs an interactive flow; never in a browser.
 *
 * @example
 * ```ts
 * const app = new ClientApp("my-service", { clientId, clientSecret, scopeRequirements: { "transfer.api.globus.org": TransferScopes.all } });
 * const authz = await app.getAuthorizer("transfer.api.globus.org");
 * ```
 */
export class ClientApp extends GlobusApp {
  protected checkOptions(options: GlobusAppOptions): void {
    if (!this.platform.allowsClientApp) {
      throw new GlobusSDKUsageError(
        `A ClientApp cannot run on the ${this.platform.name} platform: its client secret would be shipped to every visitor.`,
      );
    }
    if (this.config.loginFlowManager !== undefined) {
      throw new GlobusSDKUsageError("A ClientApp cannot use a loginFlowManager");
    }
    // A duck check: the confidential class itself is only on platforms that allow secrets.
    if (options.loginClient && !hasMethod(options.loginClient, "clientCredentialsTokens")) {
      throw new GlobusSDKUsageError("A ClientApp must use a ConfidentialAppAuthClient for its loginClient");
    }
  }

  protected createLoginClient(clientId: string, clientSecret: string | undefined): AuthLoginClient {
    if (!clientSecret) {
      throw new GlobusSDKUsageError(
        "A ClientApp requires a clientSecret to initialize its own login client.",
      );
    }
    const { environment, httpTimeoutMs: timeoutMs } = this.config;
    const appName = this.appName;
    return confidentialLoginClient(this.platform, {
      clientId,
      clientSecret,
      environment,
      timeoutMs,
      appName,
    });
  }

  protected createValidators(scopeValidator: ScopeRequirementsValidator): TokenDataValidator[] {
    return [scopeValidator];
  }

  /**
   * Whether a login is needed: as for every app, and also when a required resource server has no
   * token stored. (Its authorizer would fetch one on first use, but `login()` is asked for them now.)
   */
  override async loginRequired(): Promise<boolean> {
    if (await super.loginRequired()) return true;
    const stored = await this.tokenStorage.tokenStorage.getTokenDataByResourceServer();
    return Object.keys(this.scopeRequirements).some((rs) => !Object.hasOwn(stored, rs));
  }

  protected async runLoginFlow(authParams: GlobusAuthorizationParameters): Promise<TokenResponse> {
    const scopes = authParams.required_scopes ?? [];
    if (scopes.length === 0) {
      throw new GlobusSDKUsageError("A ClientApp cannot get tokens without configured required scopes.");
    }
    return (this.loginClient as ConfidentialAppAuthClient).clientCredentialsTokens(
      mergeScopes(scopes).map(String),
    );
  }

  protected async createAuthorizer(resourceServer: string): Promise<GlobusAuthorizer> {
    const scopes = this.scopeRequirements[resourceServer];
    if (!scopes) {
      throw new GlobusSDKUsageError(
        `The app has no scope requirements for resource server ${resourceServer}.`,
      );
    }
    let data: TokenStorageData | undefined;
    try {
      data = await this.tokenStorage.getTokenData(resourceServer);
    } catch (error) {
      if (!isMissingTokenError(error)) throw error;
    }
    return new ClientCredentialsAuthorizer(
      this.loginClient as ConfidentialAppAuthClient,
      mergeScopes(scopes),
      {
        ...(data ? { accessToken: data.access_token, expiresAtSeconds: data.expires_at_seconds } : {}),
        ...this.renewalHooks(resourceServer),
      },
    );
  }
}
