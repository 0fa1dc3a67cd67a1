/**
 * Produces the `Authorization` header for requests to one Globus resource server. HTTP clients ask
 * for the header on every attempt, and call {@link GlobusAuthorizer.handleMissingAuthorization} after
 * a 401 to learn whether a retry with a renewed token makes sense.
 */
export interface GlobusAuthorizer {
  /**
   * The header value, e.g. `Bearer …`; renews the token first when it is about to expire. An empty
   * string means: send no Authorization header ({@link NullAuthorizer}).
   */
  getAuthorizationHeader(): Promise<string>;
  /** Called after a 401: forget the current token if it can be renewed, and answer whether to retry. */
  handleMissingAuthorization(): Promise<boolean>;
}
