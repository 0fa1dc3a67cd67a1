import { LoginFlowError } from "../errors/login-flow-error.ts";
import {
  LoginDeniedError,
  LoginIssuerMismatchError,
  LoginStateMismatchError,
} from "../errors/login-flow-errors.ts";
import { callbackQuery, type LoginCallbackInput, repeatsResponseParams } from "./login-callback-state.ts";

/** What a login callback is checked against: the start of the login it must belong to. */
export interface LoginCallbackExpectation {
  /** The random `state` sent with the authorization request. */
  readonly state: string;
  /**
   * Globus Auth's issuer (`https://auth.globus.org`, no trailing slash). Globus does not announce
   * `authorization_response_iss_parameter_supported`, so `iss` is optional; when a callback carries
   * it, it must be this (RFC 9207 §2.4: a response from another server is refused).
   */
  readonly issuer: string;
}

/**
 * Reads a login callback (the redirect back from Globus Auth) against the login it must belong to,
 * and returns its authorization code. Every flow reads its callback with this one function, with the
 * same rules, in this order:
 *
 * 1. a response parameter (`code`, `state`, `error`, `error_description`, `error_uri`, `iss`) that
 *    appears twice, or a `state` that is missing or differs from the login's (compared in constant
 *    time), makes the callback no one's: {@link LoginStateMismatchError};
 * 2. an `iss` other than Globus Auth's issuer: {@link LoginIssuerMismatchError} (RFC 9207);
 * 3. `error` (the person clicked Deny, or Globus refused): {@link LoginDeniedError} with Globus's
 *    words;
 * 4. no `code`: {@link LoginFlowError}.
 *
 * No message carries the code or the state.
 *
 * @example
 * ```ts
 * const code = parseLoginCallback(location.href, { state: pending.state, issuer: loginClient.issuer });
 * ```
 */
export function parseLoginCallback(input: LoginCallbackInput, expected: LoginCallbackExpectation): string {
  const query = callbackQuery(input);
  if (!query) throw new LoginFlowError("This is not a login callback: it carries no code, error or state.");
  const state = query.get("state");
  if (repeatsResponseParams(query) || state === null || !sameString(state, expected.state)) {
    throw new LoginStateMismatchError();
  }
  const issuer = query.get("iss");
  if (issuer !== null && issuer !== expected.issuer) throw new LoginIssuerMismatchError();
  const error = query.get("error");
  if (error !== null) throw new LoginDeniedError(error, query.get("error_description") ?? undefined);
  const code = query.get("code");
  if (!code) throw new LoginFlowError("The login callback carries neither a code nor an error.");
  return code;
}

/**
 * Compares two strings in time that depends on their length only, so the comparison of a forged
 * `state` tells nothing about how much of it was right. (The length of our state is not a secret.)
 */
function sameString(received: string, expected: string): boolean {
  if (received.length !== expected.length) return false;
  let difference = 0;
  // Stryker disable next-line EqualityOperator: one more turn (i <= length) reads charCodeAt past the end of both strings, NaN ^ NaN, which is 0
  for (let i = 0; i < expected.length; i++) difference |= received.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}
