import {
  isFlowsAPIError,
  isGlobusAPIError,
  isGlobusError,
  isGlobusNetworkError,
  isIdentityMismatchError,
  isLoginCancelledError,
  isLoginDeniedError,
  isLoginFlowError,
  isLoginStateMismatchError,
  isLoginTimeoutError,
  isPopupBlockedError,
  isPopupClosedError,
  isTokenStorageError,
  isTokenValidationError,
  isTransferAPIError,
} from "globus-app";

/** What the page says about a failure. */
export interface ErrorReport {
  /** One sentence: what happened. */
  readonly title: string;
  /** What to do about it. */
  readonly hint: string;
  /** The library's message and code, for the curious and for bug reports (never a token). */
  readonly detail: string;
  /** The person should sign in (again) to get past it. */
  readonly signIn: boolean;
  /** Globus refused the stored sign-in for good (revoked, ended elsewhere): its tokens are dead. */
  readonly sessionEnded?: boolean;
}

/** Turns anything a call may throw into words for people; the `isX()` guards work across windows. */
export function describeError(error: unknown, context: { emulator: boolean; authUrl: string }): ErrorReport {
  const detail = isGlobusError(error)
    ? `${error.name} (${error.code}): ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  const report = (title: string, hint: string, signIn = false): ErrorReport => ({
    title,
    hint,
    detail,
    signIn,
  });

  if (isLoginDeniedError(error)) {
    return report(
      "The sign-in was not approved at Globus.",
      error.error === "access_denied"
        ? "You chose Deny on the consent page. Nothing changed here; sign in again whenever you like."
        : `Globus Auth answered “${error.error}”. Try again, or ask the portal's administrator.`,
      true,
    );
  }
  if (isPopupBlockedError(error)) {
    return report(
      "The browser blocked the sign-in popup.",
      "Allow popups for this site and try again, or use “Sign in with Globus”, which stays in this tab.",
      true,
    );
  }
  if (isPopupClosedError(error)) {
    return report(
      "The sign-in popup was closed before the sign-in finished.",
      "Try again when you're ready.",
      true,
    );
  }
  if (isLoginTimeoutError(error)) {
    return report("The sign-in took too long and was stopped.", "Start it again.", true);
  }
  if (isLoginCancelledError(error)) {
    return report("The sign-in was cancelled.", "Start it again when you're ready.", true);
  }
  if (isLoginStateMismatchError(error)) {
    return report(
      "This sign-in response does not match a sign-in started in this tab.",
      "It may be stale, already used, or from another tab. Start a new sign-in.",
      true,
    );
  }
  if (isIdentityMismatchError(error)) {
    return report(
      "You signed in as a different Globus identity than the one already signed in here.",
      "Log out first, then sign in with the identity you want.",
    );
  }
  if (isTokenValidationError(error)) {
    return report(
      "You are not signed in, or your sign-in no longer covers this.",
      "Sign in (again) to continue.",
      true,
    );
  }
  if (isGlobusNetworkError(error)) {
    return report(
      `Cannot reach Globus (${new URL(context.authUrl).host}).`,
      context.emulator
        ? "Is the emulator still running? Start it with “npm start” and try again."
        : "Check your network connection and try again.",
    );
  }
  if (isGlobusAPIError(error)) {
    // A refresh token that was revoked or expired; a login (in this or another tab) replaced it.
    if (error.errorCode === "invalid_grant" || error.status === 401) {
      return {
        ...report(
          "Your Globus session has expired or was ended elsewhere.",
          "Sign in again to continue.",
          true,
        ),
        sessionEnded: true,
      };
    }
    const requestId = error.requestId ? ` Request id: ${error.requestId}.` : "";
    const transfer = isTransferAPIError(error) ? describeTransferCode(error.errorCode) : undefined;
    if (transfer) return report(transfer.title, `${transfer.hint}${requestId}`);
    if (isFlowsAPIError(error) && error.errorCode === "FLOW_INPUT_ERROR") {
      return report(
        "The flow refused this input.",
        `Check it against what the flow expects (its input schema); Details say what is wrong.${requestId}`,
      );
    }
    return report(
      `Globus answered ${error.status} ${error.errorCode}.`,
      `${error.status >= 500 ? "The service is having trouble; try again in a moment." : "The request was refused."}${requestId}`,
    );
  }
  if (isTokenStorageError(error)) {
    return report(
      "This browser could not read or write the saved sign-in.",
      "Private windows and full disks cause this. Reload the page, or sign in again.",
      true,
    );
  }
  if (isLoginFlowError(error)) {
    return report("The sign-in could not be completed.", "Start it again.", true);
  }
  return report("Something went wrong.", "Reload the page and try again.");
}

/** Transfer's error codes that a person can act on, in words; other codes get the generic wording. */
function describeTransferCode(code: string): { title: string; hint: string } | undefined {
  if (code === "ExternalError.MkdirFailed.Exists" || code === "ExternalError.RenameFailed.Exists") {
    return { title: "There is already a file or folder with that name here.", hint: "Pick another name." };
  }
  if (code === "ClientError.NotFound") {
    return {
      title: "That file or folder is not there (any more).",
      hint: "Refresh the listing: it may have been moved or deleted.",
    };
  }
  if (code === "ExternalError.DirListingFailed.NotDirectory") {
    return { title: "That path is a file, not a folder.", hint: "Open a folder instead." };
  }
  if (code.startsWith("PermissionDenied")) {
    return {
      title: "This collection does not let you do that here.",
      hint: "Its owner decides who may read and write where. Pick a folder you may write to, or another collection.",
    };
  }
  if (code === "EndpointNotFound") {
    return { title: "Globus does not know this collection.", hint: "Pick another collection." };
  }
  if (code === "ClientError.BadRequest") {
    return {
      title: "Globus refused the request as invalid.",
      hint: "Check the names and paths, and try again.",
    };
  }
  return undefined;
}
