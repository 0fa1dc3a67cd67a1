/** Claims of a verified Globus id_token (`sub` is the identity id). */
export interface IdTokenClaims {
  sub: string;
  [claim: string]: unknown;
}

/**
 * Turns an id_token into verified claims. The default (built into the login clients) checks the
 * RS512 signature against Globus Auth's JWKS (key chosen by `kid` when present; the JWKS is fetched
 * once and cached), `aud` = client id, `iss` = the Auth base URL, and `exp`/`iat` with a 300 s leeway.
 * Supply your own through `GlobusAppConfig.idTokenDecoder` to change that policy; oauth4webapi's
 * standard claim checks still run first.
 *
 * @example
 * ```ts
 * const decoder: IdTokenDecoder = { decode: async (jwt) => myVerify(jwt) };
 * ```
 */
export interface IdTokenDecoder {
  /** Verifies `idToken` and returns its claims; throws when it is not acceptable. */
  decode(idToken: string): Promise<IdTokenClaims>;
}
