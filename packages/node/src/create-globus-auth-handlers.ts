import {
  ConfidentialAppAuthClient,
  GlobusSDKUsageError,
  globusLogoutUrl,
  isGlobusError,
  isGlobusNetworkError,
  isLoginFlowError,
  isTokenValidationError,
  LoginStateMismatchError,
  MemoryTokenStorage,
  parseLoginCallback,
  type TokenStorage,
} from "@globus-app/core";
import { CookieSealer } from "./cookie-sealer.ts";
import type {
  GlobusAuthHandlers,
  GlobusAuthHandlersOptions,
  GlobusPortalUser,
} from "./globus-auth-handlers.ts";
import { clearCookie, readCookie, setCookie } from "./internal/cookies.ts";
import { returnPath, sameSitePath } from "./internal/same-site-path.ts";
import {
  isSessionCookieError,
  isSessionRequiredError,
  SessionCookieError,
  SessionRequiredError,
  UnsafeReturnUrlError,
} from "./server-session-errors.ts";
import { UserApp } from "./user-app.ts";

const LOGIN_PURPOSE = "globus-app:login";
const SESSION_PURPOSE = "globus-app:session";
/** A login must come back within this long (Globus's own consent pages expire sooner). */
const LOGIN_COOKIE_SECONDS = 600;
const USER_SCOPES = "openid profile email";

/**
 * Builds the login handlers of a server-side portal: a confidential client, tokens kept on the
 * server per person, the browser holding only an encrypted session cookie. Web-standard
 * `Request`/`Response`, so one set serves Node (with {@link toNodeListener} for node:http, Express,
 * Fastify), Next.js route handlers, Hono, `Deno.serve` and `Bun.serve`. Several replicas can share
 * one token storage (`PostgresTokenStorage`, `RedisTokenStorage`) and the same session secrets.
 *
 * @throws GlobusSDKUsageError for a missing client id or secret, a relative `redirectUri`, or
 *   session secrets that are missing or short.
 * @example
 * ```ts
 * const auth = createGlobusAuthHandlers({
 *   clientId: process.env.GLOBUS_CLIENT_ID!, clientSecret: process.env.GLOBUS_CLIENT_SECRET!,
 *   redirectUri: "https://portal.example.org/auth/callback",
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 *   tokenStorage: new PostgresTokenStorage({ connectionString: process.env.DATABASE_URL }),
 *   session: { secrets: [process.env.SESSION_SECRET!] },
 * });
 * Deno.serve((req) => new URL(req.url).pathname === "/auth/login" ? auth.login(req) : …);
 * ```
 */
export function createGlobusAuthHandlers(options: GlobusAuthHandlersOptions): GlobusAuthHandlers {
  let redirect: URL;
  try {
    redirect = new URL(options.redirectUri);
  } catch {
    throw new GlobusSDKUsageError(
      "redirectUri must be an absolute URL (https://portal.example.org/auth/callback).",
    );
  }
  if (!options.tokenStorage) throw new GlobusSDKUsageError("createGlobusAuthHandlers needs a tokenStorage.");
  const origin = redirect.origin;
  const redirectUri = redirect.href;
  const sealer = new CookieSealer(options.session?.secrets);
  const secure = options.session.secure ?? true;
  const sessionCookie = options.session.cookieName ?? (secure ? "__Host-globus-session" : "globus-session");
  const loginCookie = secure ? "__Host-globus-login" : "globus-login";
  const sessionSeconds = options.session.maxAgeSeconds ?? 604_800;
  const appName = options.appName ?? "Globus portal";
  const maxCached = options.maxCachedPeople ?? 1000;
  const defaultReturnTo = sameSitePath(options.defaultReturnTo ?? "/", origin);
  const loginClient = new ConfidentialAppAuthClient({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.authBaseUrl === undefined ? {} : { baseUrl: options.authBaseUrl }),
  });
  const appOptions = (tokenStorage: TokenStorage) => ({
    loginClient,
    scopeRequirements: { ...options.scopeRequirements },
    config: {
      tokenStorage,
      requestRefreshTokens: true,
      // A server never runs an interactive login: missing tokens are the caller's 401.
      tokenValidationErrorHandler: null,
      ...(options.environment === undefined ? {} : { environment: options.environment }),
    },
  });
  // The scopes a login asks for: what the apps require (openid added), plus profile and email for getUser.
  const template = new UserApp(appName, appOptions(new MemoryTokenStorage()));
  template.addScopeRequirements({ "auth.globus.org": USER_SCOPES });
  const requiredScopes = Object.values(template.scopeRequirements).flat().map(String);
  void template.close();

  const storageFor = (identityId: string): TokenStorage =>
    typeof options.tokenStorage === "function"
      ? options.tokenStorage(identityId)
      : options.tokenStorage.forNamespace(identityId);

  // Per-person apps, least recently used first: each keeps its authorizers, so a warm token costs no I/O.
  const people = new Map<string, { app: UserApp; storage: TokenStorage }>();
  const personApp = (identityId: string): UserApp => {
    const cached = people.get(identityId);
    if (cached) {
      people.delete(identityId);
      people.set(identityId, cached);
      return cached.app;
    }
    const storage = storageFor(identityId);
    const app = new UserApp(appName, appOptions(storage));
    if (maxCached > 0) {
      people.set(identityId, { app, storage });
      for (const [id] of people) {
        if (people.size <= maxCached) break;
        forget(id);
      }
    }
    return app;
  };
  const forget = (identityId: string): void => {
    const cached = people.get(identityId);
    if (!cached) return;
    people.delete(identityId);
    void cached.app
      .close()
      .then(() => cached.storage.close())
      .catch(() => undefined);
  };

  const refuse = (error: unknown, request: Request, status: number, clear: string[]): Response => {
    options.onError?.(error, request);
    const { name, code, message } = error as { name: string; code: string; message: string };
    const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" });
    for (const cookie of clear) headers.append("Set-Cookie", clearCookie(cookie, secure));
    return new Response(JSON.stringify({ error: name, code, message }), { status, headers });
  };

  const readSession = async (request: Request): Promise<GlobusPortalUser | null> => {
    const value = readCookie(request, sessionCookie);
    if (value === undefined) return null;
    const claims = await sealer.open(value, SESSION_PURPOSE);
    if (!claims) return null;
    if (typeof claims.sub !== "string" || claims.sub === "") throw new SessionCookieError();
    const text = (key: string) => (typeof claims[key] === "string" ? (claims[key] as string) : null);
    return {
      identityId: claims.sub,
      username: text("preferred_username"),
      name: text("name"),
      email: text("email"),
      organization: text("organization"),
    };
  };

  const errorResponse = (error: unknown, request: Request): Response => {
    if (isSessionCookieError(error)) return refuse(error, request, 400, [sessionCookie]);
    if (isSessionRequiredError(error) || isTokenValidationError(error)) {
      return refuse(error, request, 401, [sessionCookie]);
    }
    if (isLoginFlowError(error)) return refuse(error, request, 400, [loginCookie]);
    throw error;
  };

  return {
    async login(request, loginOptions = {}) {
      let returnTo: string;
      try {
        returnTo = returnPath(request, origin, defaultReturnTo);
      } catch (error) {
        return errorResponse(error, request);
      }
      const authParams = loginOptions.authParams ?? {};
      const started = await loginClient.createAuthorizationRequest({
        redirectUri,
        requestRefreshTokens: true,
        authParams: {
          ...authParams,
          required_scopes: [...requiredScopes, ...(authParams.required_scopes ?? [])],
        },
      });
      // The state and return path travel sealed; confidential clients send no PKCE verifier (Globus
      // documents PKCE for native apps only), so the state alone binds the callback to this browser.
      const sealed = await sealer.seal(
        { state: started.state, returnTo },
        LOGIN_PURPOSE,
        LOGIN_COOKIE_SECONDS,
      );
      const headers = new Headers({ Location: started.url, "Cache-Control": "no-store" });
      headers.append("Set-Cookie", setCookie(loginCookie, sealed, LOGIN_COOKIE_SECONDS, secure));
      return new Response(null, { status: 302, headers });
    },

    async callback(request) {
      try {
        const value = readCookie(request, loginCookie);
        // No login cookie: a replayed callback (the cookie goes at the first use), one forged by
        // another site, or a login older than ten minutes.
        const pending = value === undefined ? null : await sealer.open(value, LOGIN_PURPOSE);
        if (!pending || typeof pending.state !== "string" || typeof pending.returnTo !== "string") {
          throw new LoginStateMismatchError();
        }
        const code = parseLoginCallback(request.url, { state: pending.state, issuer: loginClient.issuer });
        const response = await loginClient.exchangeAuthorizationCode({
          code,
          codeVerifier: null,
          redirectUri,
        });
        const identityId = response.identityId;
        if (!identityId)
          throw new SessionCookieError("Globus Auth sent no verified identity with the tokens.");
        forget(identityId);
        const app = personApp(identityId);
        await app.tokenStorage.storeTokenResponse(response);
        const claims = response.idTokenClaims ?? {};
        const session = await sealer.seal(
          {
            sub: identityId,
            ...pick(claims, ["preferred_username", "name", "email", "organization"]),
          },
          SESSION_PURPOSE,
          sessionSeconds,
        );
        const headers = new Headers({
          Location: sameSitePath(pending.returnTo, origin),
          "Cache-Control": "no-store",
        });
        headers.append("Set-Cookie", clearCookie(loginCookie, secure));
        headers.append("Set-Cookie", setCookie(sessionCookie, session, sessionSeconds, secure));
        return new Response(null, { status: 303, headers });
      } catch (error) {
        // Globus refusing the code (already used, expired) is as much a bad callback as a wrong state;
        // Globus being unreachable is not the request's fault and goes to the server's error handling.
        if (isGlobusError(error) && !isGlobusNetworkError(error))
          return refuse(error, request, 400, [loginCookie]);
        throw error;
      }
    },

    async logout(request) {
      if (request.method !== "POST") {
        return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
      }
      let returnTo: string;
      let user: GlobusPortalUser | null = null;
      try {
        const from = request.headers.get("Origin");
        // SameSite=Lax keeps the cookie off cross-site POSTs already; this refuses them outright.
        if (from !== null && from !== origin)
          throw new UnsafeReturnUrlError("A logout must come from this site.");
        returnTo = returnPath(request, origin, defaultReturnTo);
        user = await readSession(request);
      } catch (error) {
        if (!isSessionCookieError(error)) return errorResponse(error, request);
        // A bad cookie still gets cleared below: logging out must always work.
        returnTo = defaultReturnTo;
      }
      if (user) {
        const app = personApp(user.identityId);
        try {
          await app.logout({ sweep: true, removeUnreadable: true });
        } finally {
          forget(user.identityId);
        }
      }
      const target = new URL(returnTo, origin).href;
      const location = options.endGlobusSession
        ? globusLogoutUrl({
            clientId: loginClient.clientId,
            redirectUri: target,
            redirectName: appName,
            authBaseUrl: loginClient.baseUrl,
          })
        : returnTo;
      const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
      headers.append("Set-Cookie", clearCookie(sessionCookie, secure));
      return new Response(null, { status: 303, headers });
    },

    getUser: readSession,

    async getAuthorizer(request, resourceServer) {
      const user = await readSession(request);
      if (!user) throw new SessionRequiredError();
      return personApp(user.identityId).getAuthorizer(resourceServer);
    },

    errorResponse,

    async close() {
      for (const id of [...people.keys()]) forget(id);
      await loginClient.close();
    },
  };
}

function pick(claims: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (typeof claims[key] === "string") out[key] = claims[key] as string;
  return out;
}
