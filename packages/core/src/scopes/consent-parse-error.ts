import { errorGuard, GlobusError, type GlobusErrorOptions } from "../errors/globus-error.ts";

/**
 * A consents document from Globus Auth (`GET /v2/api/identities/<id>/consents`) does not have the
 * expected shape: the body has no `consents` array, or a consent lacks a required key or has a
 * value of the wrong type. Code `GLOBUS_ERROR`. `rawConsent` holds the offending consent, if any
 * (consents hold ids and scope names, no secrets).
 *
 * @example
 * ```ts
 * try { ConsentForest.fromConsentsResponse(body); }
 * catch (e) { if (isConsentParseError(e)) console.error(e.message); }
 * // Failed to load Consent object. Missing required key: 'scope_name'.
 * ```
 */
export class ConsentParseError extends GlobusError {
  override readonly name = "ConsentParseError";
  /** The consent object that failed to load (absent when the body itself was malformed). */
  readonly rawConsent: unknown;

  constructor(message: string, options: GlobusErrorOptions & { rawConsent?: unknown } = {}) {
    super(message, "GLOBUS_ERROR", options);
    this.rawConsent = options.rawConsent;
  }
}

/**
 * A consent's `dependency_path` names a parent consent that is not in the list, so the forest
 * cannot be built (the Python SDK's `ConsentTreeConstructionError`). Usually the consents list was
 * incomplete. Code `GLOBUS_ERROR`.
 *
 * @example
 * ```ts
 * new ConsentForest([childWithoutParent]); // throws: Failed to compute forest edges. Missing parent node: 17.
 * ```
 */
export class ConsentTreeConstructionError extends GlobusError {
  override readonly name = "ConsentTreeConstructionError";
  /** The id of the consent whose parent is missing. */
  readonly consentId: number;
  /** The parent id that was not found. */
  readonly missingParentId: number;

  constructor(consentId: number, missingParentId: number, options: GlobusErrorOptions = {}) {
    super(
      `Failed to compute forest edges. Missing parent node: ${missingParentId}.`,
      "GLOBUS_ERROR",
      options,
    );
    this.consentId = consentId;
    this.missingParentId = missingParentId;
  }
}

/** True for a {@link ConsentParseError}, from any realm. */
export const isConsentParseError: (value: unknown) => value is ConsentParseError = errorGuard(
  ConsentParseError,
  ["ConsentParseError"],
);

/** True for a {@link ConsentTreeConstructionError}, from any realm. */
export const isConsentTreeConstructionError: (value: unknown) => value is ConsentTreeConstructionError =
  errorGuard(ConsentTreeConstructionError, ["ConsentTreeConstructionError"]);
