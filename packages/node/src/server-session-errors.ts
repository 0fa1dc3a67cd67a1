import { errorGuard, GlobusError, type GlobusErrorOptions, LoginFlowError } from "@globus-app/core";

/**
 * A session or login cookie that cannot be trusted: tampered with, sealed with a key that is no
 * longer in `session.secrets` (after a rotation), or not a cookie of this kind. The server-side
 * login handlers answer it with a 400 and clear the cookie; the person signs in again.
 */
export class SessionCookieError extends GlobusError {
  override readonly name = "SessionCookieError";
  constructor(
    message = "The session cookie is not valid (tampered with, or sealed with a retired key); sign in again.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "SESSION_COOKIE_INVALID", options);
  }
}

/** True for a {@link SessionCookieError}, from any realm. */
export const isSessionCookieError: (value: unknown) => value is SessionCookieError = errorGuard(
  SessionCookieError,
  ["SessionCookieError"],
);

/** A request that needs a signed-in person carries no (unexpired) session: answered with a 401. */
export class SessionRequiredError extends GlobusError {
  override readonly name = "SessionRequiredError";
  constructor(
    message = "This request needs a signed-in person; sign in first.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "SESSION_MISSING", options);
  }
}

/** True for a {@link SessionRequiredError}, from any realm. */
export const isSessionRequiredError: (value: unknown) => value is SessionRequiredError = errorGuard(
  SessionRequiredError,
  ["SessionRequiredError"],
);

/**
 * A return URL (where to go after login or logout) that is not a path of this site: another
 * origin, a protocol-relative `//host`, a `javascript:` URL. Refused with a 400 rather than
 * followed, so the portal cannot be used as an open redirector.
 */
export class UnsafeReturnUrlError extends LoginFlowError {
  override readonly name = "UnsafeReturnUrlError";
  constructor(
    message = "The return URL must be a path on this site; links to other sites are refused.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "RETURN_URL_REFUSED", options);
  }
}

/** True for an {@link UnsafeReturnUrlError}, from any realm. */
export const isUnsafeReturnUrlError: (value: unknown) => value is UnsafeReturnUrlError = errorGuard(
  UnsafeReturnUrlError,
  ["UnsafeReturnUrlError"],
);
