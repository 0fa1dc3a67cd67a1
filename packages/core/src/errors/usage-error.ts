import { errorGuard, GlobusError, type GlobusErrorOptions } from "./globus-error.ts";

/**
 * The library was called in a way it does not support: conflicting options, an unknown storage or
 * login-flow name, a value of the wrong shape. Fix the calling code; retrying will not help.
 *
 * @example
 * ```ts
 * new UserApp("app", {}); // throws GlobusSDKUsageError: one of clientId or loginClient is required
 * ```
 */
export class GlobusSDKUsageError extends GlobusError {
  override readonly name = "GlobusSDKUsageError";
  constructor(message: string, options: GlobusErrorOptions = {}) {
    super(message, "USAGE_ERROR", options);
  }
}

/** True for a {@link GlobusSDKUsageError}, from any realm. */
export const isGlobusSDKUsageError: (value: unknown) => value is GlobusSDKUsageError = errorGuard(
  GlobusSDKUsageError,
  ["GlobusSDKUsageError"],
);
