import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Search answered with an error status (its `GError` document). A {@link GlobusAPIError}
 * (so `isGlobusAPIError` holds) with Search's dotted code in `errorCode` (`NotFound.NoSuchIndex`,
 * `BadRequest…`, `Forbidden…`), its message and request id, and its `error_data` in `errorData`.
 *
 * @example
 * ```ts
 * try { await search.getIndex(indexId); }
 * catch (e) { if (isSearchAPIError(e) && e.errorCode === "NotFound.NoSuchIndex") console.log("gone"); else throw e; }
 * ```
 */
export class SearchAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "SearchAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(init, options);
  }

  /** The `error_data` of Search's error document, when it had one (the Python SDK's `error_data`). */
  get errorData(): unknown {
    const body = this.body as { error_data?: unknown } | null | undefined;
    return typeof body === "object" && body !== null ? body.error_data : undefined;
  }
}

/** True for a {@link SearchAPIError}, from any realm. */
export const isSearchAPIError: (value: unknown) => value is SearchAPIError = errorGuard(SearchAPIError, [
  "SearchAPIError",
]);
