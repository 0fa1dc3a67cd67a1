import { GlobusError, type GlobusErrorCode } from "./globus-error.ts";

// Its own module: the list of every code is needed only where foreign errors are classified (the
// login chunk, service clients), not by a page load.
const ALL_CODES: ReadonlySet<string> = new Set<GlobusErrorCode>([
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
]);

/** True for any error of this library's hierarchy, from any realm (checked by `code`). */
export function isGlobusError(value: unknown): value is GlobusError {
  return (
    value instanceof GlobusError ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { name?: unknown }).name === "string" &&
      ALL_CODES.has((value as { code?: unknown }).code as string))
  );
}
