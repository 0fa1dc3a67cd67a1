import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenResponse } from "./token-response.ts";
import type { TokenStorageData } from "./token-storage-data.ts";

/**
 * The token of a response that one or more scopes were granted to, as the Python SDK's
 * `response.by_scopes["scope1 scope2"]`: `scopes` is one scope string or several separated by
 * spaces, in any order, and they must all belong to the same token.
 *
 * @throws GlobusSDKUsageError when a scope is in no token (`…contains scope "x" which was not
 *   found`), or the scopes belong to different tokens (`…did not match exactly one token!`).
 * @example
 * ```ts
 * const { access_token } = byScopes(response, "openid profile"); // the auth.globus.org token
 * ```
 */
export function byScopes(response: TokenResponse, scopes: string): TokenStorageData {
  if (typeof scopes !== "string") {
    throw new GlobusSDKUsageError(`by_scopes cannot contain non-string value "${String(scopes)}"`);
  }
  const found = new Set<TokenStorageData>();
  for (const scope of scopes.split(/\s+/).filter(Boolean)) {
    const token = Object.values(response.byResourceServer).find((record) =>
      record.scope.split(" ").includes(scope),
    );
    if (!token) {
      throw new GlobusSDKUsageError(
        `Scope specifier "${scopes}" contains scope "${scope}" which was not found`,
      );
    }
    found.add(token);
  }
  const [token, ...others] = found;
  if (!token || others.length > 0) {
    throw new GlobusSDKUsageError(`Scope specifier "${scopes}" did not match exactly one token!`);
  }
  return token;
}

/**
 * A readable form of a token response for logs and debugging: the grant, the identity, and per
 * resource server its scopes, expiry and whether it has a refresh token — never a token (the
 * Python SDK's `str(response)` prints the access tokens; this does not).
 *
 * @example
 * ```ts
 * console.debug(formatTokenResponse(response));
 * // TokenResponse(grant=authorization_code, identity=ae2a…, tokens=[auth.globus.org: scope='openid profile', expires_at=2026-12-09T10:00:00Z, refresh=no; …])
 * ```
 */
export function formatTokenResponse(response: TokenResponse): string {
  const tokens = Object.values(response.byResourceServer).map(
    (record) =>
      `${record.resource_server}: scope='${record.scope}', expires_at=${new Date(record.expires_at_seconds * 1000).toISOString().replace(".000Z", "Z")}, refresh=${record.refresh_token ? "yes" : "no"}`,
  );
  const idToken = response.idTokenClaims ? ", id_token=verified" : "";
  return `TokenResponse(grant=${response.grantType}, identity=${response.identityId ?? "None"}${idToken}, tokens=[${tokens.join("; ")}])`;
}
