import { renderAuthCodePage, renderConsentPage } from "./authorize-page.ts";
import { domainOf, type EmulatorClient } from "./client-identity-registry.ts";
import type { AuthorizeTransaction } from "./consent-store.ts";
import type { EmulatorState } from "./emulator-state.ts";
import { repeatedParameter, withQuery } from "./http-utils.ts";
import { LOOPBACK_HOSTNAMES } from "./origin-policy.ts";
import { parseRequestedScopes } from "./parse-requested-scopes.ts";
import type { RequestContext } from "./request-context.ts";

const AUTHORIZE_PARAMETERS = [
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "response_type",
  "code_challenge",
  "code_challenge_method",
  "access_type",
  "prompt",
  "nonce",
  "prefill_named_grant",
  "session_message",
  "session_required_identities",
  "session_required_single_domain",
  "session_required_policies",
  "session_required_mfa",
];

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_TEXT = 4096;

/** @internal The authorize page's own copy-and-paste redirect target. */
export function authCodePageUrl(baseUrl: string): string {
  return `${baseUrl}v2/web/auth-code`;
}

/**
 * @internal Whether `client` may send users back to `redirectUri`: registered for it or globally,
 * or — for native apps only — any loopback http URL or the emulator's auth-code page.
 */
export function isAllowedRedirect(
  state: EmulatorState,
  client: EmulatorClient,
  redirectUri: string,
  baseUrl: string,
): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.hash !== "" || redirectUri.includes("#") || url.username !== "" || url.password !== "")
    return false;
  if (client.redirectUris.includes(redirectUri) || state.globalRedirectUris.includes(redirectUri))
    return true;
  if (client.type !== "native") return false;
  if (url.protocol === "http:" && LOOPBACK_HOSTNAMES.has(url.hostname)) return true;
  return `${url.origin}${url.pathname}` === authCodePageUrl(baseUrl);
}

const parseList = (value: string | null): string[] =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

function parseBoolean(value: string | null): boolean | undefined {
  if (value === null || value === "") return false;
  const lower = value.toLowerCase();
  if (lower === "true" || lower === "1" || lower === "yes") return true;
  if (lower === "false" || lower === "0" || lower === "no") return false;
  return undefined;
}

/** `GET /v2/oauth2/authorize`: validates, then shows the consent page or (auto-approve) redirects with a code. */
export function handleAuthorizeGet(ctx: RequestContext): void {
  const { query, state, respond, baseUrl } = ctx;
  const repeated = repeatedParameter(query, AUTHORIZE_PARAMETERS);
  if (repeated) {
    respond.errorPage(400, "Invalid request", `The parameter ${repeated} was given more than once.`);
    return;
  }
  const clientId = query.get("client_id");
  if (!clientId) {
    respond.errorPage(400, "Invalid request", "The request has no client_id.");
    return;
  }
  const client = state.clients.get(clientId);
  if (!client) {
    respond.errorPage(
      400,
      "Unknown client",
      `No client with id ${clientId} is registered with this emulator.`,
    );
    return;
  }
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri) {
    respond.errorPage(400, "Invalid request", "The request has no redirect_uri.");
    return;
  }
  if (!isAllowedRedirect(state, client, redirectUri, baseUrl)) {
    respond.errorPage(
      400,
      "Invalid redirect_uri",
      `The redirect_uri ${redirectUri} is not registered for client ${client.id}.`,
    );
    return;
  }

  // From here on the redirect URI is trusted, so errors go back to the app, as OAuth prescribes.
  const stateParam = query.get("state") ?? undefined;
  const fail = (error: string, description: string): void =>
    respond.redirect(withQuery(redirectUri, { error, error_description: description, state: stateParam }));

  const responseType = query.get("response_type");
  if (!responseType) {
    fail("invalid_request", "response_type is required");
    return;
  }
  if (responseType !== "code") {
    fail("unsupported_response_type", "only response_type=code is supported");
    return;
  }

  const scopes = parseRequestedScopes(query.get("scope"));
  if (typeof scopes === "string") {
    fail("invalid_scope", scopes);
    return;
  }

  // PKCE belongs to native clients alone. Globus's Auth developer guide has native apps use PKCE
  // (code_challenge, code_challenge_method=S256 here; code_verifier at the token endpoint) and has
  // confidential clients prove themselves with their secret (HTTP Basic) instead; the Python SDK's
  // confidential authorization-code flow sends no code_challenge. So a challenge a confidential
  // client sends anyway is not part of its flow: ignored, neither checked nor stored, and its code
  // is bound by client authentication, redirect_uri and the app's own `state`.
  const pkce = client.type === "native";
  const challenge = pkce ? (query.get("code_challenge") ?? undefined) : undefined;
  const method = query.get("code_challenge_method") ?? undefined;
  if (!pkce) {
    // Nothing to check.
  } else if (challenge === undefined) {
    fail("invalid_request", "native apps must use PKCE: code_challenge is required");
    return;
  } else {
    if (method !== "S256") {
      fail("invalid_request", "code_challenge_method must be S256");
      return;
    }
    if (!PKCE_CHALLENGE.test(challenge)) {
      fail("invalid_request", "code_challenge must be 43 base64url characters (SHA-256)");
      return;
    }
  }

  const accessType = query.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline") {
    fail("invalid_request", "access_type must be online or offline");
    return;
  }
  const prompt = query.get("prompt") ?? "";
  if (prompt !== "" && prompt !== "login") {
    fail("invalid_request", "prompt must be login");
    return;
  }
  const mfaRequired = parseBoolean(query.get("session_required_mfa"));
  if (mfaRequired === undefined) {
    fail("invalid_request", "session_required_mfa must be true or false");
    return;
  }

  for (const name of ["session_message", "prefill_named_grant", "nonce", "state"]) {
    if ((query.get(name) ?? "").length > MAX_TEXT) {
      fail("invalid_request", `${name} is too long`);
      return;
    }
  }

  const requiredIdentities = parseList(query.get("session_required_identities"));
  const requiredDomains = parseList(query.get("session_required_single_domain")).map((d) => d.toLowerCase());
  const allowed = [...state.identities.values()].filter(
    (identity) =>
      (requiredIdentities.length === 0 ||
        requiredIdentities.some((wanted) => state.findIdentity(wanted)?.id === identity.id)) &&
      (requiredDomains.length === 0 || requiredDomains.includes(domainOf(identity.username))),
  );

  const details: Omit<AuthorizeTransaction, "id" | "expiresAt"> = {
    clientId: client.id,
    redirectUri,
    scopes,
    state: stateParam,
    nonce: query.get("nonce") ?? undefined,
    codeChallenge: challenge,
    offline: accessType === "offline",
    mfaRequired,
    promptLogin: prompt === "login",
    allowedIdentities: allowed.map((identity) => identity.id),
    sessionMessage: query.get("session_message") || undefined,
    namedGrant: query.get("prefill_named_grant") || undefined,
    policies: parseList(query.get("session_required_policies")),
  };

  if (state.autoApprove !== false) {
    const preferred = typeof state.autoApprove === "string" ? state.autoApprove : undefined;
    const identityId =
      details.allowedIdentities.find((id) => id === preferred) ?? details.allowedIdentities[0];
    if (identityId === undefined) {
      fail("access_denied", "no identity satisfies the session requirements");
      return;
    }
    respond.redirect(approve(state, details, identityId, true));
    return;
  }

  const transaction = state.createTransaction(details);
  respond.html(200, consentPage(state, client, transaction, undefined));
}

function consentPage(
  state: EmulatorState,
  client: EmulatorClient,
  transaction: AuthorizeTransaction,
  error: string | undefined,
): string {
  const identities = transaction.allowedIdentities.flatMap((id) => state.identities.get(id) ?? []);
  // Preselect the identity the emulated browser used most recently, as Globus would: after
  // Ada → Grace, a step-up must offer Grace, not the older session of Ada.
  const allowed = new Set(identities.map((i) => i.id));
  const preselected = transaction.promptLogin
    ? undefined
    : [...state.sessions.keys()].reverse().find((id) => allowed.has(id));
  return renderConsentPage({ client, transaction, identities, preselected, error });
}

/** Signs the identity in, records consent and returns the redirect carrying a new code. */
function approve(
  state: EmulatorState,
  details: Omit<AuthorizeTransaction, "id" | "expiresAt">,
  identityId: string,
  autoApproved: boolean,
): string {
  const session = state.signIn(identityId, {
    promptLogin: details.promptLogin,
    mfaRequired: details.mfaRequired,
    policies: details.policies,
  });
  state.recordConsent(identityId, details.clientId, details.scopes, {
    autoApproved,
    allowsRefresh: details.offline,
  });
  const code = state.createCode(
    {
      clientId: details.clientId,
      subject: identityId,
      mfa: session.mfa,
      policies: session.policies,
      authTime: session.authTime,
    },
    {
      redirectUri: details.redirectUri,
      codeChallenge: details.codeChallenge,
      scopes: details.scopes,
      offline: details.offline,
      state: details.state,
      nonce: details.nonce,
    },
  );
  return withQuery(details.redirectUri, { code, state: details.state });
}

/** `POST /v2/oauth2/authorize`: the consent page's Allow or Deny. */
export function handleAuthorizePost(ctx: RequestContext): void {
  const { form, state, respond } = ctx;
  const repeated = repeatedParameter(form, ["transaction", "identity_id", "decision", "grant_name"]);
  if (repeated) {
    respond.errorPage(400, "Invalid request", `The field ${repeated} was given more than once.`);
    return;
  }
  const transaction = state.transactions.get(form.get("transaction") ?? "");
  if (!transaction || transaction.expiresAt <= state.now()) {
    respond.errorPage(
      400,
      "Login expired",
      "This login request has expired or was already answered. Start again from the app.",
    );
    return;
  }
  const client = state.clients.get(transaction.clientId);
  if (!client) {
    respond.errorPage(400, "Unknown client", "The client of this login request is no longer registered.");
    return;
  }
  const decision = form.get("decision");
  if (decision === "deny") {
    state.transactions.delete(transaction.id);
    respond.redirect(
      withQuery(transaction.redirectUri, {
        error: "access_denied",
        error_description: "The user denied the request",
        state: transaction.state,
      }),
    );
    return;
  }
  if (decision !== "allow") {
    respond.html(400, consentPage(state, client, transaction, "Choose Allow or Deny."));
    return;
  }
  const identityId = form.get("identity_id") ?? "";
  if (!transaction.allowedIdentities.includes(identityId)) {
    respond.html(400, consentPage(state, client, transaction, "Choose one of the listed identities."));
    return;
  }
  state.transactions.delete(transaction.id);
  respond.redirect(approve(state, transaction, identityId, false));
}

/** `GET /v2/web/auth-code`: shows the code for copy and paste. */
export function handleAuthCodePage(ctx: RequestContext): void {
  const { query } = ctx;
  ctx.respond.html(
    200,
    renderAuthCodePage(
      query.get("code") ?? undefined,
      query.get("error") ?? undefined,
      query.get("error_description") ?? undefined,
    ),
  );
}
