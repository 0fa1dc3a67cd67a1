import {
  BaseLoginFlowManager,
  type GlobusAuthorizationParameters,
  type TokenResponse,
} from "@globus-app/core";
import { commands } from "vitest/browser";

/**
 * A login flow for the services' browser tests: plays the browser through the emulator's consent
 * page with the test's `followAuthorize` command (a page cannot read a cross-origin redirect
 * itself), then reads the callback and exchanges the code from the page, as a redirect login's
 * callback half does. `runs` counts the logins, so a test can tell a GARE's redrive happened.
 */
export class FollowAuthorizeLoginFlow extends BaseLoginFlowManager {
  runs = 0;

  async runLoginFlow(authParams: GlobusAuthorizationParameters): Promise<TokenResponse> {
    this.runs++;
    const request = await this.startAuthorization(authParams, "http://127.0.0.1:9/callback");
    const callback = await commands.followAuthorize(request.url.toString());
    return this.exchangeCode(request, this.readCallback(new URL(callback), request));
  }
}
