import { errorGuard, GlobusError, type GlobusErrorOptions } from "./globus-error.ts";

/**
 * Token storage could not read or write its data: a corrupt or foreign file, an unknown format
 * version, a value of the wrong type, a full quota, a locked database. The stored data is left as it
 * was; the message names the store (file path, database, key prefix) and the problem, never a token.
 *
 * @example
 * ```ts
 * try { await storage.getTokenData("auth.globus.org"); }
 * catch (e) { if (isTokenStorageError(e)) console.error(e.location, e.message); }
 * ```
 */
export class TokenStorageError extends GlobusError {
  override readonly name = "TokenStorageError";
  /** Where the failing data lives (a file path, a database name, a key prefix), if known. */
  readonly location: string | undefined;

  constructor(message: string, options: GlobusErrorOptions & { location?: string } = {}) {
    super(message, "TOKEN_STORAGE_ERROR", options);
    this.location = options.location;
  }
}

/** True for a {@link TokenStorageError}, from any realm. */
export const isTokenStorageError: (value: unknown) => value is TokenStorageError = errorGuard(
  TokenStorageError,
  ["TokenStorageError"],
);
