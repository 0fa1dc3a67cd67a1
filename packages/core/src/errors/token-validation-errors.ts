import { errorGuard, GlobusError, type GlobusErrorCode, type GlobusErrorOptions } from "./globus-error.ts";

/**
 * Stored tokens cannot be used as they are: missing, expired, lacking scopes, or belonging to an
 * unexpected identity. `GlobusApp.getAuthorizer` reacts to these by running the configured
 * `tokenValidationErrorHandler` (a login by default).
 */
export class TokenValidationError extends GlobusError {
  override readonly name: string = "TokenValidationError";
  constructor(
    message: string,
    code: GlobusErrorCode = "TOKEN_VALIDATION_FAILED",
    options: GlobusErrorOptions = {},
  ) {
    super(message, code, options);
  }
}

/**
 * No token (or no refresh token, when refresh tokens are required) is stored for a resource server.
 *
 * @example
 * ```ts
 * await app.tokenStorage.getTokenData("transfer.api.globus.org"); // may throw MissingTokenError
 * ```
 */
export class MissingTokenError extends TokenValidationError {
  override readonly name = "MissingTokenError";
  /** The resource server that has no usable token. */
  readonly resourceServer: string;
  constructor(message: string, resourceServer: string, options: GlobusErrorOptions = {}) {
    super(message, "TOKEN_MISSING", options);
    this.resourceServer = resourceServer;
  }
}

/** The stored access token expired and no refresh token can renew it. */
export class ExpiredTokenError extends TokenValidationError {
  override readonly name = "ExpiredTokenError";
  /** When the token expired, in epoch seconds. */
  readonly expiresAtSeconds: number;
  constructor(expiresAtSeconds: number, options: GlobusErrorOptions = {}) {
    super(`Token expired at ${new Date(expiresAtSeconds * 1000).toISOString()}`, "TOKEN_EXPIRED", options);
    this.expiresAtSeconds = expiresAtSeconds;
  }
  /** The expiry as a `Date`. */
  get expiration(): Date {
    return new Date(this.expiresAtSeconds * 1000);
  }
}

/**
 * The stored tokens do not carry every scope the app requires (root scopes, or dependent scopes as
 * the consents API reports them).
 */
export class UnmetScopeRequirementsError extends TokenValidationError {
  override readonly name = "UnmetScopeRequirementsError";
  /** Every requirement that was evaluated, as scope strings per resource server. */
  readonly scopeRequirements: Readonly<Record<string, readonly string[]>>;
  constructor(
    message: string,
    scopeRequirements: Readonly<Record<string, readonly string[]>>,
    options: GlobusErrorOptions = {},
  ) {
    super(message, "SCOPE_REQUIREMENTS_UNMET", options);
    this.scopeRequirements = scopeRequirements;
  }
}

/** The identity behind the tokens is missing or not the expected one. */
export class IdentityValidationError extends TokenValidationError {
  override readonly name: string = "IdentityValidationError";
  constructor(
    message: string,
    code: GlobusErrorCode = "IDENTITY_VALIDATION_FAILED",
    options: GlobusErrorOptions = {},
  ) {
    super(message, code, options);
  }
}

/**
 * A token response came without an id_token, so the identity cannot be known. This normally means
 * the login did not request `openid` alongside the other scopes.
 */
export class MissingIdentityError extends IdentityValidationError {
  override readonly name = "MissingIdentityError";
  constructor(
    message = "Token grant response doesn't contain an id_token. This normally occurs if the auth flow didn't include 'openid' alongside other scopes.",
    options: GlobusErrorOptions = {},
  ) {
    super(message, "IDENTITY_MISSING", options);
  }
}

/**
 * New tokens belong to a different identity than the stored ones. A login cannot fix this: log out
 * first (which forgets the identity) to let another person sign in.
 */
export class IdentityMismatchError extends IdentityValidationError {
  override readonly name = "IdentityMismatchError";
  /** The identity the stored tokens belong to. */
  readonly storedId: string;
  /** The identity of the rejected tokens. */
  readonly newId: string;
  constructor(storedId: string, newId: string, options: GlobusErrorOptions = {}) {
    super("Detected a change in identity associated with the token data.", "IDENTITY_MISMATCH", options);
    this.storedId = storedId;
    this.newId = newId;
  }
}

const IDENTITY_NAMES = ["IdentityValidationError", "MissingIdentityError", "IdentityMismatchError"];

/** True for any {@link TokenValidationError} (including every subclass), from any realm. */
export const isTokenValidationError: (value: unknown) => value is TokenValidationError = errorGuard(
  TokenValidationError,
  [
    "TokenValidationError",
    "MissingTokenError",
    "ExpiredTokenError",
    "UnmetScopeRequirementsError",
    ...IDENTITY_NAMES,
  ],
);
/** True for a {@link MissingTokenError}, from any realm. */
export const isMissingTokenError: (value: unknown) => value is MissingTokenError = errorGuard(
  MissingTokenError,
  ["MissingTokenError"],
);
/** True for an {@link ExpiredTokenError}, from any realm. */
export const isExpiredTokenError: (value: unknown) => value is ExpiredTokenError = errorGuard(
  ExpiredTokenError,
  ["ExpiredTokenError"],
);
/** True for an {@link UnmetScopeRequirementsError}, from any realm. */
export const isUnmetScopeRequirementsError: (value: unknown) => value is UnmetScopeRequirementsError =
  errorGuard(UnmetScopeRequirementsError, ["UnmetScopeRequirementsError"]);
/** True for any {@link IdentityValidationError} (including subclasses), from any realm. */
export const isIdentityValidationError: (value: unknown) => value is IdentityValidationError = errorGuard(
  IdentityValidationError,
  IDENTITY_NAMES,
);
/** True for a {@link MissingIdentityError}, from any realm. */
export const isMissingIdentityError: (value: unknown) => value is MissingIdentityError = errorGuard(
  MissingIdentityError,
  ["MissingIdentityError"],
);
/** True for an {@link IdentityMismatchError}, from any realm. */
export const isIdentityMismatchError: (value: unknown) => value is IdentityMismatchError = errorGuard(
  IdentityMismatchError,
  ["IdentityMismatchError"],
);
