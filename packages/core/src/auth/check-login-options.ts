// Checks of what callers give a login client, run in the login chunk (a page load carries none):
// the id_token options and the caller's own state and PKCE verifier.
import * as oauth from "oauth4webapi";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { isLoopbackHttp } from "../internal/is-loopback-http.ts";
import type {
  AuthorizationRequestOptions,
  LoginClientSettings,
  OpenIdConfiguration,
} from "./auth-login-client.ts";

/** The id_token options of a login client, checked. */
export interface IdTokenCheck {
  readonly jwtLeewaySeconds: number;
  readonly openidConfiguration: OpenIdConfiguration | undefined;
  readonly jwks: { keys: readonly JsonWebKey[] } | undefined;
}

/** Checks the id_token options of a login client (Python's rules: no keys without a configuration). */
export function checkIdTokenOptions(
  options: LoginClientSettings["idTokenOptions"],
  loopbackHttp: boolean,
): IdTokenCheck {
  const { jwtLeewaySeconds = 300, openidConfiguration, jwks } = options;
  if (typeof jwtLeewaySeconds !== "number" || !Number.isFinite(jwtLeewaySeconds) || jwtLeewaySeconds < 0) {
    throw new GlobusSDKUsageError(
      "A login client's jwtLeewaySeconds must be a number of seconds, 0 or more.",
    );
  }
  if (jwks !== undefined && openidConfiguration === undefined) {
    throw new GlobusSDKUsageError("passing jwks without openidConfiguration is not allowed.");
  }
  if (openidConfiguration !== undefined) {
    const { issuer, jwks_uri: jwksUri } = openidConfiguration ?? {};
    const url = typeof jwksUri === "string" && URL.canParse(jwksUri) ? new URL(jwksUri) : undefined;
    if (
      typeof issuer !== "string" ||
      !url ||
      (url.protocol !== "https:" && !(loopbackHttp && isLoopbackHttp(url)))
    ) {
      throw new GlobusSDKUsageError(
        "A login client's openidConfiguration needs an issuer and an https jwks_uri.",
      );
    }
  }
  if (jwks !== undefined && (typeof jwks !== "object" || jwks === null || !Array.isArray(jwks.keys))) {
    throw new GlobusSDKUsageError("A login client's jwks must be a JWKS: { keys: [...] }.");
  }
  return { jwtLeewaySeconds, openidConfiguration, jwks };
}

const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const STATE = /^[\x21-\x7e][\x20-\x7e]{14,1022}[\x21-\x7e]$/;

/**
 * The state and PKCE verifier of an authorization request: the caller's when given (checked: RFC
 * 7636's verifier alphabet and length; a state long enough to stay hard to guess), else random.
 * The messages never repeat the values.
 */
export function checkCallerSecrets(
  options: AuthorizationRequestOptions,
  native: boolean,
): { state: string; codeVerifier: string | null } {
  const { state = oauth.generateRandomState(), codeVerifier } = options;
  if (typeof state !== "string" || !STATE.test(state)) {
    throw new GlobusSDKUsageError("state must be 16 to 1024 visible ASCII characters.");
  }
  if (codeVerifier !== undefined) {
    if (!native)
      throw new GlobusSDKUsageError("A confidential client uses no PKCE: do not pass codeVerifier.");
    if (typeof codeVerifier !== "string" || !CODE_VERIFIER.test(codeVerifier)) {
      throw new GlobusSDKUsageError(
        "codeVerifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636).",
      );
    }
  }
  return { state, codeVerifier: native ? (codeVerifier ?? oauth.generateRandomCodeVerifier()) : null };
}
