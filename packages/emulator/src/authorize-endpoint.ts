import { renderAuthCodePage, renderConsentPage } from "./authorize-page.ts";
import { checkRedirectUri } from "./check-redirect-uri.ts";
import { domainOf, type EmulatorClient } from "./client-identity-registry.ts";
import type { AuthorizeTransaction } from "./consent-store.ts";
import type { EmulatorState } from "./emulator-state.ts";
import { repeatedParameter, withQuery } from "./http-utils.ts";
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

/** What a consent page's transaction holds, before it has an id and an expiry. */
type AuthorizeDetails = Omit<AuthorizeTransaction, "id" | "expiresAt">;

/**
 * A refused authorize request whose redirect URI is trusted: the app hears of it at that URI with
 * `error` and `error_description`, as OAuth prescribes.
 */
class AuthorizeRefusal extends Error {
  constructor(
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/**
 * `GET /v2/oauth2/authorize`: validates, then shows the consent page or (auto-approve) redirects
 * with a code. Until the client and its redirect URI are known good, errors are HTML pages; after
 * that they go back to the app.
 */
export function handleAuthorizeGet(ctx: RequestContext): void {
  const { query, state, respond } = ctx;
  const target = trustedRedirect(ctx);
  if (!target) return;
  const { client, redirectUri } = target;
  const stateParam = query.get("state") ?? undefined;
  try {
    const details = readAuthorizeRequest(ctx, client, redirectUri);
    if (state.autoApprove !== false) {
      respond.redirect(approve(state, details, autoApprovedIdentity(state, details), true));
      return;
    }
    const transaction = state.createTransaction(details);
    respond.html(200, consentPage(state, client, transaction, undefined));
  } catch (error) {
    if (!(error instanceof AuthorizeRefusal)) throw error;
    respond.redirect(
      withQuery(redirectUri, { error: error.error, error_description: error.message, state: stateParam }),
    );
  }
}

/**
 * The client and the redirect URI of an authorize request, once both are known good; otherwise
 * answers an HTML error page (a repeated parameter, no or an unknown client, no or a disallowed
 * redirect URI) and returns `undefined`.
 */
function trustedRedirect(ctx: RequestContext): { client: EmulatorClient; redirectUri: string } | undefined {
  const { query, state, respond } = ctx;
  const repeated = repeatedParameter(query, AUTHORIZE_PARAMETERS);
  if (repeated) {
    respond.errorPage(400, "Invalid request", `The parameter ${repeated} was given more than once.`);
    return undefined;
  }
  const clientId = query.get("client_id");
  if (!clientId) {
    respond.errorPage(400, "Invalid request", "The request has no client_id.");
    return undefined;
  }
  const client = state.clients.get(clientId);
  if (!client) {
    respond.errorPage(
      400,
      "Unknown client",
      `No client with id ${clientId} is registered with this emulator.`,
    );
    return undefined;
  }
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri) {
    respond.errorPage(400, "Invalid request", "The request has no redirect_uri.");
    return undefined;
  }
  if (!checkRedirectUri(ctx, client, redirectUri)) return undefined;
  return { client, redirectUri };
}

/**
 * The rest of an authorize request, checked in order (response type, scopes, PKCE, access type,
 * prompt, MFA, text lengths) into what its consent page needs.
 * @throws {AuthorizeRefusal} for the first problem.
 */
function readAuthorizeRequest(
  ctx: RequestContext,
  client: EmulatorClient,
  redirectUri: string,
): AuthorizeDetails {
  const { query, state } = ctx;
  checkResponseType(query.get("response_type"));
  const scopes = parseRequestedScopes(query.get("scope"));
  if (typeof scopes === "string") throw new AuthorizeRefusal("invalid_scope", scopes);
  const codeChallenge = pkceChallenge(query, client);
  const { offline, promptLogin, mfaRequired } = sessionOptions(query);
  return {
    clientId: client.id,
    redirectUri,
    scopes,
    state: query.get("state") ?? undefined,
    nonce: query.get("nonce") ?? undefined,
    codeChallenge,
    offline,
    mfaRequired,
    promptLogin,
    allowedIdentities: allowedIdentities(state, query),
    sessionMessage: query.get("session_message") || undefined,
    namedGrant: query.get("prefill_named_grant") || undefined,
    policies: parseList(query.get("session_required_policies")),
  };
}

function checkResponseType(responseType: string | null): void {
  if (!responseType) throw new AuthorizeRefusal("invalid_request", "response_type is required");
  if (responseType !== "code") {
    throw new AuthorizeRefusal("unsupported_response_type", "only response_type=code is supported");
  }
}

/**
 * The S256 `code_challenge` of a native client's request (required); `undefined` for a
 * confidential client. PKCE belongs to native clients alone. Globus's Auth developer guide has
 * native apps use PKCE (code_challenge, code_challenge_method=S256 here; code_verifier at the token
 * endpoint) and has confidential clients prove themselves with their secret (HTTP Basic) instead;
 * the Python SDK's confidential authorization-code flow sends no code_challenge. So a challenge a
 * confidential client sends anyway is not part of its flow: ignored, neither checked nor stored,
 * and its code is bound by client authentication, redirect_uri and the app's own `state`.
 */
function pkceChallenge(query: URLSearchParams, client: EmulatorClient): string | undefined {
  if (client.type !== "native") return undefined;
  const challenge = query.get("code_challenge") ?? undefined;
  if (challenge === undefined) {
    throw new AuthorizeRefusal("invalid_request", "native apps must use PKCE: code_challenge is required");
  }
  if ((query.get("code_challenge_method") ?? undefined) !== "S256") {
    throw new AuthorizeRefusal("invalid_request", "code_challenge_method must be S256");
  }
  if (!PKCE_CHALLENGE.test(challenge)) {
    throw new AuthorizeRefusal("invalid_request", "code_challenge must be 43 base64url characters (SHA-256)");
  }
  return challenge;
}

/** `access_type`, `prompt` and `session_required_mfa`, then the length of the free-text parameters. */
function sessionOptions(query: URLSearchParams): {
  offline: boolean;
  promptLogin: boolean;
  mfaRequired: boolean;
} {
  const accessType = query.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline") {
    throw new AuthorizeRefusal("invalid_request", "access_type must be online or offline");
  }
  const prompt = query.get("prompt") ?? "";
  if (prompt !== "" && prompt !== "login")
    throw new AuthorizeRefusal("invalid_request", "prompt must be login");
  const mfaRequired = parseBoolean(query.get("session_required_mfa"));
  if (mfaRequired === undefined) {
    throw new AuthorizeRefusal("invalid_request", "session_required_mfa must be true or false");
  }
  for (const name of ["session_message", "prefill_named_grant", "nonce", "state"]) {
    if ((query.get(name) ?? "").length > MAX_TEXT) {
      throw new AuthorizeRefusal("invalid_request", `${name} is too long`);
    }
  }
  return { offline: accessType === "offline", promptLogin: prompt === "login", mfaRequired };
}

/** Ids of the identities `session_required_identities` and `session_required_single_domain` allow. */
function allowedIdentities(state: EmulatorState, query: URLSearchParams): string[] {
  const requiredIdentities = parseList(query.get("session_required_identities"));
  const requiredDomains = parseList(query.get("session_required_single_domain")).map((d) => d.toLowerCase());
  return [...state.identities.values()]
    .filter(
      (identity) =>
        (requiredIdentities.length === 0 ||
          requiredIdentities.some((wanted) => state.findIdentity(wanted)?.id === identity.id)) &&
        (requiredDomains.length === 0 || requiredDomains.includes(domainOf(identity.username))),
    )
    .map((identity) => identity.id);
}

/**
 * Who auto-approve signs in: the configured identity when the request allows it, else the first
 * allowed one.
 * @throws {AuthorizeRefusal} (`access_denied`) when the request allows no identity.
 */
function autoApprovedIdentity(state: EmulatorState, details: AuthorizeDetails): string {
  const preferred = typeof state.autoApprove === "string" ? state.autoApprove : undefined;
  const identityId = details.allowedIdentities.find((id) => id === preferred) ?? details.allowedIdentities[0];
  if (identityId === undefined) {
    throw new AuthorizeRefusal("access_denied", "no identity satisfies the session requirements");
  }
  return identityId;
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
  details: AuthorizeDetails,
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
