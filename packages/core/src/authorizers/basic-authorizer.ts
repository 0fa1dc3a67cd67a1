import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizer } from "./globus-authorizer.ts";

/** Base64 of a string's UTF-8 bytes (as HTTP Basic authentication encodes a user-id and password). */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * HTTP Basic authentication with a username and password (for Globus Auth's client-authenticated
 * calls, the client id and secret): `Basic base64(username:password)`, UTF-8 encoded. It cannot
 * renew anything: a 401 is final. Neither part is shown by `toJSON`, `String()` or errors.
 *
 * @throws GlobusSDKUsageError when a part is not a string, or the username holds a `:` (which would
 *   move the split between the two).
 * @example
 * ```ts
 * const authz = new BasicAuthorizer(clientId, clientSecret);
 * await authz.getAuthorizationHeader(); // "Basic …"
 * ```
 */
export class BasicAuthorizer implements GlobusAuthorizer {
  readonly #header: string;
  /** The username (not secret). */
  readonly username: string;

  constructor(username: string, password: string) {
    if (typeof username !== "string" || typeof password !== "string") {
      throw new GlobusSDKUsageError("A BasicAuthorizer needs a username and a password, both strings.");
    }
    if (username.includes(":")) {
      throw new GlobusSDKUsageError("A BasicAuthorizer's username cannot contain ':'.");
    }
    this.username = username;
    this.#header = `Basic ${base64Utf8(`${username}:${password}`)}`;
  }

  /** `Basic <base64 of username:password>`. */
  async getAuthorizationHeader(): Promise<string> {
    return this.#header;
  }

  /** Always false: a password cannot be renewed. */
  async handleMissingAuthorization(): Promise<boolean> {
    return false;
  }

  /** What `JSON.stringify` shows: the kind and username, never the password. */
  toJSON(): Record<string, unknown> {
    return { type: "BasicAuthorizer", username: this.username };
  }
}
