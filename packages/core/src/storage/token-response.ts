import * as v from "valibot";
import type { TokenStorageData } from "./token-storage-data.ts";
import { finiteNumber } from "./token-storage-data-schema.ts";

// The fields of one token, shared by both schemas as a plain object: spreading a schema's
// `.entries` is a property read that bundlers must keep, and with it valibot in the login chunk,
// which checks responses by hand (checkTokenResponseBody).
const tokenEntries = {
  access_token: v.string(),
  scope: v.string(),
  expires_in: finiteNumber,
  token_type: v.nullish(v.string()),
  // Records are keyed by it: an empty name or `__proto__` could not be stored as a key.
  resource_server: v.pipe(
    v.string(),
    v.check((name) => name !== "" && name !== "__proto__"),
  ),
  refresh_token: v.nullish(v.string()),
  id_token: v.nullish(v.string()),
  state: v.nullish(v.string()),
};

/** Valibot schema of one token object of a Globus Auth token response. */
export const GlobusTokenSchema = v.looseObject(tokenEntries);

/**
 * Valibot schema of a whole Globus Auth token response (top-level token plus `other_tokens`), one
 * token per resource server: a second one for the same server would silently replace the first.
 */
export const GlobusTokenResponseSchema = v.pipe(
  v.looseObject({
    ...tokenEntries,
    other_tokens: v.optional(v.array(GlobusTokenSchema), []),
  }),
  v.check((body) => hasDistinctResourceServers([body, ...body.other_tokens])),
);

/** Whether no two tokens are for the same resource server (their records would collide). */
export function hasDistinctResourceServers(tokens: readonly { resource_server: string }[]): boolean {
  return new Set(tokens.map((token) => token.resource_server)).size === tokens.length;
}

/** A Globus Auth token response body as sent on the wire. */
export type GlobusTokenResponseBody = v.InferOutput<typeof GlobusTokenResponseSchema>;

/** The OAuth grant that produced a {@link TokenResponse}. */
export type TokenGrantType =
  | "authorization_code"
  | "refresh_token"
  | "client_credentials"
  | "dependent_token";

/**
 * A validated token response, split into one {@link TokenStorageData} per resource server — what
 * `TokenStorage.storeTokenResponse` stores.
 */
export interface TokenResponse {
  /** The grant that produced the response. */
  readonly grantType: TokenGrantType;
  /**
   * The identity the tokens belong to: the verified id_token's `sub`, or null when the response had
   * no id_token (refresh and client-credentials responses). Storages keep the stored identity then.
   */
  readonly identityId: string | null;
  /** The id_token's verified claims, when there was one. */
  readonly idTokenClaims: Readonly<Record<string, unknown>> | null;
  /** The tokens, keyed by resource server. */
  readonly byResourceServer: Readonly<Record<string, TokenStorageData>>;
}

/** Options of {@link tokenResponseFromBody}. */
export interface TokenResponseOptions {
  grantType: TokenGrantType;
  /** When the response was received, in epoch seconds (expiry = this + `expires_in`). */
  receivedAtSeconds: number;
  identityId?: string | null;
  idTokenClaims?: Record<string, unknown> | null;
}

/**
 * Splits a Globus token response (top-level token plus `other_tokens`, or the dependent-token grant's
 * array) into per-resource-server records.
 */
export function tokenResponseFromBody(
  body: GlobusTokenResponseBody | readonly v.InferOutput<typeof GlobusTokenSchema>[],
  options: TokenResponseOptions,
): TokenResponse {
  const tokens = Array.isArray(body)
    ? body
    : [body, ...((body as GlobusTokenResponseBody).other_tokens ?? [])];
  const identityId = options.identityId ?? null;
  const byResourceServer: Record<string, TokenStorageData> = {};
  for (const token of tokens) {
    byResourceServer[token.resource_server] = {
      resource_server: token.resource_server,
      identity_id: identityId,
      scope: token.scope,
      access_token: token.access_token,
      refresh_token: token.refresh_token ?? null,
      expires_at_seconds: Math.trunc(options.receivedAtSeconds + token.expires_in),
      token_type: token.token_type ?? null,
    };
  }
  return {
    grantType: options.grantType,
    identityId,
    idTokenClaims: options.idTokenClaims ?? null,
    byResourceServer,
  };
}
