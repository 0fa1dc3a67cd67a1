import { errorGuard, GlobusError, type GlobusErrorCode, type GlobusErrorOptions } from "./globus-error.ts";

/**
 * A login flow did not produce tokens. Subclasses say why; every flow settles with one of them rather
 * than hanging. Messages never include the authorization code, the PKCE verifier or the state value.
 */
export class LoginFlowError extends GlobusError {
  override readonly name: string = "LoginFlowError";
  constructor(message: string, code: GlobusErrorCode = "LOGIN_FAILED", options: GlobusErrorOptions = {}) {
    super(message, code, options);
  }
}

const LOGIN_NAMES = [
  "LoginFlowError",
  "LoginStateMismatchError",
  "LoginIssuerMismatchError",
  "LoginTimeoutError",
  "LoginCancelledError",
  "LoginDeniedError",
  "PopupBlockedError",
  "PopupClosedError",
  "CommandLineEOFError",
  "LocalServerError",
];

/** True for any {@link LoginFlowError} (including every subclass), from any realm. */
export const isLoginFlowError: (value: unknown) => value is LoginFlowError = errorGuard(
  LoginFlowError,
  LOGIN_NAMES,
);
