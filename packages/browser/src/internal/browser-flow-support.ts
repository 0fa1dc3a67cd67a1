import {
  type BaseLoginFlowManagerOptions,
  GlobusSDKUsageError,
  type LoginFlowManagerContext,
} from "@globus-app/core";

// What the redirect and popup flows share besides core's callback parser (parseLoginCallback).

/** The page's `location`; a usage error naming `owner` where there is no page (Node, workers). */
export function pageLocation(owner: string, what: string): Location {
  const location = (globalThis as { location?: Location }).location;
  if (!location) throw new GlobusSDKUsageError(`${owner}: ${what} needs a page (globalThis.location).`);
  return location;
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
