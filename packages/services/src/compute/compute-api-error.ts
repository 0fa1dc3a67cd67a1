import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Compute answered with an error status. A {@link GlobusAPIError} (so `isGlobusAPIError`
 * holds) with Compute's code in `errorCode` (e.g. `FUNCTION_NOT_FOUND`, `ENDPOINT_NOT_FOUND`) and
 * its `reason` in the message.
 *
 * @example
 * ```ts
 * try { await compute.getFunction(functionId); }
 * catch (e) { if (isComputeAPIError(e) && e.status === 404) console.log("no such function"); else throw e; }
 * ```
 */
export class ComputeAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "ComputeAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(withReason(init), options);
  }
}

/** Compute puts its message in `reason`, which core's generic reading does not look at. */
function withReason(init: GlobusAPIErrorInit): GlobusAPIErrorInit {
  if (init.detail !== undefined) return init;
  const body = init.body as { reason?: unknown } | null | undefined;
  return typeof body?.reason === "string" ? { ...init, detail: body.reason } : init;
}

/** True for a {@link ComputeAPIError}, from any realm. */
export const isComputeAPIError: (value: unknown) => value is ComputeAPIError = errorGuard(ComputeAPIError, [
  "ComputeAPIError",
]);
