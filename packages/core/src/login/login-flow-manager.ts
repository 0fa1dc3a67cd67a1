import type { IdTokenDecoder } from "../auth/id-token-decoder.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { TokenResponse } from "../storage/token-response.ts";

/** Options of {@link LoginFlowManager.runLoginFlow}. */
export interface LoginFlowOptions {
  /** Cancels the flow; it then rejects with a `LoginCancelledError`. */
  signal?: AbortSignal;
  /**
   * Replaces the built-in id_token verification for this login: apps pass their
   * `config.idTokenDecoder` here, so it reaches flows given as objects too. A decoder the flow was
   * built with wins.
   */
  idTokenDecoder?: IdTokenDecoder | undefined;
}

/**
 * Runs an interactive login and returns the tokens: command line and loopback server in Node,
 * redirect and popup in browsers. Implement it (or extend `BaseLoginFlowManager`) for a custom
 * flow.
 */
export interface LoginFlowManager {
  /** Runs one login for `authParams` (whose `required_scopes` are the scopes to request). */
  runLoginFlow(authParams: GlobusAuthorizationParameters, options?: LoginFlowOptions): Promise<TokenResponse>;
}

/**
 * A flow whose login finishes on another page load (the browser redirect flow). `UserApp.handleRedirect`
 * drives it.
 */
export interface RedirectCompletingLoginFlow extends LoginFlowManager {
  /** Whether `url` is a callback of a login this flow started (and has not completed). */
  isRedirectCallback(url: string): boolean;
  /** Checks the callback, exchanges the code, and returns the tokens and the saved return URL. */
  completeRedirect(
    url: string,
    options?: LoginFlowOptions,
  ): Promise<{ response: TokenResponse; returnUrl: string }>;
}

/** True for a flow that implements {@link RedirectCompletingLoginFlow}. */
export function isRedirectCompletingFlow(flow: LoginFlowManager): flow is RedirectCompletingLoginFlow {
  const candidate = flow as Partial<RedirectCompletingLoginFlow>;
  return (
    typeof candidate.isRedirectCallback === "function" && typeof candidate.completeRedirect === "function"
  );
}
