import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizer } from "./globus-authorizer.ts";

/**
 * Sends one fixed credential of any token type (`<tokenType> <token>`), e.g. a `Bearer` token from
 * elsewhere or a service's own scheme. Like {@link AccessTokenAuthorizer} (a static Bearer
 * authorizer with an expiry), it cannot renew: after a 401 the caller must get a new credential.
 *
 * @throws GlobusSDKUsageError for an empty token, or a token type that is not one word.
 * @example
 * ```ts
 * const authz = new StaticGlobusGenericAuthorizer(token, { tokenType: "Bearer" });
 * ```
 */
export class StaticGlobusGenericAuthorizer implements GlobusAuthorizer {
  readonly #header: string;
  /** The scheme sent before the token. @default "Bearer" */
  readonly tokenType: string;

  constructor(token: string, options: { tokenType?: string } = {}) {
    const tokenType = options.tokenType ?? "Bearer";
    if (typeof token !== "string" || token === "") {
      throw new GlobusSDKUsageError("A StaticGlobusGenericAuthorizer needs a non-empty token.");
    }
    if (typeof tokenType !== "string" || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(tokenType)) {
      throw new GlobusSDKUsageError(
        "A StaticGlobusGenericAuthorizer's tokenType must be one word (an HTTP scheme).",
      );
    }
    this.tokenType = tokenType;
    this.#header = `${tokenType} ${token}`;
  }

  /** `<tokenType> <token>`. */
  async getAuthorizationHeader(): Promise<string> {
    return this.#header;
  }

  /** Always false: a fixed credential cannot be renewed. */
  async handleMissingAuthorization(): Promise<boolean> {
    return false;
  }

  /** What `JSON.stringify` shows: the kind and token type, never the token. */
  toJSON(): Record<string, unknown> {
    return { type: "StaticGlobusGenericAuthorizer", tokenType: this.tokenType };
  }
}
