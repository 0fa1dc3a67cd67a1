import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { LoginDeniedError, LoginStateMismatchError } from "../errors/login-flow-errors.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { BaseLoginFlowManager, type BaseLoginFlowManagerOptions } from "./login-flow-manager.ts";

/**
 * A login flow for tests against an emulator started with auto-approve: it plays the browser by
 * following the authorize redirect over HTTP, checks `state`, and exchanges the code. Real protocol,
 * no person needed — use it to test apps offline.
 *
 * @example
 * ```ts
 * const app = new UserApp("test", { loginClient, config: { loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient) } });
 * await app.login();
 * ```
 */
export class EmulatorAutoApproveLoginFlow extends BaseLoginFlowManager {
  /** The redirect URI sent to the emulator (any loopback URL is accepted for native clients). */
  readonly redirectUri: string;
  /** How many flows ran. */
  runs = 0;

  constructor(
    loginClient: AuthLoginClient,
    options: BaseLoginFlowManagerOptions & { redirectUri?: string } = {},
  ) {
    super(loginClient, options);
    this.redirectUri = options.redirectUri ?? "http://127.0.0.1:9/callback";
  }

  /** Provider form, so it can be named in `config.loginFlowManager`. */
  static forGlobusApp(context: { loginClient: AuthLoginClient; config: { requestRefreshTokens: boolean } }) {
    return new EmulatorAutoApproveLoginFlow(context.loginClient, {
      requestRefreshTokens: context.config.requestRefreshTokens,
    });
  }

  async runLoginFlow(authParams: GlobusAuthorizationParameters): Promise<TokenResponse> {
    this.runs++;
    const request = await this.startAuthorization(authParams, this.redirectUri);
    const response = await fetch(request.url, { redirect: "manual" });
    const location = response.headers.get("location");
    if (!location)
      throw new Error(`the emulator did not redirect (status ${response.status}); is auto-approve on?`);
    const callback = new URL(location);
    if (callback.searchParams.get("state") !== request.state) throw new LoginStateMismatchError();
    const error = callback.searchParams.get("error");
    if (error) throw new LoginDeniedError(error, callback.searchParams.get("error_description") ?? undefined);
    return this.exchangeCode(request, callback.searchParams.get("code") ?? "");
  }
}
