import { errorGuard, type GlobusErrorOptions } from "./globus-error.ts";
import { LoginFlowError } from "./login-flow-error.ts";

/** The callback's `state` does not match the login that is waiting: a stale, replayed or forged callback. */
export class LoginStateMismatchError extends LoginFlowError {
  override readonly name = "LoginStateMismatchError";
  constructor(
    message = "The login callback does not belong to a login in progress (state mismatch); start a new login.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "LOGIN_STATE_MISMATCH", options);
  }
}

/**
 * The login callback names another authorization server in `iss` than the Globus Auth this login
 * was started with (RFC 9207): a mix-up, so its code is not exchanged.
 */
export class LoginIssuerMismatchError extends LoginFlowError {
  override readonly name = "LoginIssuerMismatchError";
  constructor(
    message = "The login callback comes from another authorization server than this login's Globus Auth (iss mismatch); start a new login.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "LOGIN_ISSUER_MISMATCH", options);
  }
}

/** The login did not finish within the configured time. */
export class LoginTimeoutError extends LoginFlowError {
  override readonly name = "LoginTimeoutError";
  /** The time that ran out, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: GlobusErrorOptions = {}) {
    super(
      `The login did not complete within ${Math.round(timeoutMs / 1000)} seconds.`,
      "LOGIN_TIMEOUT",
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The login was cancelled by the program (an `AbortSignal`) or by the person. */
export class LoginCancelledError extends LoginFlowError {
  override readonly name = "LoginCancelledError";
  constructor(message = "The login was cancelled.", options: GlobusErrorOptions = {}) {
    super(message, "LOGIN_CANCELLED", options);
  }
}

/**
 * Globus Auth answered the authorization request with an error (`error=access_denied` when the
 * person clicked Deny). `error` and `errorDescription` are Globus's own words.
 */
export class LoginDeniedError extends LoginFlowError {
  override readonly name = "LoginDeniedError";
  /** The OAuth `error` value, e.g. `access_denied`. */
  readonly error: string;
  /** Globus's `error_description`, if it sent one. */
  readonly errorDescription: string | undefined;
  constructor(error: string, errorDescription?: string, options: GlobusErrorOptions = {}) {
    // The callback's text, from the address bar: keep a message (and logs) a sane length.
    const shown = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
    super(
      `Globus Auth refused the login: ${shown(error)}${errorDescription ? ` (${shown(errorDescription)})` : ""}`,
      "LOGIN_DENIED",
      options,
    );
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/** The browser blocked the login popup (it must be opened from a click). */
export class PopupBlockedError extends LoginFlowError {
  override readonly name = "PopupBlockedError";
  constructor(
    message = "The browser blocked the login popup; open it from a click, or use the redirect flow.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "LOGIN_POPUP_BLOCKED", options);
  }
}

/** The person closed the login popup before the login finished. */
export class PopupClosedError extends LoginFlowError {
  override readonly name = "PopupClosedError";
  constructor(
    message = "The login popup was closed before the login finished.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "LOGIN_POPUP_CLOSED", options);
  }
}

/** Standard input ended before an authorization code was entered. */
export class CommandLineEOFError extends LoginFlowError {
  override readonly name = "CommandLineEOFError";
  constructor(
    message = "Standard input ended before an authorization code was entered.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "LOGIN_COMMAND_LINE_EOF", options);
  }
}

/** The loopback (local-server) login could not listen or serve its callback. */
export class LocalServerError extends LoginFlowError {
  override readonly name = "LocalServerError";
  constructor(message: string, options: GlobusErrorOptions = {}) {
    super(message, "LOGIN_LOCAL_SERVER", options);
  }
}

/** True for a {@link LoginStateMismatchError}, from any realm. */
export const isLoginStateMismatchError: (value: unknown) => value is LoginStateMismatchError = errorGuard(
  LoginStateMismatchError,
  ["LoginStateMismatchError"],
);
/** True for a {@link LoginIssuerMismatchError}, from any realm. */
export const isLoginIssuerMismatchError: (value: unknown) => value is LoginIssuerMismatchError = errorGuard(
  LoginIssuerMismatchError,
  ["LoginIssuerMismatchError"],
);
/** True for a {@link LoginTimeoutError}, from any realm. */
export const isLoginTimeoutError: (value: unknown) => value is LoginTimeoutError = errorGuard(
  LoginTimeoutError,
  ["LoginTimeoutError"],
);
/** True for a {@link LoginCancelledError}, from any realm. */
export const isLoginCancelledError: (value: unknown) => value is LoginCancelledError = errorGuard(
  LoginCancelledError,
  ["LoginCancelledError"],
);
/** True for a {@link LoginDeniedError}, from any realm. */
export const isLoginDeniedError: (value: unknown) => value is LoginDeniedError = errorGuard(
  LoginDeniedError,
  ["LoginDeniedError"],
);
/** True for a {@link PopupBlockedError}, from any realm. */
export const isPopupBlockedError: (value: unknown) => value is PopupBlockedError = errorGuard(
  PopupBlockedError,
  ["PopupBlockedError"],
);
/** True for a {@link PopupClosedError}, from any realm. */
export const isPopupClosedError: (value: unknown) => value is PopupClosedError = errorGuard(
  PopupClosedError,
  ["PopupClosedError"],
);
/** True for a {@link CommandLineEOFError}, from any realm. */
export const isCommandLineEOFError: (value: unknown) => value is CommandLineEOFError = errorGuard(
  CommandLineEOFError,
  ["CommandLineEOFError"],
);
/** True for a {@link LocalServerError}, from any realm. */
export const isLocalServerError: (value: unknown) => value is LocalServerError = errorGuard(
  LocalServerError,
  ["LocalServerError"],
);
