import {
  type BaseLoginFlowManagerOptions,
  GlobusSDKUsageError,
  LoginDeniedError,
  LoginFlowError,
  type LoginFlowManagerContext,
} from "@globus-app/core";

// What the redirect and popup flows share: both send the person to Globus Auth and read the same
// callback URL, so they check it the same way (and every browser bundle carries one copy).

/** The page's `location`; a usage error naming `owner` where there is no page (Node, workers). */
export function pageLocation(owner: string, what: string): Location {
  const location = (globalThis as { location?: Location }).location;
  if (!location) throw new GlobusSDKUsageError(`${owner}: ${what} needs a page (globalThis.location).`);
  return location;
}

/**
 * Whether a callback repeats `state`, `code` or `error`: which one counts would be a guess (and the
 * local-server flow refuses the same), so such a callback is nobody's.
 */
export function repeatsCallbackParams(query: URLSearchParams): boolean {
  return ["state", "code", "error"].some((name) => query.getAll(name).length > 1);
}

/** The `state` of a login callback URL (`state` with `code` or `error`); undefined for any other URL. */
export function callbackState(url: string | URL): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const query = parsed.searchParams;
  const state = query.get("state");
  return state && (query.has("code") || query.has("error")) && !repeatsCallbackParams(query)
    ? state
    : undefined;
}

/**
 * The authorization code of a callback whose state was accepted.
 *
 * @throws LoginDeniedError when Globus answered with `error=` (e.g. `access_denied`).
 * @throws LoginFlowError when the callback carries neither a code nor an error.
 */
export function callbackCode(query: URLSearchParams): string {
  const error = query.get("error");
  if (error) throw new LoginDeniedError(error, query.get("error_description") ?? undefined);
  const code = query.get("code");
  if (!code) throw new LoginFlowError("The login callback carries neither a code nor an error.");
  return code;
}

/**
 * Checks the options of a browser flow: `redirectUri`, when given, is an absolute URL, and each of
 * `durations` that is given is a positive number.
 *
 * @throws GlobusSDKUsageError naming `owner` and the option.
 */
export function checkFlowOptions(
  owner: string,
  options: { redirectUri?: string | undefined },
  durations: readonly string[],
): void {
  if (options.redirectUri !== undefined) {
    try {
      new URL(options.redirectUri);
    } catch {
      throw new GlobusSDKUsageError(`${owner}: redirectUri must be an absolute URL.`);
    }
  }
  for (const key of durations) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      throw new GlobusSDKUsageError(`${owner}: ${key} must be a positive number.`);
    }
  }
}

/** The options a browser flow's `forGlobusApp` takes from the app; the grant is named after it. */
export function appFlowOptions(
  context: LoginFlowManagerContext,
): BaseLoginFlowManagerOptions & { redirectUri: string | undefined } {
  return {
    redirectUri: context.config.loginRedirectUri,
    requestRefreshTokens: context.config.requestRefreshTokens,
    prefillNamedGrant: context.appName,
    idTokenDecoder: context.idTokenDecoder,
  };
}
