import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Transfer answered with an error status. A {@link GlobusAPIError} (so `isGlobusAPIError`
 * holds), with Transfer's dotted error code in `errorCode` (`ClientError.NotFound`,
 * `EndpointNotFound`, `ConsentRequired`, `AuthorizationRequired`, `ExternalError.MkdirFailed.Exists`,
 * …), its `message`, its `requestId` (quote it to Globus support), and, for `ConsentRequired` and
 * MFA or policy 403s, the GAREs in `gares` that an app with `autoRedriveGares` resolves by itself.
 *
 * @example
 * ```ts
 * try { await transfer.operationMkdir(collectionId, "/~/results/"); }
 * catch (e) {
 *   if (isTransferAPIError(e) && e.errorCode === "ExternalError.MkdirFailed.Exists") { // fine
 *   } else throw e;
 * }
 * ```
 */
export class TransferAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "TransferAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(init, options);
  }

  /** Transfer's error code, e.g. `ClientError.NotFound` (the Python SDK's `code`); same as `errorCode`. */
  get transferCode(): string {
    return this.errorCode;
  }
}

/** True for a {@link TransferAPIError}, from any realm. */
export const isTransferAPIError: (value: unknown) => value is TransferAPIError = errorGuard(
  TransferAPIError,
  ["TransferAPIError"],
);
