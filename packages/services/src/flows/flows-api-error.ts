import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Flows answered with an error status. A {@link GlobusAPIError} (so `isGlobusAPIError`
 * holds) with Flows' code in `errorCode` (e.g. `NOT_FOUND`, `FORBIDDEN`, `UNPROCESSABLE_ENTITY`,
 * `ConsentRequired`) and its `detail` in the message. A run that needs more consent carries a GARE
 * in `gares`, which an app with `autoRedriveGares` resolves by logging in again.
 *
 * @example
 * ```ts
 * try { await flows.getFlow(flowId); }
 * catch (e) { if (isFlowsAPIError(e) && e.status === 404) console.log("no such flow"); else throw e; }
 * ```
 */
export class FlowsAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "FlowsAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(withFlowsFields(init), options);
  }
}

/**
 * Flows nests its code and detail in `error` (`detail` may be a list of validation problems), which
 * core's generic reading does not look into; a top-level `code` (a GARE's) wins.
 */
function withFlowsFields(init: GlobusAPIErrorInit): GlobusAPIErrorInit {
  const body = init.body as
    | { code?: unknown; error?: { code?: unknown; detail?: unknown } }
    | null
    | undefined;
  const nested = typeof body?.error === "object" && body.error !== null ? body.error : undefined;
  if (!nested) return init;
  const detail = Array.isArray(nested.detail)
    ? nested.detail.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join("; ")
    : typeof nested.detail === "string"
      ? nested.detail
      : init.detail;
  const errorCode =
    typeof body?.code === "string"
      ? body.code
      : typeof nested.code === "string"
        ? nested.code
        : init.errorCode;
  return { ...init, errorCode, detail };
}

/** True for a {@link FlowsAPIError}, from any realm. */
export const isFlowsAPIError: (value: unknown) => value is FlowsAPIError = errorGuard(FlowsAPIError, [
  "FlowsAPIError",
]);
