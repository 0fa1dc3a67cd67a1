import type { LoginFlowManagerContext } from "../app/globus-app-contracts.ts";
import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { safeCause } from "../errors/globus-error.ts";
import { LoginFlowError } from "../errors/login-flow-error.ts";
import { GlobusNetworkError } from "../errors/network-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import { BaseLoginFlowManager, type BaseLoginFlowManagerOptions } from "../login/base-login-flow-manager.ts";
import type { LoginFlowOptions } from "../login/login-flow-manager.ts";
import type { TokenResponse } from "../storage/token-response.ts";

/**
 * A login flow for tests against an emulator started with auto-approve: it plays the browser by
 * following the authorize redirect over HTTP, reads the callback with the same checks as every
 * flow (state, repeated parameters, `iss`, `error`), and exchanges the code. Real protocol, no
 * person needed — use it to test apps offline. Never against real Globus: it has no person to ask.
 *
 * @throws (from `runLoginFlow`) GlobusNetworkError when the emulator cannot be reached;
 *   LoginFlowError when it does not redirect (auto-approve off) or redirects with no callback;
 *   the callback's typed errors (`LoginDeniedError`, `LoginStateMismatchError`, …).
 * @example
 * ```ts
 * import { EmulatorAutoApproveLoginFlow } from "globus-app/testing";
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
  static forGlobusApp(context: Pick<LoginFlowManagerContext, "loginClient" | "config">) {
    return new EmulatorAutoApproveLoginFlow(context.loginClient, {
      requestRefreshTokens: context.config.requestRefreshTokens,
    });
  }

  async runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginFlowOptions = {},
  ): Promise<TokenResponse> {
    this.runs++;
    const request = await this.startAuthorization(authParams, this.redirectUri);
    let response: Response;
    try {
      response = await fetch(request.url, {
        redirect: "manual",
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw new GlobusNetworkError(
        `The emulator's authorize page could not be reached: ${safeCause(error).message}`,
        {
          cause: safeCause(error),
        },
      );
    }
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) {
      throw new LoginFlowError(
        `The emulator did not redirect (status ${response.status}); start it with auto-approve.`,
      );
    }
    let callback: URL;
    try {
      callback = new URL(location, request.url);
    } catch {
      throw new LoginFlowError("The emulator redirected to an address that is not a URL.");
    }
    const code = this.readCallback(callback, request);
    return this.exchangeCode(request, code, options);
  }
}
