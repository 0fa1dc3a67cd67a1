import {
  isGlobusAPIError,
  isGlobusError,
  isGlobusNetworkError,
  isIdentityMismatchError,
  isLoginDeniedError,
  isLoginFlowError,
  isPopupBlockedError,
  isPopupClosedError,
  isTokenStorageError,
  isTokenValidationError,
} from "globus-app";

/** A failure in words: {@link describeError}'s answer. */
export interface ErrorReport {
  /** What happened, in one sentence (the alert's heading). */
  readonly title: string;
  /** What the person can do next. */
  readonly hint: string;
  /** The library's name, code and message, for bug reports; never a token. */
  readonly detail: string;
  /** Signing in (again) gets past it. */
  readonly signIn: boolean;
}

type Rule = readonly [matches: (error: unknown) => boolean, title: string, hint: string, signIn: boolean];

/** A refresh token Globus no longer accepts: revoked, or the session ended elsewhere. */
export const isEndedSession = (error: unknown): boolean =>
  isGlobusAPIError(error) && (error.errorCode === "invalid_grant" || error.status === 401);

// First match wins; the `isX()` guards work across windows (a popup's errors included).
const RULES: readonly Rule[] = [
  [
    isLoginDeniedError,
    "The sign-in was not approved at Globus.",
    "Nothing changed here; sign in again whenever you like.",
    true,
  ],
  [
    isPopupBlockedError,
    "The browser blocked the sign-in popup.",
    "Allow popups for this site, or use “Sign in with Globus”, which stays in this tab.",
    true,
  ],
  [
    isPopupClosedError,
    "The sign-in popup was closed before the sign-in finished.",
    "Try again when you're ready.",
    true,
  ],
  [
    isIdentityMismatchError,
    "You signed in as another Globus identity than the one signed in here.",
    "Log out first, then sign in as the identity you want.",
    false,
  ],
  [
    isTokenValidationError,
    "You are not signed in, or your sign-in no longer covers this.",
    "Sign in (again) to continue.",
    true,
  ],
  [
    isEndedSession,
    "Your Globus session has expired or was ended elsewhere.",
    "Sign in again to continue.",
    true,
  ],
  [
    isTokenStorageError,
    "This browser could not read or write the saved sign-in.",
    "Private windows and full disks cause this; reload, or sign in again.",
    true,
  ],
  [isLoginFlowError, "The sign-in could not be completed.", "Start it again.", true],
];

/**
 * Turns anything a login, logout or Transfer call may throw into words for people.
 *
 * @param error - what was thrown
 * @param where - Globus Auth's address, named when it cannot be reached, and whether it is the emulator
 * @example
 * ```ts
 * const { title, hint } = describeError(error, { authUrl: "http://127.0.0.1:8701/", emulator: true });
 * ```
 */
export function describeError(error: unknown, where: { authUrl: string; emulator: boolean }): ErrorReport {
  const detail = isGlobusError(error)
    ? `${error.name} (${error.code}): ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  const rule = RULES.find(([matches]) => matches(error));
  if (rule) return { title: rule[1], hint: rule[2], detail, signIn: rule[3] };
  if (isGlobusNetworkError(error)) {
    const hint = where.emulator
      ? "Is the emulator still running? Start it with “npm run start:react” and try again."
      : "Check your network connection and try again.";
    return { title: `Cannot reach Globus (${new URL(where.authUrl).host}).`, hint, detail, signIn: false };
  }
  if (isGlobusAPIError(error)) {
    const requestId = error.requestId ? ` Request id: ${error.requestId}.` : "";
    const hint =
      error.status >= 500
        ? "The service is having trouble; try again in a moment."
        : "The request was refused.";
    return {
      title: `Globus answered ${error.status} ${error.errorCode}.`,
      hint: `${hint}${requestId}`,
      detail,
      signIn: false,
    };
  }
  return { title: "Something went wrong.", hint: "Reload the page and try again.", detail, signIn: false };
}
