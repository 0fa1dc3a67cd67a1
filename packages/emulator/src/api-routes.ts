import type { EmulatorIdentity } from "./client-identity-registry.ts";
import { bearerToken } from "./http-utils.ts";
import { publicJwk } from "./id-token-signer.ts";
import type { RequestContext } from "./request-context.ts";
import { AUTH_RESOURCE_SERVER } from "./scope-registry.ts";
import { isUuid, stableUuid } from "./stable-uuid.ts";
import type { AccessTokenRecord } from "./token-store.ts";

const MAX_IDENTITY_LOOKUPS = 100;

/** `GET /.well-known/openid-configuration`: Globus Auth's discovery document, pointing here. */
export function handleOpenidConfiguration(ctx: RequestContext): void {
  const base = ctx.baseUrl;
  ctx.respond.json(200, {
    issuer: ctx.state.issuer,
    authorization_endpoint: `${base}v2/oauth2/authorize`,
    userinfo_endpoint: `${base}v2/oauth2/userinfo`,
    token_endpoint: `${base}v2/oauth2/token`,
    revocation_endpoint: `${base}v2/oauth2/token/revoke`,
    jwks_uri: `${base}jwk.json`,
    response_types_supported: ["code", "token", "token id_token", "id_token"],
    id_token_signing_alg_values_supported: ["RS512"],
    scopes_supported: ["openid", "email", "profile"],
    token_endpoint_auth_methods_supported: ["client_secret_basic"],
    claims_supported: [
      "at_hash",
      "aud",
      "email",
      "exp",
      "name",
      "nonce",
      "preferred_username",
      "iat",
      "iss",
      "sub",
    ],
    subject_types_supported: ["public"],
  });
}

/** `GET /jwk.json`: the id_token signing key. */
export function handleJwks(ctx: RequestContext): void {
  ctx.respond.json(200, { keys: [publicJwk(ctx.state.signingKey, ctx.state.keyId)] });
}

/**
 * The active token of a Globus Auth API call; sends Globus's 401/403 error and returns
 * `undefined` otherwise.
 */
function authenticate(ctx: RequestContext, options: { authOnly: boolean }): AccessTokenRecord | undefined {
  const token = bearerToken(ctx.req.headers.authorization);
  const record = ctx.state.activeAccessToken(token);
  if (!record) {
    ctx.respond.globusError(401, "UNAUTHORIZED", "Unauthorized", "Call must be authenticated");
    return undefined;
  }
  if (options.authOnly && record.resourceServer !== AUTH_RESOURCE_SERVER) {
    ctx.respond.globusError(403, "FORBIDDEN", "Forbidden", "This call requires a token for auth.globus.org");
    return undefined;
  }
  return record;
}

/** `GET|POST /v2/oauth2/userinfo` with an auth.globus.org token. */
export function handleUserinfo(ctx: RequestContext): void {
  const record = authenticate(ctx, { authOnly: true });
  if (!record) return;
  ctx.respond.json(200, ctx.state.identityClaims(record.subject, record.authTime));
}

function identityJson(identity: EmulatorIdentity, type: "login" | "client"): Record<string, unknown> {
  return {
    id: identity.id,
    username: identity.username,
    status: identity.status,
    identity_provider: identity.identityProvider,
    identity_type: type,
    name: identity.name,
    email: identity.email,
    organization: identity.organization,
  };
}

/** `GET /v2/api/identities?ids=…` or `?usernames=…` with any active token. */
export function handleIdentities(ctx: RequestContext): void {
  const { query, state, respond } = ctx;
  if (!authenticate(ctx, { authOnly: false })) return;
  const split = (name: string): string[] =>
    query
      .getAll(name)
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter(Boolean);
  const ids = split("ids");
  const usernames = split("usernames");
  const badRequest = (detail: string): void =>
    respond.globusError(400, "INVALID_PARAMETERS", "Invalid Parameters", detail);
  if (ids.length > 0 && usernames.length > 0) {
    badRequest("Use either ids or usernames, not both");
    return;
  }
  if (ids.length + usernames.length > MAX_IDENTITY_LOOKUPS) {
    badRequest(`At most ${MAX_IDENTITY_LOOKUPS} identities can be looked up at once`);
    return;
  }
  const identities: Record<string, unknown>[] = [];
  if (ids.length > 0) {
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) {
      badRequest("ids must be UUIDs");
      return;
    }
    for (const id of new Set(ids.map((value) => value.toLowerCase()))) {
      const identity = state.identities.get(id);
      if (identity) identities.push(identityJson(identity, "login"));
      else if (state.clients.has(id)) identities.push(identityJson(state.subjectIdentity(id), "client"));
    }
  }
  for (const username of new Set(usernames.map((value) => value.toLowerCase()))) {
    const identity = state.findIdentity(username);
    if (identity) {
      identities.push(identityJson(identity, "login"));
    } else if (/^[^\s@]+@[^\s@]+$/.test(username) && username.length <= 300) {
      // Globus answers for any well-formed username, minting an unused identity id for it.
      identities.push({
        id: stableUuid("identity", username),
        username,
        status: "unused",
        identity_provider: stableUuid("identity-provider", username.slice(username.lastIndexOf("@") + 1)),
        identity_type: "login",
        name: null,
        email: null,
        organization: null,
      });
    }
  }
  respond.json(200, { identities });
}

/** `GET /v2/api/identities/<identity_id>/consents` with that identity's auth.globus.org token. */
export function handleConsents(ctx: RequestContext): void {
  const identityId = (ctx.pathParams[0] ?? "").toLowerCase();
  const record = authenticate(ctx, { authOnly: true });
  if (!record) return;
  if (!isUuid(identityId)) {
    ctx.respond.globusError(404, "NOT_FOUND", "Not Found", "No such identity");
    return;
  }
  if (record.subject !== identityId) {
    ctx.respond.globusError(403, "FORBIDDEN", "Forbidden", "You may only view your own consents");
    return;
  }
  const all = (ctx.query.get("all") ?? "").toLowerCase() === "true";
  ctx.respond.json(200, { consents: ctx.state.consentsOf(identityId, all ? undefined : record.clientId) });
}
