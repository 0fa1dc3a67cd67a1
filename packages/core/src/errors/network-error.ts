import { errorGuard, GlobusError, type GlobusErrorOptions } from "./globus-error.ts";

// Apart from GlobusAPIError: every page load needs this class (a failed chunk load is one), while
// GlobusAPIError and its body reader are needed only by code that talks to Globus, the lazy chunk.
/** The codes a {@link GlobusNetworkError} carries. */
export type GlobusNetworkErrorCode = "NETWORK_ERROR" | "NETWORK_TIMEOUT" | "NETWORK_ABORTED";

/**
 * A request to a Globus service (or Globus Auth) could not be made or its response could not be
 * read. The `code` says why:
 * - `NETWORK_ERROR`: offline, DNS, connection refused or reset (the message names the cause, e.g.
 *   `ECONNREFUSED 127.0.0.1:8700`), or an answer that is not what Globus promises (a body that is
 *   not JSON). Usually worth retrying later.
 * - `NETWORK_TIMEOUT`: no complete answer within the time limit (`timeoutMs`, `httpTimeoutMs`,
 *   `GLOBUS_SDK_HTTP_TIMEOUT`), headers and body included.
 * - `NETWORK_ABORTED`: the caller's `AbortSignal` aborted the request; `cause` holds its reason.
 *
 * @example
 * ```ts
 * try { await app.getAuthorizer("transfer.api.globus.org"); }
 * catch (e) { if (isGlobusNetworkError(e) && e.code === "NETWORK_TIMEOUT") showRetryButton(); }
 * ```
 */
export class GlobusNetworkError extends GlobusError {
  override readonly name = "GlobusNetworkError";
  declare readonly code: GlobusNetworkErrorCode;
  constructor(message: string, options: GlobusErrorOptions & { code?: GlobusNetworkErrorCode } = {}) {
    super(message, options.code ?? "NETWORK_ERROR", "cause" in options ? { cause: options.cause } : {});
  }
}

/** True for a {@link GlobusNetworkError}, from any realm. */
export const isGlobusNetworkError: (value: unknown) => value is GlobusNetworkError = errorGuard(
  GlobusNetworkError,
  ["GlobusNetworkError"],
);
