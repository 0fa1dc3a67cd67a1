import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizer } from "./globus-authorizer.ts";

/**
 * Sends a fixed access token. It cannot renew it: after a 401 the caller must log in again.
 *
 * @example
 * ```ts
 * const authz = new AccessTokenAuthorizer(token);
 * await authz.getAuthorizationHeader(); // "Bearer <token>"
 * ```
 */
export class AccessTokenAuthorizer implements GlobusAuthorizer {
  readonly #header: string;
  /** When the token expires (epoch seconds), if known; apps use it to evict the authorizer. */
  readonly expiresAtSeconds: number | undefined;

  constructor(accessToken: string, options: { expiresAtSeconds?: number } = {}) {
    if (!accessToken)
      throw new GlobusSDKUsageError("An AccessTokenAuthorizer needs a non-empty access token.");
    this.#header = `Bearer ${accessToken}`;
    this.expiresAtSeconds = options.expiresAtSeconds;
  }

  async getAuthorizationHeader(): Promise<string> {
    return this.#header;
  }

  async handleMissingAuthorization(): Promise<boolean> {
    return false;
  }

  /** Whether the token is past its expiry (false when the expiry is unknown). */
  isExpired(nowSeconds: number = Date.now() / 1000): boolean {
    return this.expiresAtSeconds !== undefined && nowSeconds >= this.expiresAtSeconds;
  }

  /** What `JSON.stringify` shows: the kind and expiry, never the token. */
  toJSON(): Record<string, unknown> {
    return { type: "AccessTokenAuthorizer", expiresAtSeconds: this.expiresAtSeconds };
  }
}
