import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { AccessTokenAuthorizer } from "../authorizers/access-token-authorizer.ts";
import type { GlobusAuthorizer } from "../authorizers/globus-authorizer.ts";
import { RefreshTokenAuthorizer } from "../authorizers/refresh-token-authorizer.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import { hasMethod } from "../internal/has-method.ts";
import {
  isRedirectCompletingFlow,
  type LoginFlowManager,
  type LoginFlowOptions,
} from "../login/login-flow-manager.ts";
import {
  HasRefreshTokensValidator,
  NotExpiredValidator,
  type ScopeRequirementsValidator,
  type TokenDataValidator,
  UnchangingIdentityIDValidator,
} from "../storage/token-data-validators.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { GlobusApp } from "./globus-app.ts";
import type {
  GlobusAppOptions,
  GlobusAppPlatform,
  LoginFlowManagerProvider,
  LoginOptions,
} from "./globus-app-contracts.ts";
import { confidentialLoginClient, movedNameError } from "./globus-app-platform.ts";

function isLoginFlowManager(value: unknown): value is LoginFlowManager {
  return hasMethod(value, "runLoginFlow");
}

function unsupportedLoginFlowManager(value: unknown, platform: GlobusAppPlatform): GlobusSDKUsageError {
  const moved = movedNameError(platform, value);
  if (moved) return moved;
  const names = Object.keys(platform.loginFlowManagers).map((n) => `"${n}"`);
  return new GlobusSDKUsageError(
    value === undefined
      ? `No loginFlowManager is configured and the ${platform.name} platform has no default; pass one in config.`
      : `Unsupported loginFlowManager value: ${typeof value === "string" ? `"${value}"` : typeof value}. Expected ${[...names, "a LoginFlowManagerProvider", "a LoginFlowManager"].join(", ")}.`,
  );
}

/**
 * A GlobusApp for a person: logs in interactively (command line or loopback server in Node,
 * redirect or popup in browsers), keeps the tokens in the configured storage, and hands out
 * authorizers that use them (renewing them with refresh tokens when `requestRefreshTokens` is set).
 *
 * @example
 * ```ts
 * await using app = new UserApp("my-portal", {
 *   clientId: "…",
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 * });
 * await app.login();
 * const header = await (await app.getAuthorizer("transfer.api.globus.org")).getAuthorizationHeader();
 * ```
 */
export class UserApp extends GlobusApp {
  #flow: LoginFlowManager | undefined;

  protected checkOptions(options: GlobusAppOptions): void {
    if (!this.platform.allowsClientApp && (options.clientSecret || options.loginClient?.isConfidential)) {
      throw new GlobusSDKUsageError(
        `A UserApp on the ${this.platform.name} platform cannot use a client secret: it would be shipped to every visitor. Register a native (public) client.`,
      );
    }
    // The flow is built on first use, but a misspelt name should fail where the app is made.
    const value = this.config.loginFlowManager;
    if (typeof value === "string" && !Object.hasOwn(this.platform.loginFlowManagers, value)) {
      throw unsupportedLoginFlowManager(value, this.platform);
    }
  }

  protected createLoginClient(clientId: string, clientSecret: string | undefined): AuthLoginClient {
    const { environment, httpTimeoutMs: timeoutMs } = this.config;
    const appName = this.appName;
    return clientSecret
      ? confidentialLoginClient(this.platform, { clientId, clientSecret, environment, timeoutMs, appName })
      : new NativeAppAuthClient({ clientId, environment, timeoutMs, appName });
  }

  protected createValidators(scopeValidator: ScopeRequirementsValidator): TokenDataValidator[] {
    const first = this.config.requestRefreshTokens
      ? new HasRefreshTokensValidator()
      : new NotExpiredValidator();
    return [first, scopeValidator, new UnchangingIdentityIDValidator()];
  }

  /**
   * The login flow manager, built on first use from the config (a name, an instance or a provider).
   *
   * @throws GlobusSDKUsageError for an unknown name, or when the platform has no default flow.
   */
  get loginFlowManager(): LoginFlowManager {
    this.#flow ??= this.#resolveLoginFlowManager();
    return this.#flow;
  }

  #resolveLoginFlowManager(): LoginFlowManager {
    const value = this.config.loginFlowManager ?? this.platform.defaultLoginFlowManager;
    if (isLoginFlowManager(value)) return value;
    let provider: LoginFlowManagerProvider | undefined;
    if (typeof value === "string") provider = this.platform.loginFlowManagers[value];
    else if (hasMethod(value, "forGlobusApp")) {
      provider = value as LoginFlowManagerProvider;
    }
    if (!provider) throw unsupportedLoginFlowManager(value, this.platform);
    return provider.forGlobusApp({
      appName: this.appName,
      config: this.config,
      loginClient: this.loginClient,
      idTokenDecoder: this.idTokenDecoder,
    });
  }

  /** What every flow is given: the caller's signal and the app's id_token decoder. */
  #flowOptions(signal: AbortSignal | undefined): LoginFlowOptions {
    return {
      ...(signal ? { signal } : {}),
      ...(this.idTokenDecoder ? { idTokenDecoder: this.idTokenDecoder } : {}),
    };
  }

  protected runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginOptions,
  ): Promise<TokenResponse> {
    const flow = options.loginFlowManager ?? this.loginFlowManager;
    return flow.runLoginFlow(authParams, this.#flowOptions(options.signal));
  }

  /**
   * Completes a login whose flow left the page (the browser redirect flow): when `url` (default: the
   * current page's address) is a callback of this app's flow, checks it, exchanges the code, stores the
   * tokens and returns the URL the person was on before the login. Resolves to null when `url` is not
   * such a callback, and always on platforms without redirect flows.
   *
   * @throws LoginFlowError (denied, state mismatch, replay) and GlobusAPIError (token endpoint) — the
   * stored tokens are untouched then.
   * @example
   * ```ts
   * const done = await app.handleRedirect();
   * if (done) history.replaceState(null, "", done.returnUrl);
   * ```
   */
  async handleRedirect(url?: string): Promise<{ returnUrl: string } | null> {
    const flow = this.loginFlowManager;
    if (!isRedirectCompletingFlow(flow)) return null;
    const target = url ?? (globalThis as { location?: { href?: string } }).location?.href;
    if (!target || !flow.isRedirectCallback(target)) return null;
    const { response, returnUrl } = await flow.completeRedirect(target, this.#flowOptions(undefined));
    await this.completeLogin(response);
    return { returnUrl };
  }

  protected async createAuthorizer(resourceServer: string): Promise<GlobusAuthorizer> {
    const data = await this.tokenStorage.getTokenData(resourceServer);
    if (this.config.requestRefreshTokens && data.refresh_token) {
      return new RefreshTokenAuthorizer(data.refresh_token, this.loginClient, {
        accessToken: data.access_token,
        expiresAtSeconds: data.expires_at_seconds,
        ...this.renewalHooks(resourceServer),
      });
    }
    return new AccessTokenAuthorizer(data.access_token, { expiresAtSeconds: data.expires_at_seconds });
  }
}
