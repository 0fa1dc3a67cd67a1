// The one list of error codes: the type is derived from it, and isGlobusError (is-globus-error.ts)
// recognises foreign errors by it. Its own module, so that a page load, which needs only the type,
// does not download the list.

/** Every {@link GlobusErrorCode}, in one place. */
export const GLOBUS_ERROR_CODES = [
  "GLOBUS_ERROR",
  "USAGE_ERROR",
  "API_ERROR",
  "NETWORK_ERROR",
  "NETWORK_TIMEOUT",
  "NETWORK_ABORTED",
  "TOKEN_VALIDATION_FAILED",
  "TOKEN_MISSING",
  "TOKEN_EXPIRED",
  "SCOPE_REQUIREMENTS_UNMET",
  "IDENTITY_VALIDATION_FAILED",
  "IDENTITY_MISSING",
  "IDENTITY_MISMATCH",
  "TOKEN_STORAGE_ERROR",
  "SCOPE_PARSE_ERROR",
  "SCOPE_CYCLE_ERROR",
  "LOGIN_FAILED",
  "LOGIN_STATE_MISMATCH",
  "LOGIN_ISSUER_MISMATCH",
  "LOGIN_TIMEOUT",
  "LOGIN_CANCELLED",
  "LOGIN_DENIED",
  "LOGIN_POPUP_BLOCKED",
  "LOGIN_POPUP_CLOSED",
  "LOGIN_COMMAND_LINE_EOF",
  "LOGIN_LOCAL_SERVER",
  "ID_TOKEN_INVALID",
  "SESSION_COOKIE_INVALID",
  "SESSION_MISSING",
  "RETURN_URL_REFUSED",
] as const;

/**
 * Stable, machine-readable codes carried by every {@link GlobusError}. They never change meaning
 * between releases; branch on them (or on the `isX()` guards) rather than on messages.
 */
export type GlobusErrorCode = (typeof GLOBUS_ERROR_CODES)[number];
