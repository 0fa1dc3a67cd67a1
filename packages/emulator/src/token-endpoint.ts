import { createHash } from "node:crypto";
import type { EmulatorClient } from "./client-identity-registry.ts";
import { parseBasicAuth, repeatedParameter, safeEqual } from "./http-utils.ts";
import { parseRequestedScopes } from "./parse-requested-scopes.ts";
import type { RequestContext } from "./request-context.ts";
import { mergeScopeNodes } from "./scope-tree.ts";
import type { AuthCodeRecord, TokenResponseEntry } from "./token-store.ts";

/** The dependent-token grant type of Globus Auth. */
export const DEPENDENT_TOKEN_GRANT = "urn:globus:auth:grant_type:dependent_token";

const TOKEN_PARAMETERS = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "client_id",
  "client_secret",
  "refresh_token",
  "scope",
  "token",
  "access_type",
  "token_type_hint",
  "include",
];

const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

type ClientCheck = { client: EmulatorClient; basic: boolean } | undefined;

/**
 * Identifies the calling client: HTTP Basic for confidential clients, `client_id` in the body for
 * native ones. Sends the error and returns `undefined` when that fails.
 */
function authenticateClient(ctx: RequestContext, options: { requireBasic: boolean }): ClientCheck {
  const { form, state, respond } = ctx;
  // No WWW-Authenticate challenge: WIRE.md's Globus answers with the JSON body alone.
  const invalid = (description: string): undefined => {
    respond.oauthError(401, "invalid_client", description);
    return undefined;
  };
  const basic = parseBasicAuth(ctx.req.headers.authorization);
  if (basic === "malformed") return invalid("malformed Authorization header");
  if (form.has("client_secret")) {
    return invalid("client_secret in the request body is not supported; use HTTP Basic authentication");
  }
  if (basic) {
    const client = state.clients.get(basic.id);
    if (!client || client.secret === undefined || !safeEqual(client.secret, basic.secret)) {
      return invalid("client authentication failed");
    }
    const bodyId = form.get("client_id");
    if (bodyId !== null && bodyId !== client.id)
      return invalid("client_id does not match the authenticated client");
    return { client, basic: true };
  }
  if (options.requireBasic) return invalid("this request requires HTTP Basic client authentication");
  const clientId = form.get("client_id");
  if (!clientId) return invalid("client authentication is required (client_id or HTTP Basic)");
  const client = state.clients.get(clientId);
  if (!client) return invalid("unknown client");
  if (client.type === "confidential")
    return invalid("confidential clients must authenticate with HTTP Basic");
  return { client, basic: false };
}

function checkForm(ctx: RequestContext): boolean {
  const repeated = repeatedParameter(ctx.form, TOKEN_PARAMETERS);
  if (repeated) {
    ctx.respond.oauthError(400, "invalid_request", `parameter ${repeated} was given more than once`);
    return false;
  }
  return true;
}

const s256 = (verifier: string): string => createHash("sha256").update(verifier).digest("base64url");

/** `POST /v2/oauth2/token`: every grant Globus Auth supports. */
export function handleToken(ctx: RequestContext): void {
  if (!checkForm(ctx)) return;
  const grantType = ctx.form.get("grant_type");
  switch (grantType) {
    case "authorization_code":
      authorizationCodeGrant(ctx);
      return;
    case "refresh_token":
      refreshTokenGrant(ctx);
      return;
    case "client_credentials":
      clientCredentialsGrant(ctx);
      return;
    case DEPENDENT_TOKEN_GRANT:
      dependentTokenGrant(ctx);
      return;
    case null:
    case "":
      ctx.respond.oauthError(400, "invalid_request", "grant_type is required");
      return;
    default:
      ctx.respond.oauthError(400, "unsupported_grant_type", "unsupported grant_type");
      return;
  }
}

/**
 * The values of required form parameters, or undefined after answering `invalid_request` for the
 * first one that is missing or blank.
 */
function requiredParams(ctx: RequestContext, ...names: string[]): string[] | undefined {
  const values: string[] = [];
  for (const name of names) {
    const value = ctx.form.get(name);
    if (!value?.trim()) {
      ctx.respond.oauthError(400, "invalid_request", `${name} is required`);
      return undefined;
    }
    values.push(value);
  }
  return values;
}

function authorizationCodeGrant(ctx: RequestContext): void {
  const { form, state, respond } = ctx;
  const auth = authenticateClient(ctx, { requireBasic: false });
  if (!auth) return;
  const params = requiredParams(ctx, "code", "redirect_uri");
  if (!params) return;
  const [code, redirectUri] = params as [string, string];
  const invalidGrant = (description: string): void => respond.oauthError(401, "invalid_grant", description);

  const record = state.codes.get(code);
  if (!record) {
    invalidGrant("invalid authorization code");
    return;
  }
  if (record.used) {
    // A replayed code suggests it leaked: withdraw what it bought, as RFC 6749 §4.1.2 suggests.
    for (const token of record.issued) state.revokeToken(token, undefined);
    record.issued.length = 0;
    invalidGrant("authorization code has already been used");
    return;
  }
  // Any failed attempt burns the code, so a verifier cannot be guessed by retrying.
  record.used = true;
  if (record.expiresAt <= state.now()) {
    invalidGrant("authorization code has expired");
    return;
  }
  if (record.clientId !== auth.client.id) {
    invalidGrant("authorization code was issued to another client");
    return;
  }
  if (record.redirectUri !== redirectUri) {
    invalidGrant("redirect_uri does not match the authorization request");
    return;
  }
  const problem = verifierProblem(auth.client, record, form.get("code_verifier"));
  if (problem !== undefined) {
    invalidGrant(problem);
    return;
  }
  respond.json(
    200,
    state.issueTokens(record, record.scopes, {
      offline: record.offline,
      state: record.state,
      nonce: record.nonce,
      issued: record.issued,
    }),
  );
}

/**
 * What is wrong with a code exchange's `code_verifier`, if anything: a native client's must match
 * the code's S256 challenge (and is refused when the code has none). Not part of a confidential
 * client's flow (see handleAuthorizeGet): its Basic credentials bind the code, so a code_verifier it
 * sends anyway is ignored, as Globus does.
 */
function verifierProblem(
  client: EmulatorClient,
  record: AuthCodeRecord,
  verifier: string | null,
): string | undefined {
  if (client.type === "confidential") return undefined;
  if (record.codeChallenge === undefined) {
    return verifier ? "code_verifier given but the authorization request had no code_challenge" : undefined;
  }
  if (!verifier) return "code_verifier is required";
  if (!PKCE_VERIFIER.test(verifier)) return "code_verifier must be 43-128 unreserved characters";
  if (s256(verifier) !== record.codeChallenge) return "code_verifier does not match the code_challenge";
  return undefined;
}

function refreshTokenGrant(ctx: RequestContext): void {
  const { state, respond } = ctx;
  const auth = authenticateClient(ctx, { requireBasic: false });
  if (!auth) return;
  const [token] = requiredParams(ctx, "refresh_token") ?? [];
  if (!token) return;
  const record = state.activeRefreshToken(token);
  if (!record || record.clientId !== auth.client.id) {
    respond.oauthError(401, "invalid_grant", "refresh token is invalid, expired or revoked");
    return;
  }
  respond.json(200, state.refresh(record));
}

function clientCredentialsGrant(ctx: RequestContext): void {
  const { state, respond } = ctx;
  const auth = authenticateClient(ctx, { requireBasic: true });
  if (!auth) return;
  const [scope] = requiredParams(ctx, "scope") ?? [];
  if (!scope) return;
  const scopes = parseRequestedScopes(scope);
  if (typeof scopes === "string") {
    respond.oauthError(400, "invalid_scope", scopes);
    return;
  }
  const clientId = auth.client.id;
  state.recordConsent(clientId, clientId, scopes, { autoApproved: true, allowsRefresh: false });
  const grant = { clientId, subject: clientId, mfa: false, policies: [], authTime: state.nowSeconds() };
  respond.json(200, state.issueTokens(grant, scopes, { offline: false }));
}

function dependentTokenGrant(ctx: RequestContext): void {
  const { form, state, respond } = ctx;
  const auth = authenticateClient(ctx, { requireBasic: true });
  if (!auth) return;
  const [token] = requiredParams(ctx, "token") ?? [];
  if (!token) return;
  const accessType = form.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline") {
    respond.oauthError(400, "invalid_request", "access_type must be online or offline");
    return;
  }
  const record = state.activeAccessToken(token);
  if (!record) {
    respond.oauthError(401, "invalid_grant", "token is not active");
    return;
  }
  if (record.resourceServer !== auth.client.id) {
    respond.oauthError(401, "invalid_grant", "token was not issued for this client's resource server");
    return;
  }
  const dependencies = mergeScopeNodes(record.scopes.flatMap((node) => node.dependencies));
  if (dependencies.length === 0) {
    respond.json(200, []);
    return;
  }
  const grant = {
    clientId: auth.client.id,
    subject: record.subject,
    mfa: record.mfa,
    policies: record.policies,
    authTime: record.authTime,
  };
  const response = state.issueTokens(grant, dependencies, { offline: accessType === "offline" });
  const tokens: TokenResponseEntry[] = [response, ...response.other_tokens].map((entry) => ({
    access_token: entry.access_token,
    scope: entry.scope,
    expires_in: entry.expires_in,
    token_type: entry.token_type,
    resource_server: entry.resource_server,
    ...(entry.refresh_token === undefined ? {} : { refresh_token: entry.refresh_token }),
  }));
  respond.json(200, tokens);
}

/** `POST /v2/oauth2/token/revoke`: always `{"active": false}` for a well-formed request. */
export function handleRevoke(ctx: RequestContext): void {
  if (!checkForm(ctx)) return;
  const auth = authenticateClient(ctx, { requireBasic: false });
  if (!auth) return;
  const [token] = requiredParams(ctx, "token") ?? [];
  if (!token) return;
  // RFC 7009: a token of another client is silently left alone, and the answer is the same.
  ctx.state.revokeToken(token, auth.client.id);
  ctx.respond.json(200, { active: false });
}

/** `POST /v2/oauth2/token/introspect` (confidential clients, HTTP Basic). */
export function handleIntrospect(ctx: RequestContext): void {
  if (!checkForm(ctx)) return;
  const { form, state, respond } = ctx;
  const auth = authenticateClient(ctx, { requireBasic: true });
  if (!auth) return;
  const [token] = requiredParams(ctx, "token") ?? [];
  if (!token) return;
  const record = state.activeAccessToken(token);
  if (!record) {
    respond.json(200, { active: false });
    return;
  }
  const identity = state.subjectIdentity(record.subject);
  const include = new Set((form.get("include") ?? "").split(",").map((item) => item.trim()));
  const body: Record<string, unknown> = {
    active: true,
    token_type: "Bearer",
    scope: record.scopes.map((node) => node.scope).join(" "),
    client_id: record.clientId,
    username: identity.username,
    name: identity.name,
    email: identity.email,
    exp: record.expiresAt,
    iat: record.issuedAt,
    nbf: record.issuedAt,
    sub: record.subject,
    aud: [...new Set([record.resourceServer, record.clientId])],
    iss: state.issuer,
  };
  if (include.has("identity_set")) body.identity_set = [record.subject];
  if (include.has("session_info")) {
    body.session_info = {
      session_id: null,
      authentications: {
        [record.subject]: {
          auth_time: record.authTime,
          idp: identity.identityProvider,
          amr: record.mfa ? ["mfa"] : [],
        },
      },
    };
  }
  respond.json(200, body);
}
