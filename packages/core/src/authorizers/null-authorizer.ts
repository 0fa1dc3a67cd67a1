import type { GlobusAuthorizer } from "./globus-authorizer.ts";

/**
 * Sends no credentials, for calls that need none (a public Search index, a service's version
 * endpoint): its header is empty, which `GlobusClient` reads as "send no Authorization header".
 *
 * @example
 * ```ts
 * const search = new SearchClient({ authorizer: new NullAuthorizer() });
 * ```
 */
export class NullAuthorizer implements GlobusAuthorizer {
  /** An empty string: no Authorization header. */
  async getAuthorizationHeader(): Promise<string> {
    return "";
  }

  /** Always false: there is nothing to renew. */
  async handleMissingAuthorization(): Promise<boolean> {
    return false;
  }

  /** What `JSON.stringify` shows. */
  toJSON(): Record<string, unknown> {
    return { type: "NullAuthorizer" };
  }
}
